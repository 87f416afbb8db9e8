import PostgresNIO

/// A named prepared statement was missing on the server connection that ran it (SQLSTATE 26000), or another
/// client's statement of the same name was already there (42P05): the connection leads to a transaction pooler
/// (PgBouncer in transaction mode, before 1.21 or without `max_prepared_statements`), which runs each transaction
/// on whichever server connection is free. A configuration mistake, not a passing failure: it is logged naming the
/// setting that fixes it, and answered 500.
public struct PreparedStatementLost: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(name: String, error: PSQLError) {
        let message = error.serverInfo?[.message] ?? "SQLSTATE \(error.sqlState?.raw ?? "?")"
        description = """
            the named prepared statement \(name) did not survive on its connection (\(message)): database.url leads \
            to a transaction pooler such as PgBouncer in transaction mode; set database.preparedStatements to false \
            (DATABASE_PREPARED_STATEMENTS=false)
            """
    }

    static func isLoss(_ error: PSQLError) -> Bool {
        error.sqlState == .invalidSqlStatementName || error.sqlState == .duplicatePreparedStatement
    }
}
