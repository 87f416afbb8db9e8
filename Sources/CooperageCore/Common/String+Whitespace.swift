import Foundation

extension String {
    /// `trimmingCharacters(in: .whitespaces)` (spaces of Unicode category Zs and tabs), without Foundation's
    /// bridging when there is nothing to trim, which is almost always: a 100,000-line import trims every cell.
    public var trimmingSpaces: String {
        // Visible ASCII is never a space: the usual case is decided on two bytes.
        if let first = utf8.first, let last = utf8.last, (0x21..<0x80).contains(first), (0x21..<0x80).contains(last) {
            return self
        }
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
        guard first.isSpaceOrTab || last.isSpaceOrTab else { return self }
        return trimmingCharacters(in: .whitespaces)
    }

    /// Empty, or spaces and tabs only.
    public var isBlank: Bool { unicodeScalars.allSatisfy(\.isSpaceOrTab) }
}

extension Unicode.Scalar {
    /// A member of `CharacterSet.whitespaces`: Unicode category Zs, or a tab.
    var isSpaceOrTab: Bool { self == "\t" || properties.generalCategory == .spaceSeparator }
}
