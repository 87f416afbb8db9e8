import CooperageAPI
import CooperageStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// PostgreSQL dies under load: calls answer 503 problem+json with Retry-After in bounded time (never hang, never
/// 500), readiness answers 503, and the server takes up work again by itself (the supervisor restarts the
/// embedded cluster; without it, once PostgreSQL is back). No acknowledged write is lost.
///
/// These tests kill a cluster of their own (durable, like a real one), never the shared test cluster.
@Suite(.serialized) struct DatabaseOutageTests {
    /// No request may take longer than this while PostgreSQL is down (generous: the wait is 5 s, most answer at once).
    static let answerBound = Duration.seconds(10)
    /// Readiness answers within a second; generous for a loaded test machine.
    static let readyBound = Duration.seconds(5)

    @Test func aKilledPostmasterIsRestartedAndNoAcknowledgedWriteIsLost() async throws {
        let cluster = try await OutageCluster.shared.value
        let database = cluster.database()
        let supervisor = EmbeddedPostgresSupervisor(embedded: cluster.embedded, logger: OutageCluster.logger)
        try await cluster.withApp(database: database, supervisor: supervisor) { client in
            let scene = try await cluster.scene(client)
            let load = Load(client: client, scene: scene)
            let killedPID = try await load.run {
                try await load.waitFor(acknowledged: 20)
                let pid = try #require(cluster.embedded.postmasterPID)
                #expect(kill(pid, SIGKILL) == 0)
                return pid
            }
            let figures = load.figures()
            print("outage with supervisor: \(figures)")

            let restarted = try #require(cluster.embedded.postmasterPID)
            #expect(restarted != killedPID, "the supervisor started a new postmaster")
            // Started while the server ran, it must hold none of the server's sockets (listening, clients'): those
            // would outlive their close here (``ProcessRunner/spawn(_:environment:outputPath:appending:)``).
            let postmasterSockets = Self.socketInodes(of: "\(restarted)")
            #expect(!postmasterSockets.isEmpty, "the postmaster's descriptors could not be read")
            let shared = Self.socketInodes(of: "self").intersection(postmasterSockets)
            #expect(shared.isEmpty, "the restarted postmaster holds \(shared.count) of the server's sockets")
            try await load.expectOutageAnsweredAndRecovered(figures)
            try await load.expectNoAcknowledgedWriteLost(cluster)
        }
    }

    /// Without the supervisor (as with a database URL): 503s while PostgreSQL is down, and work again once it is
    /// started (by hand here), with a pool that replaced the one whose retries slowed down during the outage.
    @Test func withoutSupervisionTheServerRecoversOncePostgreSQLIsBack() async throws {
        let cluster = try await OutageCluster.shared.value
        let database = cluster.database()
        try await cluster.withApp(database: database, supervisor: nil) { client in
            let scene = try await cluster.scene(client)
            let load = Load(client: client, scene: scene)
            _ = try await load.run {
                try await load.waitFor(acknowledged: 10)
                let pid = try #require(cluster.embedded.postmasterPID)
                #expect(kill(pid, SIGKILL) == 0)
                load.mark("killed")
                try await load.waitForUnavailable()
                // Long enough for the pool's own retries to slow down (to over a second apart).
                try await Task.sleep(for: .seconds(6))
                try cluster.embedded.restartAfterCrash()
                load.mark("restarted")
                return pid
            }
            let figures = load.figures()
            print("outage without supervisor: \(figures)")
            try await load.expectOutageAnsweredAndRecovered(figures)
            try await load.expectNoAcknowledgedWriteLost(cluster)
        }
    }

    /// SQLSTATE 42501 has two meanings: row-level security refusing a row (the caller's target does not exist for
    /// it: 404) and everything else (an append-only trigger, a missing privilege: the server tried what it never
    /// should, 500). A statement timeout is 503; a slow call on a live database is not cut off at the wait.
    @Test func refusalsAndTimeoutsAnswerAsTheyMean() async throws {
        let cluster = try await OutageCluster.shared.value
        // A short wait, so the slow call below outlasts it.
        let database = cluster.database(timeouts: .init(wait: .seconds(1)))
        try await cluster.admin { connection in
            // Rewrites audit rows as their owner would: the append-only trigger refuses it.
            try await connection.query(
                """
                CREATE OR REPLACE FUNCTION public.outage_test_rewrite_audit() RETURNS void
                LANGUAGE sql SECURITY DEFINER SET search_path = cooperage AS $$
                    UPDATE cooperative_audit_event SET action = action;
                    UPDATE audit_event SET action = action;
                $$
                """,
                logger: TestDatabase.logger
            )
        }
        try await cluster.withApp(
            database: database,
            supervisor: nil,
            routes: { router in
                router.post("outage-test/:tenant/:other/:what") { _, context in
                    let tenant = try #require(UUID(uuidString: try context.parameters.require("tenant")))
                    let other = try #require(UUID(uuidString: try context.parameters.require("other")))
                    let what = try context.parameters.require("what")
                    return try await database.withTenant(tenant) { connection -> String in
                        switch what {
                        case "trigger":
                            _ = try await connection.query("SELECT public.outage_test_rewrite_audit()", logger: context.logger)
                                .collect()
                        case "privilege":
                            _ = try await connection.query(
                                "DELETE FROM usage_record WHERE tenant_id = \(tenant)",
                                logger: context.logger
                            ).collect()
                        case "row-level-security":
                            _ = try await connection.query(
                                """
                                INSERT INTO participation (tenant_id, kind, resolution_number, resolution_date, effective_on)
                                VALUES (\(other), 'interlocal-agreement', 'R-1', '2026-01-05', '2026-01-01')
                                """,
                                logger: context.logger
                            ).collect()
                        case "settings":
                            var answer = ""
                            let rows = try await connection.query(
                                "SELECT current_setting('statement_timeout'), current_setting('idle_in_transaction_session_timeout')",
                                logger: context.logger
                            )
                            for try await (statement, idle) in rows.decode((String, String).self) {
                                answer = "\(statement) \(idle)"
                            }
                            return answer
                        case "statement-timeout":
                            try await connection.query("SET LOCAL statement_timeout = 100", logger: context.logger)
                            _ = try await connection.query("SELECT pg_sleep(2)", logger: context.logger).collect()
                        default:
                            _ = try await connection.query("SELECT pg_sleep(2)", logger: context.logger).collect()
                        }
                        return "done"
                    }
                }
            }
        ) { client in
            let tenant = try await client.createTenant()
            let other = try await client.createTenant()
            func call(_ what: String) async throws -> TestClient.Reply {
                try await client.send(.post, "/outage-test/\(tenant)/\(other)/\(what)", token: nil)
            }

            let trigger = try await call("trigger")
            #expect(trigger.status == .internalServerError, "\(trigger.text)")
            #expect(trigger.problemType == "internal")
            let privilege = try await call("privilege")
            #expect(privilege.status == .internalServerError, "\(privilege.text)")
            #expect(privilege.problemType == "internal")

            let hidden = try await call("row-level-security")
            #expect(hidden.status == .notFound, "\(hidden.text)")
            #expect(hidden.problemType == "not-found")

            // Every pooled session starts with the configured server-side timeouts.
            let settings = try await call("settings")
            #expect(settings.text == "30s 1min", "\(settings.text)")

            let timedOut = try await call("statement-timeout")
            #expect(timedOut.status == .serviceUnavailable, "\(timedOut.text)")
            #expect(timedOut.problemType == "unavailable")
            #expect(timedOut.headers[.retryAfter] != nil)

            // Two seconds of work against a wait of one: PostgreSQL answers the probe, so the call carries on.
            let slow = try await call("slow")
            #expect(slow.status == .ok, "\(slow.text)")
            #expect(slow.text == "done")

            let ready = try await client.send(.get, "/health/ready", token: nil)
            #expect(ready.status == .ok, "\(ready.text)")
        }
    }

    /// The inodes of the sockets process `process` (a pid, or "self") holds open, from /proc.
    static func socketInodes(of process: String) -> Set<String> {
        let folder = "/proc/\(process)/fd"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return Set(
            entries.compactMap { entry in
                let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(folder)/\(entry)")
                return target.flatMap { $0.hasPrefix("socket:") ? $0 : nil }
            }
        )
    }
}

// MARK: - The cluster these tests kill

/// A durable embedded cluster of this suite's own (commits wait for the disk, as in production), migrated once.
struct OutageCluster: Sendable {
    let embedded: EmbeddedPostgres
    let url: DatabaseURL

    static let logger: Logger = {
        var logger = Logger(label: "cooperage-outage-tests")
        logger.logLevel = ProcessInfo.processInfo.environment["TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        return logger
    }()

    static let shared = Task<OutageCluster, any Error> {
        let embedded = try EmbeddedPostgres(directory: "/tmp/coop-outage-\(getpid())", durable: true)
        try embedded.start()
        try embedded.removeWhenProcessExits()
        let url = try DatabaseURL(parsing: embedded.url)
        try await Migrator(url: url, logger: TestDatabase.logger).migrate()
        return OutageCluster(embedded: embedded, url: url)
    }

    func database(timeouts: Database.Timeouts = .init()) -> Database {
        Database(url: url, appPassword: nil, maximumConnections: 8, timeouts: timeouts, logger: Self.logger)
    }

    /// Runs `body` against the application on `database` (and the supervisor, when given), both run as services.
    func withApp(
        database: Database,
        supervisor: EmbeddedPostgresSupervisor?,
        routes: (Router<CooperageRequestContext>) -> Void = { _ in },
        _ body: @escaping @Sendable (TestClient) async throws -> Void
    ) async throws {
        let router = CooperageServer.router(database: database, expectedMigration: try Migration.bundled().last?.version ?? 0)
        routes(router)
        var app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: Self.logger)
        app.addServices(database)
        if let supervisor { app.addServices(supervisor) }
        try await app.test(.router) { client in
            _ = try await TokenStore(database: database).ensureBootstrapToken(TokenSecret(text: TestClient.adminToken))
            try await body(TestClient(client: client))
        }
    }

    @discardableResult
    func admin<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await Fixtures.admin(on: url, body)
    }

    /// An agency with an approved authorization large enough for every order of a test.
    func scene(_ client: TestClient) async throws -> UsageScene {
        try await UsageScene.make(client, authorizedCents: 100_000_000, on: url)
    }
}

// MARK: - Load while PostgreSQL dies

/// Four writers registering orders (each with its own purchase order number and Idempotency-Key) and a readiness
/// poller, all recording every answer, while `action` kills PostgreSQL; then the load goes on until the server has
/// acknowledged writes again for a while.
final class Load: Sendable {
    struct Answer: Sendable {
        let path: String
        let po: String?
        let key: String?
        let status: HTTPResponse.Status
        let problemType: String?
        let contentType: String?
        let retryAfter: String?
        let sent: ContinuousClock.Instant
        let took: Duration
    }

    struct Figures: Sendable, CustomStringConvertible {
        var killedAt: ContinuousClock.Instant
        var writes = 0
        var acknowledged = 0
        var unavailable = 0
        var other = 0
        var readyUnavailable = 0
        /// From the kill to the first 503 of a write.
        var firstUnavailable: Duration?
        /// From the kill to the first acknowledged write sent after the first 503.
        var recovered: Duration?
        var slowestWrite = Duration.zero
        var slowestUnavailableWrite = Duration.zero
        var slowestReady = Duration.zero
        var marks: [String: Duration] = [:]

        var description: String {
            func s(_ d: Duration?) -> String {
                d.map { String(format: "%.2f s", Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18) }
                    ?? "-"
            }
            return
                "writes \(writes) (201: \(acknowledged), 503: \(unavailable), other: \(other)); readiness 503s \(readyUnavailable); "
                + "first 503 \(s(firstUnavailable)) after the kill, first 201 again \(s(recovered)) after it; "
                + "slowest write \(s(slowestWrite)), slowest 503 \(s(slowestUnavailableWrite)), slowest readiness \(s(slowestReady))"
                + marks.sorted { $0.key < $1.key }.map { "; \($0.key) at \(s($0.value))" }.joined()
        }
    }

    let client: TestClient
    let scene: UsageScene
    private let answers = Mutex<[Answer]>([])
    private let events = Mutex<[String: ContinuousClock.Instant]>([:])
    private let stopping = Atomic(false)

    init(client: TestClient, scene: UsageScene) {
        self.client = client
        self.scene = scene
    }

    /// Runs the load; `action` kills PostgreSQL (and returns what the test needs of it), then the load goes on
    /// until writes have been acknowledged for two seconds after the outage (at most a minute).
    func run<T: Sendable>(_ action: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    var number = 0
                    while !self.stopping.load(ordering: .relaxed) {
                        number += 1
                        let answer = try await self.write(po: "PO-\(writer)-\(number)", key: UUID().uuidString)
                        if answer.status != .created { try await Task.sleep(for: .milliseconds(20)) }
                    }
                    return nil
                }
            }
            group.addTask {
                while !self.stopping.load(ordering: .relaxed) {
                    _ = try await self.send(.get, "/health/ready", token: nil, po: nil, key: nil)
                    try await Task.sleep(for: .milliseconds(50))
                }
                return nil
            }
            defer { stopping.store(true, ordering: .relaxed) }
            let result = try await action()
            if events.withLock({ $0["killed"] == nil }) { mark("killed") }
            try await waitForUnavailable()
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                if let since = recoveredSince(), since.duration(to: .now) > .seconds(2) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            stopping.store(true, ordering: .relaxed)
            while try await group.next() != nil {}
            return result
        }
    }

    func mark(_ event: String) {
        events.withLock { $0[event] = .now }
    }

    func waitFor(acknowledged count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while answers.withLock({ $0.filter { $0.status == .created }.count }) < count {
            try #require(ContinuousClock.now < deadline, "no \(count) writes acknowledged within a minute")
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits (at most a minute) until a write and the readiness check have both been answered 503.
    func waitForUnavailable() async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let (write, ready) = answers.withLock { answers in
                (
                    answers.contains { $0.po != nil && $0.status == .serviceUnavailable },
                    answers.contains { $0.po == nil && $0.status == .serviceUnavailable }
                )
            }
            if write && ready { return }
            try #require(ContinuousClock.now < deadline, "no 503 within a minute of the kill (write: \(write), ready: \(ready))")
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// When the first acknowledged write was sent after the first 503 was answered (and after PostgreSQL was
    /// started again, when the test did it).
    private func recoveredSince() -> ContinuousClock.Instant? {
        let restarted = events.withLock { $0["restarted"] }
        return answers.withLock { answers in
            guard
                let outage = answers.filter({ $0.status == .serviceUnavailable && $0.po != nil }).map({ $0.sent + $0.took })
                    .min()
            else { return nil }
            let after = max(outage, restarted ?? outage)
            return answers.filter { $0.status == .created && $0.po != nil && $0.sent > after }.map(\.sent).min()
        }
    }

    @discardableResult
    func write(po: String, key: String) async throws -> Answer {
        try await send(.post, "/v1/usage", token: scene.buyer, po: po, key: key)
    }

    private func send(_ method: HTTPRequest.Method, _ path: String, token: String?, po: String?, key: String?) async throws
        -> Answer
    {
        let sent = ContinuousClock.now
        let reply: TestClient.Reply
        if let po, let key {
            reply = try await client.send(
                method,
                path,
                token: token,
                json: scene.order(po: po, quantity: 1, unitPriceCents: 100),
                headers: UsageScene.key(key)
            )
        } else {
            reply = try await client.send(method, path, token: token)
        }
        let answer = Answer(
            path: path,
            po: po,
            key: key,
            status: reply.status,
            problemType: reply.problemType,
            contentType: reply.headers[.contentType],
            retryAfter: reply.headers[.retryAfter],
            sent: sent,
            took: sent.duration(to: .now)
        )
        answers.withLock { $0.append(answer) }
        return answer
    }

    func figures() -> Figures {
        let answers = answers.withLock { $0 }
        let events = events.withLock { $0 }
        let killedAt = events["killed"] ?? .now
        var figures = Figures(killedAt: killedAt)
        for answer in answers {
            if answer.po != nil {
                figures.writes += 1
                figures.slowestWrite = max(figures.slowestWrite, answer.took)
                switch answer.status {
                case .created: figures.acknowledged += 1
                case .serviceUnavailable:
                    figures.unavailable += 1
                    figures.slowestUnavailableWrite = max(figures.slowestUnavailableWrite, answer.took)
                default: figures.other += 1
                }
            } else {
                figures.slowestReady = max(figures.slowestReady, answer.took)
                if answer.status == .serviceUnavailable { figures.readyUnavailable += 1 }
            }
        }
        let outage = answers.filter { $0.po != nil && $0.status == .serviceUnavailable }.map { $0.sent + $0.took }.min()
        figures.firstUnavailable = outage.map { killedAt.duration(to: $0) }
        if let outage {
            let after = max(outage, events["restarted"] ?? outage)
            figures.recovered = answers.filter { $0.po != nil && $0.status == .created && $0.sent > after }
                .map { $0.sent + $0.took }.min().map { killedAt.duration(to: $0) }
        }
        for (event, at) in events where event != "killed" { figures.marks[event] = killedAt.duration(to: at) }
        return figures
    }

    /// Every answer was a 201 or a 503 problem with Retry-After, none took long, readiness said 503 promptly,
    /// and writes were acknowledged again.
    func expectOutageAnsweredAndRecovered(_ figures: Figures) async throws {
        let answers = answers.withLock { $0 }
        let writes = answers.filter { $0.po != nil }
        #expect(writes.allSatisfy { $0.status == .created || $0.status == .serviceUnavailable }, "\(figures)")
        #expect(!writes.contains { $0.status == .internalServerError }, "no 500 while PostgreSQL was down")
        for answer in answers where answer.status == .serviceUnavailable {
            #expect(answer.problemType == "unavailable", "\(answer)")
            #expect(answer.contentType == "application/problem+json", "\(answer)")
            #expect(answer.retryAfter.flatMap(Int.init).map { $0 > 0 } == true, "\(answer)")
        }
        #expect(figures.unavailable > 0 && figures.readyUnavailable > 0, "\(figures)")
        #expect(writes.allSatisfy { $0.took < DatabaseOutageTests.answerBound }, "\(figures)")
        #expect(
            answers.filter { $0.po == nil }.allSatisfy { $0.took < DatabaseOutageTests.readyBound },
            "\(figures)"
        )
        #expect(figures.recovered != nil, "writes acknowledged again after the outage: \(figures)")
        let ready = try await client.send(.get, "/health/ready", token: nil)
        #expect(ready.status == .ok, "\(ready.text)")
    }

    /// Every acknowledged order is in the database; every order answered 503, sent again with its key, is
    /// registered once (it either did not happen, or is replayed).
    func expectNoAcknowledgedWriteLost(_ cluster: OutageCluster) async throws {
        let answers = answers.withLock { $0 }
        let refused = answers.filter { $0.po != nil && $0.status == .serviceUnavailable }
        for answer in refused {
            guard let po = answer.po, let key = answer.key else { continue }
            let again = try await write(po: po, key: key)
            #expect(again.status == .created, "\(po) sent again: \(again.status)")
        }
        let acknowledged = Set(answers.filter { $0.status == .created }.compactMap(\.po))
        let tenant = try #require(UUID(uuidString: scene.agency))
        let stored = try await cluster.admin { connection in
            try await connection.query(
                "SELECT po_number, count(*)::bigint FROM usage_record WHERE tenant_id = \(tenant) GROUP BY po_number",
                logger: TestDatabase.logger
            ).decode((String, Int).self).array()
        }
        let storedPOs = Set(stored.map(\.0))
        let lost = acknowledged.subtracting(storedPOs)
        #expect(lost.isEmpty, "acknowledged (201) but not in the database: \(lost.sorted())")
        #expect(stored.allSatisfy { $0.1 == 1 }, "registered twice: \(stored.filter { $0.1 > 1 })")
        #expect(storedPOs == acknowledged.union(refused.compactMap(\.po)), "every order registered once after its retry")
    }
}
