import CooperageCore
import Foundation
import PostgresNIO

/// Conversions shared by the catalogue stores: jsonb members, dates, search patterns, constraint errors.
enum CatalogSQL {
    /// A stored value that the schema's checks should have made impossible.
    struct UnexpectedValue: Error, CustomStringConvertible {
        let column: String
        let value: String
        var description: String { "unexpected value \(value) in column \(column)" }
    }

    /// JSON text for a `jsonb` parameter (bind it with `::jsonb`).
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Decodes a `jsonb` column selected as text.
    static func decodeJSON<T: Decodable>(_ type: T.Type, _ text: String, column: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw UnexpectedValue(column: column, value: text)
        }
    }

    /// A `date` column selected as `to_char(..., 'YYYY-MM-DD')`.
    static func date(_ text: String?, column: String) throws -> LocalDate? {
        guard let text else { return nil }
        guard let date = LocalDate(iso8601: text) else { throw UnexpectedValue(column: column, value: text) }
        return date
    }

    /// A `NOT NULL` date column selected as `to_char(..., 'YYYY-MM-DD')`.
    static func requiredDate(_ text: String, column: String) throws -> LocalDate {
        guard let date = LocalDate(iso8601: text) else { throw UnexpectedValue(column: column, value: text) }
        return date
    }

    /// `text` read by `parse`, or an ``UnexpectedValue`` error naming the column (never a trap).
    static func parse<T>(_ text: String, column: String, _ parse: (String) -> T?) throws -> T {
        guard let value = parse(text) else { throw UnexpectedValue(column: column, value: text) }
        return value
    }

    static func enumValue<T: RawRepresentable>(_ type: T.Type, _ text: String, column: String) throws -> T
    where T.RawValue == String {
        try parse(text, column: column, T.init(rawValue:))
    }

    /// An `ILIKE` pattern matching `text` anywhere, with `%`, `_` and `\` taken literally.
    static func containsPattern(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return "%" + escaped + "%"
    }

    /// Runs `body`, turning a unique violation of `constraint` into a conflict on `pointer`.
    static func mapUniqueViolation<T>(
        constraint: String,
        pointer: String,
        detail: String,
        _ body: () async throws -> T
    ) async throws -> T {
        do {
            return try await body()
        } catch let error as PSQLError
            where error.sqlState == .uniqueViolation && error.serverInfo?[.constraintName] == constraint
        {
            throw StoreError.conflict(pointer: pointer, detail: detail)
        }
    }
}
