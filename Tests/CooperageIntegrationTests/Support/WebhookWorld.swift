import CooperageAPI
import CooperageStore
import CooperageWebhooks
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import Synchronization
import Testing

/// A database of its own for a webhook test, with the API over it and dispatchers started on demand. A dispatcher
/// sends every due delivery of its database, so webhook tests never share one: another test's endpoints, failures
/// and thresholds would mix with theirs.
final class WebhookWorld: Sendable {
    let url: DatabaseURL
    let database: Database
    let settings: WebhookSettings
    private let dispatchers: Mutex<[Task<Void, Never>]>
    private let pools: Mutex<[Task<Void, Never>]>

    /// Quick retries and polls, private addresses allowed (the receiver is on 127.0.0.1).
    static let fastSettings = WebhookSettings(
        allowPrivateAddresses: true,
        attemptTimeout: .seconds(5),
        pollInterval: .milliseconds(50),
        concurrentDeliveries: 8,
        claimLease: .seconds(20),
        retrySchedule: RetrySchedule(steps: Array(repeating: .milliseconds(200), count: 40))
    )

    private init(url: DatabaseURL, database: Database, settings: WebhookSettings, pool: Task<Void, Never>) {
        self.url = url
        self.database = database
        self.settings = settings
        self.dispatchers = Mutex([])
        self.pools = Mutex([pool])
    }

    /// Runs `body` with a fresh, migrated database and the API over it (as `client`, the bootstrap admin token
    /// in place); stops every dispatcher and pool afterwards.
    static func with(
        settings: WebhookSettings = fastSettings,
        _ body: @escaping @Sendable (WebhookWorld, TestClient) async throws -> Void
    ) async throws {
        let url = try await TestDatabase.fresh(prefix: "webhooks")
        let database = Database(url: url, appPassword: nil, maximumConnections: 6, logger: TestDatabase.logger)
        let pool = Task { _ = try? await database.run() }
        let world = WebhookWorld(url: url, database: database, settings: settings, pool: pool)
        defer { world.stopEverything() }
        _ = try await TokenStore(database: database).ensureBootstrapToken(TokenSecret(text: TestClient.adminToken))
        var server = ServerSettings()
        server.webhooks = settings
        let app = Application(
            router: CooperageServer.router(
                database: database,
                expectedMigration: try Migration.bundled().last!.version,
                settings: server
            ),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: TestDatabase.logger
        )
        try await app.test(.router) { client in
            try await body(world, TestClient(client: client))
        }
    }

    /// Starts a dispatcher on this world's database (a pool of its own when `ownPool`, as a second server
    /// instance would have); it runs until the test ends.
    @discardableResult
    func startDispatcher(ownPool: Bool = false, settings override: WebhookSettings? = nil) -> String {
        var target = database
        if ownPool {
            let pool = Database(url: url, appPassword: nil, maximumConnections: 4, logger: TestDatabase.logger)
            pools.withLock { $0.append(Task { _ = try? await pool.run() }) }
            target = pool
        }
        let dispatcher = WebhookDispatcher(database: target, settings: override ?? settings, logger: TestDatabase.logger)
        dispatchers.withLock { $0.append(Task { _ = try? await dispatcher.run() }) }
        return dispatcher.name
    }

    func stopEverything() {
        for task in dispatchers.withLock({ $0 }) { task.cancel() }
        for task in pools.withLock({ $0 }) { task.cancel() }
    }

    /// Publishes an event as the server does (`event_publish`, as the server's role, in a transaction); `tenant`
    /// nil is the cooperative. Returns the event's id.
    @discardableResult
    func publish(
        tenant: String?,
        type: String,
        subject: (String, String) = ("test", UUID().uuidString.lowercased()),
        data: [String: Any] = [:]
    ) async throws -> String {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: data, options: [.sortedKeys]), as: UTF8.self)
        let scope = tenant.flatMap(UUID.init(uuidString:))
        let work: @Sendable (PostgresConnection) async throws -> UUID? = { connection in
            try await connection.query(
                "SELECT event_publish(\(scope), \(type), \(subject.0), \(subject.1), \(json)::jsonb, false, NULL)",
                logger: TestDatabase.logger
            ).decode(UUID?.self).array().first ?? nil
        }
        // An agency's events are published in its own transaction, the cooperative's in one with no tenant.
        let id: UUID?
        if let scope {
            id = try await database.withTenant(scope, work)
        } else {
            id = try await database.withTransaction(work)
        }
        return try #require(id).uuidString.lowercased()
    }

    /// Runs `sql` as the administrative user (no row-level security) and returns its single column.
    func adminValues<T: PostgresDecodable & Sendable>(_ sql: PostgresQuery, as type: T.Type) async throws -> [T] {
        try await Fixtures.admin(on: url) { connection in
            try await connection.query(sql, logger: TestDatabase.logger).decode(T.self).array()
        }
    }

    /// Waits (polling) until `condition` holds, failing the test after `limit`.
    func waitUntil(
        _ what: String,
        limit: Duration = .seconds(30),
        _ condition: @Sendable () async throws -> Bool
    ) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while clock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting until \(what)")
        throw CancellationError()
    }
}

extension TestClient {
    /// Subscribes `url` to `events` as `token`'s scope; returns the endpoint's id and secret.
    func createWebhook(url: String, events: [String], token: String = adminToken) async throws -> (id: String, secret: String) {
        let reply = try await send(
            .post,
            "/v1/webhooks",
            token: token,
            json: ["url": url, "events": events, "description": "test"]
        )
        try #require(reply.status == .created, "creating a webhook: \(reply.text)")
        return (try #require(reply.string("id")).lowercased(), try #require(reply.string("secret")))
    }

    /// The endpoint's deliveries, newest first.
    func deliveries(of endpoint: String, token: String = adminToken) async throws -> [[String: Any]] {
        let reply = try await send(.get, "/v1/webhooks/\(endpoint)/deliveries", token: token)
        try #require(reply.status == .ok, "deliveries: \(reply.text)")
        return reply.json["items"] as? [[String: Any]] ?? []
    }
}
