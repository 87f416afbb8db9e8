import Hummingbird

/// An `Encodable` response body rendered with the context's JSON encoder.
typealias ResponseEncodableBody = ResponseEncodable & Encodable & Sendable

extension Request {
    /// An integer query parameter within bounds, or a 400 naming it.
    func queryInt(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = uri.queryParameters.get(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw Problem.badRequest(
                "The query parameter `\(name)` must be an integer from \(range.lowerBound) to \(range.upperBound)."
            )
        }
        return number
    }

    /// An enumerated query parameter, or a 400 listing the allowed values.
    func queryEnum<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws -> T? where T.RawValue == String {
        guard let text = uri.queryParameters.get(name) else { return nil }
        guard let value = T(rawValue: text) else {
            throw Problem.badRequest(
                "The query parameter `\(name)` must be one of: \(T.allCases.map(\.rawValue).joined(separator: ", "))."
            )
        }
        return value
    }

    /// The `cursor` of a paginated list: a value an earlier page returned as `nextCursor`.
    func queryCursor() throws -> Int64? {
        guard let text = uri.queryParameters.get("cursor") else { return nil }
        guard let value = Int64(text), value > 0 else {
            throw Problem.badRequest("The query parameter `cursor` must be a value returned as nextCursor.")
        }
        return value
    }
}
