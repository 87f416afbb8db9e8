import CooperageAPI
import CooperageConsole
import CooperageCore
import CooperageStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// Runs `body` against the whole HTTP application (router, middleware, the real database).
///
/// Every test shares one connection pool, run for the whole test process: tests run in parallel, and a
/// pool per test would open more connections than PostgreSQL allows.
/// - Parameters:
///   - settings: the server's settings (timeouts, trusted proxies) as `cooperage serve` would pass them.
///   - mode: `.router` calls the router in process; `.live` serves on a free port with the server's own channel
///     handlers, for tests of the connection itself.
///   - replica: a read replica that serves reports (the caller runs its pool).
///   - pool: the server's pool when not the shared one (another database, a pooler in between); the caller runs it.
func withApp(
    importSlots: ImportSlots = ImportSlots(),
    settings: ServerSettings = ServerSettings(),
    mode: TestingSetup = .router,
    replica: ReadReplica? = nil,
    pool: Database? = nil,
    _ body: @escaping @Sendable (TestClient) async throws -> Void
) async throws {
    let database = if let pool { pool } else { try await SharedPool.database.value }
    let app = Application(
        router: CooperageServer.router(
            database: database,
            expectedMigration: try Migration.bundled().last!.version,
            importSlots: importSlots,
            settings: settings,
            replica: replica,
            additionalRoutes: [try ConsoleRoutes()]
        ),
        server: CooperageServer.httpServer(settings: settings, logger: TestDatabase.logger),
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        logger: TestDatabase.logger
    )
    try await app.test(mode) { client in
        try await body(TestClient(client: client))
    }
}

/// The process-wide pool of the server's role, with the bootstrap admin token in place.
enum SharedPool {
    static let database = Task<Database, any Error> {
        let database = try await TestDatabase.database(maximumConnections: 24)
        // Runs until the test process exits.
        Task.detached { try? await database.run() }
        _ = try await TokenStore(database: database).ensureBootstrapToken(TokenSecret(text: TestClient.adminToken))
        return database
    }
}

/// A thin JSON client over Hummingbird's test client: of the application under test (in process or live), or of a
/// `cooperage serve` process on a port of this machine (``ServerProcess``).
struct TestClient: Sendable {
    static let adminToken = "test-bootstrap-admin-token"
    /// The application's client; nil for a server process.
    private let app: (any TestClientProtocol)?
    private let processPort: Int?

    init(client: any TestClientProtocol) {
        app = client
        processPort = nil
    }

    /// A client of the server listening on `port` of 127.0.0.1 (each request on a connection of its own, so
    /// concurrent requests are concurrent on the server too).
    init(port: Int) {
        app = nil
        processPort = port
    }

    /// The port of a live server: the application's in `.live` mode, or the process's.
    var port: Int? { app?.port ?? processPort }

    struct Reply: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: Data

        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        }
        var text: String { String(decoding: body, as: UTF8.self) }
        /// The problem `type` suffix, such as `validation-failed`.
        var problemType: String? {
            (json["type"] as? String)?.replacingOccurrences(of: "https://cooperage.dev/problems/", with: "")
        }
        var pointers: [String] { (json["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String } }
        func string(_ key: String) -> String? { json[key] as? String }
    }

    @discardableResult
    func send(
        _ method: HTTPRequest.Method,
        _ path: String,
        token: String? = adminToken,
        json: Any? = nil,
        raw: String? = nil,
        bytes: [UInt8]? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        } else if let raw {
            if headers[.contentType] == nil { headers[.contentType] = "application/json" }
            body = ByteBuffer(string: raw)
        } else if let bytes {
            if headers[.contentType] == nil { headers[.contentType] = "application/json" }
            body = ByteBuffer(bytes: bytes)
        }
        if let app {
            return try await app.execute(uri: path, method: method, headers: headers, body: body) { response in
                Reply(status: response.status, headers: response.headers, body: Data(response.body.readableBytesView))
            }
        }
        let connection = HummingbirdTesting.TestClient(
            host: "127.0.0.1",
            port: try #require(processPort),
            configuration: .init(timeout: .seconds(120))
        )
        connection.connect()
        do {
            let response = try await connection.execute(
                .init(path, method: method, authority: "127.0.0.1", headers: headers, body: body)
            )
            try? await connection.shutdown()
            return Reply(
                status: response.head.status,
                headers: response.head.headerFields,
                body: Data(response.body?.readableBytesView ?? ByteBuffer().readableBytesView)
            )
        } catch {
            try? await connection.shutdown()
            throw error
        }
    }

    /// Creates a tenant with a unique slug and returns its id.
    func createTenant(state: String = "TX", entityType: String = "city", name: String = "Test Agency") async throws -> String {
        let slug = "t-\(UUID().uuidString.lowercased().prefix(18))"
        let reply = try await send(
            .post,
            "/v1/tenants",
            json: ["legalName": name, "slug": slug, "entityType": entityType, "state": state]
        )
        try #require(reply.status == .created, "creating a tenant: \(reply.text)")
        return try #require(reply.string("id"))
    }

    /// Issues an agency token for `tenant` and returns its secret.
    func token(for tenant: String, role: String, by issuer: String = adminToken) async throws -> String {
        let reply = try await send(.post, "/v1/tenants/\(tenant)/tokens", token: issuer, json: ["role": role, "name": role])
        try #require(reply.status == .created, "issuing a token: \(reply.text)")
        return try #require(reply.string("token"))
    }
}
