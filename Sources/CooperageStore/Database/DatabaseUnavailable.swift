import PostgresNIO

/// PostgreSQL could not do the work now: it is unreachable, refused the connection, closed it, is starting up
/// or shutting down, or gave no answer in time. Trying again later can succeed; the API answers 503 with
/// `Retry-After`. Nothing in it comes from the request, so it is safe to log.
///
/// Every ``Database`` call throws this for such failures instead of the driver's own errors:
/// ```swift
/// do { try await database.withTenant(id) { … } } catch let error as DatabaseUnavailable { … }
/// ```
public struct DatabaseUnavailable: Error, Sendable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// A connection could not be made, broke, or was closed by the server (or by a shutting-down pool).
        case connection
        /// The server refused the work for now: starting up, shutting down, too many connections (SQLSTATE).
        case server(sqlState: String)
        /// No answer within the call's time, and PostgreSQL did not answer a probe either.
        case noAnswer(after: Duration)
        /// A probe found PostgreSQL unreachable a moment ago: the call was not tried.
        case knownDown
    }

    public let reason: Reason
    public let description: String

    public init(_ reason: Reason, _ description: String) {
        self.reason = reason
        self.description = description
    }

    /// The failure when `error` is one of PostgreSQL being unreachable or refusing work for now, else nil.
    /// Server errors about the work itself (a constraint, a statement timeout, a refused privilege) are not.
    public init?(classifying error: any Error) {
        switch error {
        case let error as DatabaseUnavailable:
            self = error
        case let error as PostgresTransactionError:
            // A transaction that could not begin or commit because the connection went: the closure's own error
            // comes first, as `Database` surfaces it.
            guard
                let inner = error.closureError ?? error.beginError ?? error.commitError,
                let unavailable = DatabaseUnavailable(classifying: inner)
            else { return nil }
            self = unavailable
        case let error as PSQLError:
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
                let cause = error.underlying.map { ": \(String(describing: $0))" } ?? ""
                self.init(.connection, "the database connection failed (\(error.code))\(cause)")
            case .server:
                guard let state = error.sqlState, Self.isUnavailable(state) else { return nil }
                let message = error.serverInfo?[.message].map { ": \($0)" } ?? ""
                self.init(.server(sqlState: state.raw), "PostgreSQL cannot take work now [SQLSTATE \(state.raw)]\(message)")
            default:
                return nil
            }
        default:
            return nil
        }
    }

    /// Connection exceptions (class 08), operator intervention (57P01 admin shutdown, 57P02 crash shutdown,
    /// 57P03 cannot connect now, 57P04 database dropped, 57P05 idle session timeout), 53300 too many
    /// connections, and 25P03 (a transaction left idle past `idle_in_transaction_session_timeout`; the server
    /// closed the session). Not 57014 (a statement cancelled or timed out), which is about the statement.
    static func isUnavailable(_ state: PostgresError.Code) -> Bool {
        state.raw.hasPrefix("08") || state.raw.hasPrefix("57P") || state == .tooManyConnections
            || state == .idleInTransactionSessionTimeout
    }
}
