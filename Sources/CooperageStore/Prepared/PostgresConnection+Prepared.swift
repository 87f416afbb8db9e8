import Logging
import PostgresNIO

extension PostgresConnection {
    /// Runs `statement` and decodes its rows with the statement's own `decodeRow`.
    ///
    /// - Parameter prepared: true: as a named prepared statement, parsed once per connection (the hottest calls:
    ///   planning the call cost as much as a third of what it then did). False (`database.preparedStatements`):
    ///   as an unnamed statement with the same SQL and bindings, parsed with every call, for a transaction pooler
    ///   (PgBouncer 1.18 in transaction mode), which hands each transaction whichever server connection is free:
    ///   a statement prepared on one is missing on the next, or already there under the same name from another
    ///   client. An unnamed statement is parsed, bound and run in one exchange, so it never outlives its call.
    func rows<Statement: PostgresPreparedStatement>(
        of statement: Statement,
        prepared: Bool,
        logger: Logger
    ) async throws -> [Statement.Row] where Statement.Row: Sendable {
        var rows: [Statement.Row] = []
        guard prepared else {
            let query = PostgresQuery(unsafeSQL: Statement.sql, binds: try statement.makeBindings())
            for try await row in try await self.query(query, logger: logger) { rows.append(try statement.decodeRow(row)) }
            return rows
        }
        do {
            for try await row in try await execute(statement, logger: logger) { rows.append(row) }
        } catch let error as PSQLError where PreparedStatementLost.isLoss(error) {
            throw PreparedStatementLost(name: Statement.name, error: error)
        }
        return rows
    }
}
