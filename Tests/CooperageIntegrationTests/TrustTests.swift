import CooperageAPI
import CooperageStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing

/// What the server believes: a bootstrap token only on a first start and never revived, forwarded headers only
/// from trusted proxies.
@Suite struct TrustTests {
    @Test func theBootstrapTokenIsCreatedOnAFirstStartOnlyAndNeverRevived() async throws {
        let url = try await TestDatabase.fresh(prefix: "bootstrap")
        let database = Database(url: url, appPassword: nil, maximumConnections: 2, logger: TestDatabase.logger)
        let running = Task { try? await database.run() }
        defer { running.cancel() }
        let tokens = TokenStore(database: database)
        let first = TokenSecret(text: "first-bootstrap-token-of-this-cooperative")
        #expect(try await tokens.ensureBootstrapToken(first) == .created)
        #expect(try await tokens.ensureBootstrapToken(first) == .alreadyInPlace)
        // Another secret while the first works: not a first start, so nothing is created.
        let second = TokenSecret(text: "a-second-bootstrap-token-set-later-on")
        #expect(try await tokens.ensureBootstrapToken(second) == .ignoredNotFirstStart)
        await #expect(throws: TokenStore.Rejection.self) { try await tokens.authenticate(second) }
        // Revoked, the first stays revoked across restarts, and it cannot sign in.
        let principal = try await tokens.authenticate(first)
        let connection = try await url.connect(logger: TestDatabase.logger)
        try await connection.query(
            "UPDATE cooperage.cooperative_token SET revoked_at = now() WHERE id = \(principal.tokenID)",
            logger: TestDatabase.logger
        )
        try await connection.close()
        #expect(try await tokens.ensureBootstrapToken(first) == .ignoredRevoked)
        await #expect(throws: TokenStore.Rejection.self) { try await tokens.authenticate(first) }
        // With no working admin left, a new bootstrap secret is a first start again.
        #expect(try await tokens.ensureBootstrapToken(second) == .created)
    }

    @Test func forwardedHeadersFromAnUntrustedPeerDoNotChooseExportedURIs() async throws {
        try await withApp { client in
            let uri = try await Self.exportedURI(
                client,
                headers: [
                    HTTPField.Name("X-Forwarded-Host")!: "evil.example", HTTPField.Name("X-Forwarded-Proto")!: "https",
                ]
            )
            #expect(!uri.contains("evil.example"), "\(uri)")
            #expect(uri.hasPrefix("http://"), "\(uri)")
        }
    }

    @Test func theConfiguredPublicBaseURLIsWrittenIntoExports() async throws {
        var settings = ServerSettings()
        settings.publicBaseURL = "https://coop.example.org"
        try await withApp(settings: settings) { client in
            let uri = try await Self.exportedURI(client, headers: [HTTPField.Name("X-Forwarded-Host")!: "evil.example"])
            #expect(uri.hasPrefix("https://coop.example.org/v1/exports/ocds/agreements/"), "\(uri)")
        }
    }

    @Test func aTrustedProxysForwardedHeadersAreHonoured() async throws {
        var settings = ServerSettings()
        settings.trustedProxies = ["127.0.0.1"]
        try await withApp(settings: settings, mode: .live) { client in
            let uri = try await Self.exportedURI(
                client,
                headers: [
                    HTTPField.Name("X-Forwarded-Host")!: "coop.example.org", HTTPField.Name("X-Forwarded-Proto")!: "https",
                ]
            )
            #expect(uri.hasPrefix("https://coop.example.org/"), "\(uri)")
        }
    }

    /// The `uri` of a new agreement's OCDS package, asked with `headers`.
    static func exportedURI(_ client: TestClient, headers: HTTPFields) async throws -> String {
        let lead = try await client.createTenant(entityType: "state-agency")
        let agreement = try await Fixtures.agreement(lead: lead)
        let reply = try await client.send(.get, "/v1/exports/ocds/agreements/\(agreement)", headers: headers)
        try #require(reply.status == .ok, "\(reply.text)")
        return try #require(reply.string("uri"))
    }
}
