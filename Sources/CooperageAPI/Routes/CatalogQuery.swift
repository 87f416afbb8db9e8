import CooperageCore
import Foundation
import Hummingbird

/// Query parameters of the catalogue lists; each malformed value is a 400 naming the parameter.
enum CatalogQuery {
    /// `cursor`: the `nextCursor` of the previous page.
    static func cursor(_ request: Request) throws -> Int64? {
        try request.queryCursor()
    }

    static func uuid(_ request: Request, _ name: String) throws -> UUID? {
        try request.queryUUID(name)
    }

    /// A search text: surrounding spaces are ignored; empty means no filter.
    static func text(_ request: Request, _ name: String, maximum: Int = 200) throws -> String? {
        guard let text = request.uri.queryParameters.get(name)?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            return nil
        }
        guard text.count <= maximum else {
            throw Problem.badRequest("The query parameter `\(name)` must be at most \(maximum) characters.")
        }
        return text
    }

    static func bool(_ request: Request, _ name: String) throws -> Bool? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default: throw Problem.badRequest("The query parameter `\(name)` must be true or false.")
        }
    }

    static func date(_ request: Request, _ name: String) throws -> LocalDate? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let date = LocalDate(iso8601: text) else {
            throw Problem.badRequest("The query parameter `\(name)` must be a date written yyyy-MM-dd.")
        }
        return date
    }

    /// Today's date in UTC.
    static func today() -> LocalDate {
        LocalDate(daysSinceEpoch: Int((Date().timeIntervalSince1970 / 86_400).rounded(.down)))
    }
}
