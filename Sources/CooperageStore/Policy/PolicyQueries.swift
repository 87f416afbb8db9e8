import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// Checks and column conversions shared by the participation and policy stores.
enum PolicyQueries {
    /// Throws ``StoreError/notFound(_:)`` unless the tenant exists (the registry is cooperative-level, so
    /// it is readable inside a tenant transaction).
    static func requireTenant(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        let count =
            try await connection.query("SELECT count(*) FROM tenant WHERE id = \(id)", logger: logger)
            .decode(Int.self).array().first ?? 0
        if count == 0 { throw StoreError.notFound("tenant") }
    }

    /// A `date` column read as text (`yyyy-MM-dd`).
    static func date(_ text: String) throws -> LocalDate {
        try value(LocalDate(iso8601: text), "date", text)
    }

    /// `value`, or an error naming the column whose stored text no longer parses.
    static func value<T>(_ value: T?, _ column: String, _ text: String) throws -> T {
        guard let value else { throw UnreadableColumn(column: column, text: text) }
        return value
    }

    struct UnreadableColumn: Error, CustomStringConvertible {
        let column: String
        let text: String
        var description: String { "stored \(column) \"\(text)\" cannot be read" }
    }
}
