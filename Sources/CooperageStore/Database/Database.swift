public import Foundation
public import Logging
public import PostgresNIO
public import ServiceLifecycle
import Synchronization

/// The server's access to PostgreSQL, as the `cooperage_app` role, through one connection pool.
///
/// Every query runs inside one of four kinds of transaction, so no tenant setting ever outlives its
/// transaction on a pooled connection:
/// - ``withTenant(_:_:)`` for a tenant's data: row-level security shows that tenant's rows only;
/// - ``withCooperativeScope(_:)`` for cooperative staff reading across tenants (`SET LOCAL ROLE cooperage_coop`);
/// - ``withTransaction(_:)`` for cooperative-level tables (tenants, suppliers, agreements);
/// - ``statement(_:)``: one call of a SQL function that sets the tenant itself, in the statement's own implicit
///   transaction (`authenticate_agency_token`, `usage_register_presented`): the hottest paths, in one round trip.
///
/// ```swift
/// let tokens = try await database.withTenant(tenantID) { connection in
///     try await connection.query("SELECT id FROM agency_token", logger: logger).collect()
/// }
/// ```
///
/// When PostgreSQL fails, no call hangs: `body` runs in a task of its own (hence `sending @escaping`) while the
/// caller waits for it, since PostgresNIO's wait for an answer ignores cancellation. A call that gets no answer
/// within ``Timeouts/wait`` probes PostgreSQL with a new connection: unreachable, it fails with
/// ``DatabaseUnavailable``; reachable, the work is only slow and the call waits on (each statement bounded by
/// ``Timeouts/statement``). A failed connection, a pool error, a failed probe and a connection that closed under a
/// statement still waiting are ``DatabaseUnavailable`` too. Once a probe has failed, calls fail at once (and calls
/// waiting for a connection stop waiting) until a probe, repeated every ``Timeouts/probeInterval`` while ``run()``
/// runs, succeeds; after an outage of more than ``renewPoolAfter`` a fresh pool replaces the old one, whose retries
/// slow down the longer an outage lasts (to a minute apart, refusing every request after a minute down). A call
/// given up on may still finish on its own (a write answered 503 may have committed), as after any timeout.
public final class Database: Service, Sendable {
    public let logger: Logger
    public let timeouts: Timeouts
    /// Whether the hottest calls run as named prepared statements (``statement(_:)-(Statement)``); false
    /// (`database.preparedStatements`) behind a transaction pooler such as PgBouncer 1.18 in transaction mode, which
    /// keeps no named statement from one transaction to the next. False also sends no session settings when a
    /// connection starts (PgBouncer refuses startup parameters it does not know): the sessions then take
    /// `statement_timeout` and `idle_in_transaction_session_timeout` from the role, which
    /// ``sessionTimeoutDifferences()`` compares with ``timeouts``.
    public let preparedStatements: Bool
    /// Whether the database is a Citus coordinator (`database.citus`): the tenant is then set with `SET LOCAL`
    /// after `SET LOCAL citus.propagate_set_commands = 'local'`, which Citus carries to the workers, instead of
    /// `set_config`, which it does not (deploy/citus/README.md).
    public let citus: Bool
    let configuration: PostgresClient.Configuration
    /// The URL the pool connects to, for probes.
    let appURL: DatabaseURL
    private let state: Mutex<State>

    /// Outages at least this long get a fresh pool when PostgreSQL answers again; after shorter ones the pool's
    /// own next retry is under a second away.
    static let renewPoolAfter = Duration.seconds(2)

    private struct State {
        var client: PostgresClient
        var generation = 0
        var clientRun: Task<Void, Never>?
        /// True while ``run()`` runs: only then is PostgreSQL probed again and a failed probe acted on.
        var monitoring = false
        /// A call saw a connection fail since the last probe that succeeded.
        var troubled = false
        /// When a probe first failed, with none succeeding since.
        var downSince: ContinuousClock.Instant?
        var probe: Task<Probe, Never>?
    }

    enum Probe: Sendable, Equatable {
        case reachable
        case unreachable(String)
    }

    /// The pool in use (a new one after a long outage).
    public var client: PostgresClient { state.withLock { $0.client } }

    /// - Parameters:
    ///   - url: the server and database; the pool logs in as `cooperage_app` with `appPassword`.
    ///   - maximumConnections: the pool's size.
    ///   - timeouts: how long calls wait and statements run; see ``Timeouts``.
    ///   - preparedStatements: false behind a transaction pooler; see ``preparedStatements``.
    public init(
        url: DatabaseURL,
        appPassword: String?,
        maximumConnections: Int = 20,
        timeouts: Timeouts = Timeouts(),
        preparedStatements: Bool = true,
        citus: Bool = false,
        logger: Logger
    ) {
        let appURL = url.with(user: "cooperage_app", password: appPassword)
        var configuration = appURL.clientConfiguration()
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = 0
        // PgBouncer passes application_name on (it tracks it per client); the timeouts only reach PostgreSQL directly.
        configuration.options.additionalStartupParameters =
            [("application_name", "cooperage")] + (preparedStatements ? timeouts.startupParameters : [])
        self.configuration = configuration
        self.appURL = appURL
        self.timeouts = timeouts
        self.preparedStatements = preparedStatements
        self.citus = citus
        self.logger = logger
        self.state = Mutex(State(client: PostgresClient(configuration: configuration, backgroundLogger: logger)))
    }

    /// Runs the pool and watches PostgreSQL after failures; a `Service` of the application, started before and
    /// stopped after the HTTP server. Returns when cancelled or on graceful shutdown.
    public func run() async throws {
        state.withLock { state in
            let client = state.client
            // Detached: the pool lives until this service's run ends, whatever task shuts down around it.
            state.clientRun = Task.detached { await client.run() }
            state.monitoring = true
        }
        await cancelWhenGracefulShutdown { await self.watch() }
        let running = state.withLock { state in
            state.monitoring = false
            state.downSince = nil
            return state.clientRun
        }
        running?.cancel()
        await running?.value
    }

    /// Runs `body` in a transaction that sees and writes only `tenantID`'s rows.
    public func withTenant<Result: Sendable>(
        _ tenantID: UUID,
        _ body: sending @escaping (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let (logger, citus) = (logger, citus)
        return try await withTransaction { connection in
            try await Self.setTenant(tenantID, on: connection, citus: citus, logger: logger)
            return try await body(connection)
        }
    }

    /// Runs `body` in a transaction whose first call is a SQL function that sets `tenantID` itself (one round trip
    /// less than ``withTenant(_:_:)``). On Citus that function runs on the coordinator inside the transaction block,
    /// not on the tenant's worker, and its `set_config` reaches no worker (measured: the token was not found, 401),
    /// so there the tenant is set first, as ``withTenant(_:_:)`` does.
    public func withTenantSetByFirstCall<Result: Sendable>(
        _ tenantID: UUID,
        _ body: sending @escaping (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        if citus { return try await withTenant(tenantID, body) }
        return try await withTransaction(body)
    }

    /// Makes `tenantID` the tenant of the connection's transaction, and only of that transaction.
    static func setTenant(_ tenantID: UUID, on connection: PostgresConnection, citus: Bool, logger: Logger) async throws {
        if citus {
            // SET takes no bind parameter, so the tenant is written into the statement: a UUID formatted by
            // Foundation (hexadecimal digits and dashes), never text a client sent.
            try await connection.run("SET LOCAL citus.propagate_set_commands = 'local'", logger: logger)
            try await connection.run(
                PostgresQuery(unsafeSQL: "SET LOCAL app.tenant_id = '\(tenantID.uuidString.lowercased())'"),
                logger: logger
            )
        } else {
            // Bound as text: set_config takes text, and a uuid bind fails to resolve the function.
            // `true` makes it transaction-local, so the pooled connection forgets it at COMMIT/ROLLBACK.
            try await connection.run(
                "SELECT set_config('app.tenant_id', \(tenantID.uuidString.lowercased()), true)",
                logger: logger
            )
        }
    }

    /// Runs one statement in its own implicit transaction and returns its rows. Only for SQL functions that set
    /// the tenant themselves with a transaction-local `set_config` (which then ends with the statement), or that
    /// read cooperative-level rows.
    public func statement(_ query: PostgresQuery) async throws -> [PostgresRow] {
        let logger = logger
        return try await perform(inTransaction: false, wait: timeouts.wait, waitOnWhileReachable: true) { connection in
            try await connection.query(query, logger: logger).collect()
        }
    }

    /// ``statement(_:)`` for a statement prepared once per connection (the hottest calls: planning the call
    /// itself cost as much as a third of what it then did), or, when ``preparedStatements`` is false, sent as an
    /// unnamed statement with the same SQL and bindings and decoded the same way.
    public func statement<Statement: PostgresPreparedStatement>(_ prepared: Statement) async throws -> [Statement.Row]
    where Statement.Row: Sendable {
        let (logger, named) = (logger, preparedStatements)
        return try await perform(inTransaction: false, wait: timeouts.wait, waitOnWhileReachable: true) { connection in
            try await connection.rows(of: prepared, prepared: named, logger: logger)
        }
    }

    /// Runs `body` with the cooperative's cross-tenant read path (role `cooperage_coop`) for this transaction only.
    public func withCooperativeScope<Result: Sendable>(
        _ body: sending @escaping (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let logger = logger
        return try await withTransaction { connection in
            try await connection.query("SET LOCAL ROLE cooperage_coop", logger: logger)
            return try await body(connection)
        }
    }

    /// Runs `body` in a transaction with no tenant set: tenant tables show no rows.
    public func withTransaction<Result: Sendable>(
        _ body: sending @escaping (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await perform(inTransaction: true, wait: timeouts.wait, waitOnWhileReachable: true, body)
    }

    /// ``withTransaction(_:)`` that fails with ``DatabaseUnavailable`` when it has no answer within `limit`,
    /// without probing: for readiness checks, which must answer promptly either way.
    public func withTransaction<Result: Sendable>(
        answeringWithin limit: Duration,
        _ body: sending @escaping (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await perform(inTransaction: true, wait: limit, waitOnWhileReachable: false, body)
    }

    // MARK: Calls with a time limit

    /// Runs `body` on a pooled connection in a task of its own, and waits for it as the type's documentation says.
    ///
    /// The caller never waits for PostgresNIO itself: a query's wait for its answer ignores cancellation, and a
    /// statement written to a connection that has just closed is dropped with its answer never coming (the
    /// channel's handlers are gone). So the work runs apart, and the caller stops waiting when PostgreSQL does not
    /// answer, when a probe has found it down, or when the call's connection closed under a query still waiting.
    private func perform<Result: Sendable>(
        inTransaction: Bool,
        wait: Duration,
        waitOnWhileReachable: Bool,
        _ body: sending @escaping (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        if let down = knownDown() { throw down }
        let pending = PendingResult<Result>()
        let lease = LeaseBox()
        let work = Task {
            do {
                pending.finish(.success(try await self.attempt(inTransaction: inTransaction, lease: lease, body)))
            } catch {
                pending.finish(.failure(self.classify(error, leased: lease.connection != nil)))
            }
        }
        return try await withTaskCancellationHandler {
            var waited = Duration.zero
            var closedAt: Duration?
            while true {
                // In slices, so a call stops soon after a probe failed or its connection closed.
                let slice = min(timeouts.probeInterval, wait - waited)
                if let result = await pending.wait(upTo: slice) { return try result.get() }
                waited += slice
                if let connection = lease.connection {
                    // A closed connection fails its queries at once, unless the query was written after the close.
                    if connection.isClosed, closedAt != nil {
                        work.cancel()
                        noteTrouble()
                        throw DatabaseUnavailable(.connection, "the connection closed with a statement waiting for its answer")
                    }
                    if connection.isClosed { closedAt = waited }
                } else if let down = knownDown() {
                    work.cancel()
                    throw down
                }
                guard waited >= wait else { continue }
                waited = .zero
                closedAt = nil
                if waitOnWhileReachable, await probe() == .reachable { continue }
                // Cancelling stops a wait for a connection (so nothing runs later); a statement already sent runs
                // on until PostgreSQL or the connection ends it.
                work.cancel()
                throw DatabaseUnavailable(
                    .noAnswer(after: wait),
                    "no answer from PostgreSQL within \(Self.seconds(wait))\(waitOnWhileReachable ? ", and it did not answer a probe" : "")"
                )
            }
        } onCancel: {
            work.cancel()
        }
    }

    /// One call on the current pool: runs `body` again when PostgreSQL chose its transaction as a deadlock's
    /// victim (40P01; the transaction was rolled back whole, so running it again is safe; writers take their locks
    /// in one order, so this is a safety net), and on the new pool when the old one was retired while the call
    /// waited for a connection (nothing had run).
    private func attempt<Result: Sendable>(
        inTransaction: Bool,
        lease: LeaseBox,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        var (client, generation) = state.withLock { ($0.client, $0.generation) }
        var deadlocks = 0
        while true {
            do {
                return try await client.withConnection { connection in
                    lease.connection = connection
                    guard inTransaction else { return try await body(connection) }
                    do {
                        return try await connection.withTransaction(logger: logger) { connection in try await body(connection) }
                    } catch let error as PostgresTransactionError {
                        // Surface the closure's own error (a not-found, a validation problem) rather than the wrapper.
                        if let closureError = error.closureError { throw closureError }
                        if let commitError = error.commitError { throw commitError }
                        if let beginError = error.beginError { throw beginError }
                        throw error
                    }
                }
            } catch let error as PSQLError where error.sqlState == .deadlockDetected && deadlocks < 2 {
                deadlocks += 1
                logger.warning("deadlock; running the transaction again", metadata: ["attempt": "\(deadlocks)"])
            } catch let error where lease.connection == nil {
                // The pool refused before any work ran: when it was replaced meanwhile (it says it shut down), the new
                // one is asked.
                let current = state.withLock { ($0.client, $0.generation) }
                guard current.1 != generation, !Task.isCancelled else { throw error }
                (client, generation) = current
            }
        }
    }

    /// The error a call throws: ``DatabaseUnavailable`` for a failed connection, a server that cannot take work,
    /// or anything that went wrong before a connection was leased (the pool's errors, which are not `PSQLError`s:
    /// its circuit breaker, a cancelled wait); other errors as they are.
    private func classify(_ error: any Error, leased: Bool) -> any Error {
        if let unavailable = DatabaseUnavailable(classifying: error) {
            noteTrouble()
            return unavailable
        }
        if leased || (error as? PSQLError)?.code == .server { return error }
        if !(error is CancellationError) { noteTrouble() }
        return DatabaseUnavailable(.connection, "no connection from the pool: \(String(reflecting: error))")
    }

    // MARK: Watching PostgreSQL

    private func knownDown() -> DatabaseUnavailable? {
        guard state.withLock({ $0.downSince }) != nil else { return nil }
        return DatabaseUnavailable(
            .knownDown,
            "PostgreSQL did not answer the last probe; it is probed again every \(Self.seconds(timeouts.probeInterval))"
        )
    }

    private func noteTrouble() {
        state.withLock { $0.troubled = true }
    }

    /// Probes PostgreSQL every ``Timeouts/probeInterval`` while a call has seen it fail, until it answers.
    private func watch() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: timeouts.probeInterval) } catch { return }
            guard state.withLock({ $0.troubled || $0.downSince != nil }) else { continue }
            _ = await probe()
        }
    }

    /// A new connection and `SELECT 1`, one at a time (concurrent callers share the probe under way); its
    /// outcome decides whether calls fail at once, and whether the pool is replaced.
    func probe() async -> Probe {
        let probe = state.withLock { state in
            if let running = state.probe { return running }
            let task = Task { await self.record(self.connectOnce()) }
            state.probe = task
            return task
        }
        let outcome = await probe.value
        state.withLock { state in
            if state.probe == probe { state.probe = nil }
        }
        return outcome
    }

    private func connectOnce() async -> Probe {
        let pending = PendingResult<Probe>()
        let (url, logger, limit) = (appURL, logger, timeouts.probe)
        let attempt = Task {
            do {
                let connection = try await url.connect(logger: logger, connectTimeout: limit)
                do {
                    try await connection.run("SELECT 1", logger: logger)
                    try await connection.close()
                } catch {
                    try? await connection.close()
                    throw error
                }
                pending.finish(.success(.reachable))
            } catch let error as PSQLError where error.sqlState == .tooManyConnections {
                // Too many connections: PostgreSQL is up, and the pool's own connections may be working.
                pending.finish(.success(.reachable))
            } catch {
                let reason = DatabaseUnavailable(classifying: error)?.description ?? String(reflecting: error)
                pending.finish(.success(.unreachable(reason)))
            }
        }
        guard let outcome = await pending.wait(upTo: limit) else {
            attempt.cancel()
            return .unreachable("no connection within \(Self.seconds(limit))")
        }
        return (try? outcome.get()) ?? .unreachable("probe failed")
    }

    private func record(_ probe: Probe) -> Probe {
        let now = ContinuousClock.now
        let change = state.withLock { state -> (wentDown: Bool, outage: Duration?) in
            guard state.monitoring else { return (false, nil) }
            switch probe {
            case .unreachable:
                state.troubled = false
                guard state.downSince == nil else { return (false, nil) }
                state.downSince = now
                return (true, nil)
            case .reachable:
                state.troubled = false
                guard let since = state.downSince else { return (false, nil) }
                state.downSince = nil
                return (false, since.duration(to: now))
            }
        }
        if change.wentDown, case .unreachable(let reason) = probe {
            logger.error(
                "PostgreSQL is unreachable; database calls answer 503 until it answers again",
                metadata: ["reason": "\(reason)"]
            )
        }
        if let outage = change.outage {
            let renew = outage >= Self.renewPoolAfter
            logger.notice(
                "PostgreSQL answers again",
                metadata: ["unreachable": "\(Self.seconds(outage))", "pool": renew ? "replaced" : "kept"]
            )
            if renew { renewPool() }
        }
        return probe
    }

    /// Replaces the pool: the old one retries ever more slowly during an outage (after a minute without a
    /// connection it refuses every request until its next retry, up to a minute later). Calls still waiting on the
    /// old pool move to the new one; the old pool's connections, dead after the outage, are closed.
    private func renewPool() {
        let fresh = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let retired = state.withLock { state -> Task<Void, Never>? in
            guard state.monitoring else { return nil }
            let retired = state.clientRun
            state.client = fresh
            state.generation += 1
            state.clientRun = Task.detached { await fresh.run() }
            return retired
        }
        retired?.cancel()
    }

    static func seconds(_ duration: Duration) -> String {
        let milliseconds = Timeouts.milliseconds(duration)
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(Double(milliseconds) / 1000) s"
    }
}

/// The connection a call leased, once it has one.
final class LeaseBox: Sendable {
    private let leased = Mutex<PostgresConnection?>(nil)

    var connection: PostgresConnection? {
        get { leased.withLock { $0 } }
        set { leased.withLock { $0 = newValue } }
    }
}
