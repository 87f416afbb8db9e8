import Logging
import PostgresNIO

extension DatabaseURL {
    /// A startup parameter that tells a direct connection from one through PgBouncer. PostgreSQL takes any name with
    /// a dot as a placeholder setting of the session; PgBouncer (1.18 as Debian packages it, and later) refuses every
    /// startup parameter it does not track, before it authenticates the client ("unsupported startup parameter",
    /// SQLSTATE 08P01), unless its `ignore_startup_parameters` lists the name. A proxy that passes startup messages
    /// on unread is not told apart: it keeps a session on one server connection, which is what migrations need.
    public static let directConnectionProbe = ("cooperage.direct_connection", "on")

    /// True when `error`, from a connection that sent ``directConnectionProbe``, is PgBouncer refusing it.
    public static func isPoolerRefusal(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, error.sqlState == .protocolViolation else { return false }
        return error.serverInfo?[.message]?.hasPrefix("unsupported startup parameter") == true
    }

    /// Whether this URL leads to PgBouncer rather than straight to PostgreSQL: one connection that sends
    /// ``directConnectionProbe``, closed at once. Nil when it cannot be told (no connection, a refused login).
    public func leadsToPgBouncer(logger: Logger) async -> Bool? {
        do {
            let connection = try await connect(
                logger: logger,
                connectTimeout: .seconds(5),
                startupParameters: [Self.directConnectionProbe]
            )
            try? await connection.close()
            return false
        } catch {
            return Self.isPoolerRefusal(error) ? true : nil
        }
    }
}
