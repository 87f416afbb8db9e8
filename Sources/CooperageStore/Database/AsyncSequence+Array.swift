extension AsyncSequence {
    /// Every element, in order (for small results such as a decoded row or two).
    public func array() async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self { elements.append(element) }
        return elements
    }
}
