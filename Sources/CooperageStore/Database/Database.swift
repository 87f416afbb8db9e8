public import Foundation
public import Logging
public import PostgresNIO
public import ServiceLifecycle

/// The server's access to PostgreSQL, as the `cooperage_app` role, through one connection pool.
///
/// Every query runs inside one of four kinds of transaction, so no tenant setting ever outlives its
/// transaction on a pooled connection:
/// - ``withTenant(_:_:)`` for a tenant's data: row-level security shows that tenant's rows only;
/// - ``withCooperativeScope(_:)`` for cooperative staff reading across tenants (`SET LOCAL ROLE cooperage_coop`);
/// - ``withTransaction(_:)`` for cooperative-level tables (tenants, suppliers, agreements);
/// - ``statement(_:)``: one call of a SQL function that sets the tenant itself, in the statement's own implicit
///   transaction (`authenticate_agency_token`, `usage_register`): the hottest paths, in one round trip.
///
/// ```swift
/// let tokens = try await database.withTenant(tenantID) { connection in
///     try await connection.query("SELECT id FROM agency_token", logger: logger).collect()
/// }
/// ```
public final class Database: Service, Sendable {
    public let client: PostgresClient
    public let logger: Logger

    /// - Parameters:
    ///   - url: the server and database; the pool logs in as `cooperage_app` with `appPassword`.
    ///   - maximumConnections: the pool's size.
    public init(url: DatabaseURL, appPassword: String?, maximumConnections: Int = 20, logger: Logger) {
        var configuration = url.with(user: "cooperage_app", password: appPassword).clientConfiguration()
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = 0
        configuration.options.additionalStartupParameters = [("application_name", "cooperage")]
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
    }

    /// Runs the pool; a `Service` of the application, started before and stopped after the HTTP server.
    public func run() async throws {
        await client.run()
    }

    /// Runs `body` in a transaction that sees and writes only `tenantID`'s rows.
    public func withTenant<Result: Sendable>(
        _ tenantID: UUID,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withTransaction { connection in
            // Bound as text: set_config takes text, and a uuid bind fails to resolve the function.
            // `true` makes it transaction-local, so the pooled connection forgets it at COMMIT/ROLLBACK.
            try await connection.run(
                "SELECT set_config('app.tenant_id', \(tenantID.uuidString.lowercased()), true)",
                logger: logger
            )
            return try await body(connection)
        }
    }

    /// Runs one statement in its own implicit transaction and returns its rows. Only for SQL functions that set
    /// the tenant themselves with a transaction-local `set_config` (which then ends with the statement), or that
    /// read cooperative-level rows.
    public func statement(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await retryingDeadlocks {
            try await client.withConnection { connection in
                try await connection.query(query, logger: logger).collect()
            }
        }
    }

    /// ``statement(_:)`` for a statement prepared once per connection (the hottest calls: planning the call
    /// itself cost as much as a third of what it then did).
    public func statement<Statement: PostgresPreparedStatement>(_ prepared: Statement) async throws -> [Statement.Row]
    where Statement.Row: Sendable {
        try await retryingDeadlocks {
            try await client.withConnection { connection in
                var rows: [Statement.Row] = []
                for try await row in try await connection.execute(prepared, logger: logger) { rows.append(row) }
                return rows
            }
        }
    }

    /// Runs `body` with the cooperative's cross-tenant read path (role `cooperage_coop`) for this transaction only.
    public func withCooperativeScope<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws
        -> Result
    {
        try await withTransaction { connection in
            try await connection.query("SET LOCAL ROLE cooperage_coop", logger: logger)
            return try await body(connection)
        }
    }

    /// Runs `body` in a transaction with no tenant set: tenant tables show no rows.
    public func withTransaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws
        -> Result
    {
        try await retryingDeadlocks {
            do {
                return try await client.withTransaction(logger: logger) { connection in
                    try await body(connection)
                }
            } catch let error as PostgresTransactionError {
                // Surface the closure's own error (a not-found, a validation problem) rather than the wrapper.
                if let closureError = error.closureError { throw closureError }
                if let commitError = error.commitError { throw commitError }
                if let beginError = error.beginError { throw beginError }
                throw error
            }
        }
    }

    /// Runs `work` again when PostgreSQL chose its transaction as a deadlock's victim (40P01): the transaction
    /// was rolled back whole, so running it again is safe. Writers take their locks in one order, so this is a
    /// safety net, not a path taken in normal operation.
    private func retryingDeadlocks<Result>(_ work: () async throws -> Result) async throws -> Result {
        var attempt = 1
        while true {
            do {
                return try await work()
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "40P01" && attempt < 3 {
                logger.warning("deadlock; running the transaction again", metadata: ["attempt": "\(attempt)"])
                attempt += 1
            }
        }
    }
}
