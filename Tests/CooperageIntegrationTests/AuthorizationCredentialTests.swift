import CooperageStore
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

/// `POST /v1/authorizations` checks its agency token in the statement that reads the decision's facts
/// (sql/0016), not in the authentication middleware: it must refuse exactly what every other route refuses, in
/// the same order (401 and 403 before 400 and 422), decide and write nothing when it refuses, and audit the token
/// that asked.
extension AuthorizationAPITests {
    /// A body the route refuses with 422 when the caller may ask.
    func invalid(_ scene: Scene) -> [String: Any] {
        var body = request(scene, amountCents: 250_000)
        body["category"] = "4321"
        return body
    }

    func decide(_ client: TestClient, token: String?, body: [String: Any], key: String? = UUID().uuidString) async throws
        -> TestClient.Reply
    {
        try await client.send(
            .post,
            "/v1/authorizations",
            token: token,
            json: body,
            headers: key.map { UsageScene.key($0) } ?? [:]
        )
    }

    /// What the agency has asked for: requests, decisions, audit events about them, and the agreement's commitment.
    func written(_ scene: Scene) async throws -> [Int] {
        try await Fixtures.admin { connection in
            let tenant = UUID(uuidString: scene.agency)!
            return try await connection.query(
                """
                SELECT (SELECT count(*) FROM authorization_request WHERE tenant_id = \(tenant))::int,
                       (SELECT count(*) FROM authorization_decision WHERE tenant_id = \(tenant))::int,
                       (SELECT count(*) FROM audit_event WHERE tenant_id = \(tenant) AND subject_type = 'authorization')::int,
                       (SELECT coalesce(sum(committed_cents), 0) FROM agreement_commitment WHERE agreement_id = \(UUID(uuidString: scene.agreement)!))::int
                """,
                logger: TestDatabase.logger
            ).decode((Int, Int, Int, Int).self).array().map { [$0.0, $0.1, $0.2, $0.3] }.first ?? []
        }
    }

    @Test func badTokensAreUnauthenticatedBeforeTheBodyIsJudgedAndNothingIsDecided() async throws {
        try await withApp { client in
            let scene = try await scene(client)
            let unknown = TokenSecret.generate(tenantID: UUID(uuidString: scene.agency)!).text
            let unknownTenant = TokenSecret.generate(tenantID: UUID()).text
            for token in [unknown, unknownTenant, "cpa_not-a-tenant_secret", "\(scene.buyer)x"] {
                expectProblem(
                    try await decide(client, token: token, body: request(scene, amountCents: 250_000)),
                    .unauthorized,
                    type: "unauthenticated"
                )
                expectProblem(
                    try await decide(client, token: token, body: invalid(scene)),
                    .unauthorized,
                    type: "unauthenticated"
                )
                let badKey = try await decide(client, token: token, body: request(scene, amountCents: 250_000), key: "two words")
                expectProblem(badKey, .unauthorized, type: "unauthenticated")
            }
            expectProblem(try await decide(client, token: nil, body: request(scene, amountCents: 250_000)), .unauthorized)
            #expect(try await written(scene) == [0, 0, 0, 0])
            // The real token still decides, and a wrong body or key with it is judged on what is wrong.
            let approved = try await decide(client, token: scene.buyer, body: request(scene, amountCents: 250_000))
            #expect(approved.status == .created, "\(approved.text)")
            #expect(approved.string("outcome") == "approved")
            let invalid = try await decide(client, token: scene.buyer, body: invalid(scene))
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.pointers == ["/category"])
            expectProblem(
                try await decide(client, token: scene.buyer, body: request(scene, amountCents: 250_000), key: "two words"),
                .badRequest
            )
            #expect(try await written(scene) == [1, 1, 2, 250_000])
        }
    }

    @Test func aRevokedTokenStopsAskingAtOnceAndItsRetryIsNotReplayed() async throws {
        try await withApp { client in
            let scene = try await scene(client)
            let issued = try await client.send(
                .post,
                "/v1/tenants/\(scene.agency)/tokens",
                json: ["role": "agency-buyer", "name": "revoked soon"]
            )
            let token = try #require(issued.string("token"))
            let key = UUID().uuidString
            let first = try await decide(client, token: token, body: request(scene, amountCents: 250_000), key: key)
            #expect(first.status == .created, "\(first.text)")
            #expect(try await client.send(.delete, "/v1/tokens/\(try #require(issued.string("id")))").status == .noContent)
            expectProblem(
                try await decide(client, token: token, body: request(scene, amountCents: 250_000)),
                .unauthorized,
                type: "unauthenticated"
            )
            let retry = try await decide(client, token: token, body: request(scene, amountCents: 250_000), key: key)
            expectProblem(retry, .unauthorized, type: "unauthenticated")
            // The same retry with a working token of the agency is the replay.
            let replay = try await decide(client, token: scene.buyer, body: request(scene, amountCents: 250_000), key: key)
            #expect(replay.status == .created)
            #expect(replay.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(replay.string("id") == first.string("id"))
            #expect(try await written(scene) == [1, 1, 2, 250_000])
        }
    }

    @Test func onlyBuyersAndAgencyAdminsAskAndTheRoleIsCheckedBeforeTheBody() async throws {
        try await withApp { client in
            let scene = try await scene(client)
            for role in ["agency-finance", "agency-approver"] {
                let token = try await client.token(for: scene.agency, role: role)
                let refused = try await decide(client, token: token, body: request(scene, amountCents: 250_000))
                expectProblem(refused, .forbidden, type: "forbidden")
                #expect(refused.string("detail")?.contains("your token has \(role)") == true, "\(refused.text)")
                expectProblem(try await decide(client, token: token, body: invalid(scene)), .forbidden, type: "forbidden")
                expectProblem(
                    try await decide(client, token: token, body: invalid(scene), key: nil),
                    .forbidden,
                    type: "forbidden"
                )
            }
            // Cooperative staff read decisions but do not ask for them.
            expectProblem(
                try await decide(client, token: TestClient.adminToken, body: request(scene, amountCents: 250_000)),
                .forbidden
            )
            #expect(try await written(scene) == [0, 0, 0, 0])
            let admin = try await client.token(for: scene.agency, role: "agency-admin")
            #expect(try await decide(client, token: admin, body: request(scene, amountCents: 250_000)).status == .created)
            #expect(try await written(scene) == [1, 1, 2, 250_000])
        }
    }

    @Test func aSuspendedAgencyCannotAskUntilReactivated() async throws {
        try await withApp { client in
            let scene = try await scene(client)
            let key = UUID().uuidString
            #expect(try await client.send(.post, "/v1/tenants/\(scene.agency)/suspend").status == .ok)
            let refused = try await decide(client, token: scene.buyer, body: request(scene, amountCents: 250_000), key: key)
            expectProblem(refused, .forbidden, type: "tenant-not-active")
            #expect(refused.string("detail")?.contains("suspended") == true, "\(refused.text)")
            expectProblem(
                try await decide(client, token: scene.buyer, body: invalid(scene)),
                .forbidden,
                type: "tenant-not-active"
            )
            #expect(try await written(scene) == [0, 0, 0, 0])
            #expect(try await client.send(.post, "/v1/tenants/\(scene.agency)/reactivate").status == .ok)
            // The refused attempt left nothing behind: the same key now decides afresh.
            let accepted = try await decide(client, token: scene.buyer, body: request(scene, amountCents: 250_000), key: key)
            #expect(accepted.status == .created, "\(accepted.text)")
            #expect(accepted.headers[HTTPField.Name("Idempotent-Replayed")!] == nil)
        }
    }

    @Test func theAuditEventsAndTheRequestNameTheTokenThatAsked() async throws {
        try await withApp { client in
            let scene = try await scene(client)
            let issued = try await client.send(
                .post,
                "/v1/tenants/\(scene.agency)/tokens",
                json: ["role": "agency-admin", "name": "asks"]
            )
            let token = try #require(issued.string("token"))
            let tokenID = try #require(issued.string("id").flatMap(UUID.init(uuidString:)))
            let reply = try await decide(client, token: token, body: request(scene, amountCents: 250_000))
            #expect(reply.status == .created, "\(reply.text)")
            let id = try #require(reply.string("id")).lowercased()
            let (events, requestedBy) = try await Fixtures.admin { connection in
                let events = try await connection.query(
                    """
                    SELECT actor_token_id, actor_role, action FROM audit_event
                    WHERE tenant_id = \(UUID(uuidString: scene.agency)!) AND subject_type = 'authorization' AND subject_id = \(id)
                    ORDER BY seq
                    """,
                    logger: TestDatabase.logger
                ).decode((UUID?, String, String).self).array()
                let requestedBy = try await connection.query(
                    "SELECT requested_by FROM authorization_request WHERE id = \(UUID(uuidString: id)!)",
                    logger: TestDatabase.logger
                ).decode(UUID.self).array().first
                return (events, requestedBy)
            }
            #expect(events.map(\.2).sorted() == ["authorization.decided", "authorization.requested"])
            #expect(events.allSatisfy { $0.0 == tokenID && $0.1 == "agency-admin" })
            #expect(requestedBy == tokenID)
        }
    }
}
