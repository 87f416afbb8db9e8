import CooperageCore
import Foundation
import Hummingbird

/// Query parameters: each malformed value is a 400 naming the parameter; an absent one is nil (or the default).
extension Request {
    /// An integer within bounds.
    func queryInt(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = uri.queryParameters.get(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw Problem.badRequest(
                "The query parameter `\(name)` must be an integer from \(range.lowerBound) to \(range.upperBound)."
            )
        }
        return number
    }

    /// One of an enumeration's values; the 400 lists them.
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

    func queryUUID(_ name: String) throws -> UUID? {
        guard let text = uri.queryParameters.get(name) else { return nil }
        guard let id = UUID(uuidString: text) else { throw Problem.badRequest("The query parameter `\(name)` must be a UUID.") }
        return id
    }

    /// A date written `yyyy-MM-dd`.
    func queryDate(_ name: String) throws -> LocalDate? {
        guard let text = uri.queryParameters.get(name) else { return nil }
        guard let date = LocalDate(iso8601: text) else {
            throw Problem.badRequest("The query parameter `\(name)` must be a date written yyyy-MM-dd.")
        }
        return date
    }

    /// A search text: surrounding spaces are ignored; empty means no filter.
    func queryText(_ name: String, maximum: Int = 200) throws -> String? {
        guard let text = uri.queryParameters.get(name)?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            return nil
        }
        guard text.count <= maximum else {
            throw Problem.badRequest("The query parameter `\(name)` must be at most \(maximum) characters.")
        }
        return text
    }

    func queryBool(_ name: String) throws -> Bool? {
        guard let text = uri.queryParameters.get(name) else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default: throw Problem.badRequest("The query parameter `\(name)` must be true or false.")
        }
    }
}
