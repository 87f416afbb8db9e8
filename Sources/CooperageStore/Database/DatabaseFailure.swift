import PostgresNIO

/// A database error told in words an operator can act on, for the command line: PostgreSQL's message, detail,
/// hint and SQLSTATE, or what failed while connecting. The driver's own description of a `PSQLError` says only
/// "Generic description to prevent accidental leakage of sensitive data"; this one names no query and no bound
/// value either.
public struct DatabaseFailure: Error, CustomStringConvertible {
    public let description: String

    /// Nil when `error` is not a database error.
    public init?(_ error: any Error) {
        guard let description = Self.describe(error) else { return nil }
        self.description = description
    }

    private static func describe(_ error: any Error) -> String? {
        if let error = error as? PostgresTransactionError {
            return (error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError).flatMap(describe)
        }
        guard let error = error as? PSQLError else { return nil }
        if let info = error.serverInfo, let message = info[.message] {
            var text = "PostgreSQL said: \(message)"
            if let detail = info[.detail] { text += " (\(detail))" }
            if let hint = info[.hint] { text += " Hint: \(hint)" }
            if let state = info[.sqlState] { text += " [SQLSTATE \(state)]" }
            return text
        }
        if let underlying = error.underlying { return "The database could not be reached (\(error.code)): \(underlying)" }
        return "The database connection failed (\(error.code))."
    }
}
