import CooperageCore
import Foundation
import PostgresNIO

/// A result row read by column name. Each store keeps its column list and the mapping from these names to its
/// type side by side, so a reader never counts positions. A missing column or a value of the wrong type throws
/// (PostgresNIO's own name subscript traps on a missing column).
///
/// ```swift
/// let row = NamedRow(postgresRow)
/// let id: UUID = try row["id"]
/// let kind = try row.enumValue("kind", UsageRecord.Kind.self)
/// ```
struct NamedRow {
    private let cells: PostgresRandomAccessRow

    init(_ row: PostgresRow) {
        cells = row.makeRandomAccess()
    }

    subscript<Value: PostgresDecodable>(column: String) -> Value {
        get throws {
            guard cells.contains(column) else { throw CatalogSQL.UnexpectedValue(column: column, value: "(no such column)") }
            return try cells[column].decode(Value.self)
        }
    }

    /// A `date` column selected as `to_char(..., 'YYYY-MM-DD')` (or `::text`).
    func date(_ column: String) throws -> LocalDate {
        try CatalogSQL.requiredDate(try self[column], column: column)
    }

    /// A nullable `date` column selected as text.
    func optionalDate(_ column: String) throws -> LocalDate? {
        try CatalogSQL.date(try self[column], column: column)
    }

    /// A text column holding one of `type`'s raw values.
    func enumValue<T: RawRepresentable>(_ column: String, _ type: T.Type) throws -> T where T.RawValue == String {
        try CatalogSQL.enumValue(type, try self[column], column: column)
    }

    /// A `jsonb` column selected as text.
    func json<T: Decodable>(_ column: String, _ type: T.Type) throws -> T {
        try CatalogSQL.decodeJSON(type, try self[column], column: column)
    }
}
