import CooperageStore
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

/// `POST /v1/usage` checks its agency token inside the registration statement (sql/0015), not in the
/// authentication middleware: it must refuse exactly what every other route refuses, in the same order
/// (401 and 403 before 400 and 422), write nothing when it refuses, and audit the token that registered.
@Suite struct UsageCredentialTests {
    func register(
        _ client: TestClient,
        _ scene: UsageScene,
        token: String?,
        body: [String: Any],
        key: String? = UUID().uuidString
    )
        async throws -> TestClient.Reply
    {
        try await client.send(.post, "/v1/usage", token: token, json: body, headers: key.map { UsageScene.key($0) } ?? [:])
    }

    /// A new token of the scene's agency: its text and its id.
    func issue(_ client: TestClient, _ scene: UsageScene, role: String) async throws -> (token: String, id: String) {
        let issued = try await client.send(.post, "/v1/tenants/\(scene.agency)/tokens", json: ["role": role, "name": role])
        return (try #require(issued.string("token")), try #require(issued.string("id")))
    }

    /// What the agency has registered: orders in usage_record and in the monthly aggregate.
    func counted(_ scene: UsageScene) async throws -> (rows: Int, cents: Int) {
        try await Fixtures.admin { connection in
            let tenant = UUID(uuidString: scene.agency)!
            let rows =
                try await connection.query(
                    "SELECT count(*)::int FROM usage_record WHERE tenant_id = \(tenant)",
                    logger: TestDatabase.logger
                ).decode(Int.self).array().first ?? -1
            let cents =
                try await connection.query(
                    "SELECT coalesce(sum(amount_cents), 0)::bigint FROM usage_monthly WHERE tenant_id = \(tenant)",
                    logger: TestDatabase.logger
                ).decode(Int.self).array().first ?? -1
            return (rows, cents)
        }
    }

    @Test func badTokensAreUnauthenticatedBeforeTheBodyIsJudgedAndNothingIsWritten() async throws {
        try await withApp { client in
            let scene = try await UsageScene.make(client)
            let unknown = TokenSecret.generate(tenantID: UUID(uuidString: scene.agency)!).text
            let unknownTenant = TokenSecret.generate(tenantID: UUID()).text
            var invalid = scene.order(po: "PO-BAD")
            invalid["amountCents"] = -5
            for token in [unknown, unknownTenant, "cpa_not-a-tenant_secret", "\(scene.buyer)x"] {
                let valid = try await register(client, scene, token: token, body: scene.order(po: "PO-\(token.suffix(6))"))
                expectProblem(valid, .unauthorized, type: "unauthenticated")
                expectProblem(
                    try await register(client, scene, token: token, body: invalid),
                    .unauthorized,
                    type: "unauthenticated"
                )
                let unkeyed = try await register(client, scene, token: token, body: scene.order(po: "PO-K"), key: nil)
                expectProblem(unkeyed, .unauthorized, type: "unauthenticated")
            }
            expectProblem(try await register(client, scene, token: nil, body: scene.order(po: "PO-ANON")), .unauthorized)
            let counted = try await counted(scene)
            #expect(counted.rows == 0)
            #expect(counted.cents == 0)
            // The real token still works, and a wrong body with it is judged on the body.
            #expect(try await register(client, scene, token: scene.buyer, body: scene.order(po: "PO-OK")).status == .created)
            expectProblem(try await register(client, scene, token: scene.buyer, body: invalid), .unprocessableContent)
        }
    }

    @Test func aRevokedTokenStopsRegisteringAtOnce() async throws {
        try await withApp { client in
            let scene = try await UsageScene.make(client)
            let (token, id) = try await issue(client, scene, role: "agency-buyer")
            let key = UUID().uuidString
            let first = try await register(client, scene, token: token, body: scene.order(po: "PO-1"), key: key)
            #expect(first.status == .created)
            #expect(try await client.send(.delete, "/v1/tokens/\(id)").status == .noContent)
            let refused = try await register(client, scene, token: token, body: scene.order(po: "PO-2"))
            expectProblem(refused, .unauthorized, type: "unauthenticated")
            // A retry of the first order with the revoked token is refused too, not replayed.
            let retry = try await register(client, scene, token: token, body: scene.order(po: "PO-1"), key: key)
            expectProblem(retry, .unauthorized, type: "unauthenticated")
            // The same retry with a working token of the agency is the replay.
            let replay = try await register(client, scene, token: scene.buyer, body: scene.order(po: "PO-1"), key: key)
            #expect(replay.status == .created)
            #expect(replay.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(replay.string("id") == first.string("id"))
            #expect(try await counted(scene).rows == 1)
        }
    }

    @Test func onlyBuyersAndAgencyAdminsRegisterAndTheRoleIsCheckedBeforeTheBody() async throws {
        try await withApp { client in
            let scene = try await UsageScene.make(client)
            var invalid = scene.order(po: "PO-BAD")
            invalid["lines"] = []
            for role in ["agency-finance", "agency-approver"] {
                let token = try await client.token(for: scene.agency, role: role)
                let refused = try await register(client, scene, token: token, body: scene.order(po: "PO-\(role)"))
                expectProblem(refused, .forbidden, type: "forbidden")
                #expect(refused.string("detail")?.contains("your token has \(role)") == true, "\(refused.text)")
                expectProblem(try await register(client, scene, token: token, body: invalid), .forbidden, type: "forbidden")
                expectProblem(
                    try await register(client, scene, token: token, body: invalid, key: nil),
                    .forbidden,
                    type: "forbidden"
                )
            }
            // Cooperative staff read usage but do not register it.
            expectProblem(
                try await register(client, scene, token: TestClient.adminToken, body: scene.order(po: "PO-COOP")),
                .forbidden
            )
            #expect(try await counted(scene).rows == 0)
            let admin = try await client.token(for: scene.agency, role: "agency-admin")
            #expect(try await register(client, scene, token: admin, body: scene.order(po: "PO-ADMIN")).status == .created)
            #expect(try await counted(scene) == (1, 200_000))
        }
    }

    @Test func aSuspendedAgencyCannotRegisterUntilReactivated() async throws {
        try await withApp { client in
            let scene = try await UsageScene.make(client)
            let key = UUID().uuidString
            #expect(try await client.send(.post, "/v1/tenants/\(scene.agency)/suspend").status == .ok)
            let refused = try await register(client, scene, token: scene.buyer, body: scene.order(po: "PO-1"), key: key)
            expectProblem(refused, .forbidden, type: "tenant-not-active")
            #expect(refused.string("detail")?.contains("suspended") == true, "\(refused.text)")
            var invalid = scene.order(po: "PO-BAD")
            invalid["poNumber"] = ""
            expectProblem(
                try await register(client, scene, token: scene.buyer, body: invalid),
                .forbidden,
                type: "tenant-not-active"
            )
            #expect(try await counted(scene).rows == 0)
            #expect(try await client.send(.post, "/v1/tenants/\(scene.agency)/reactivate").status == .ok)
            // The refused attempt left nothing behind: the same key now registers afresh.
            let accepted = try await register(client, scene, token: scene.buyer, body: scene.order(po: "PO-1"), key: key)
            #expect(accepted.status == .created, "\(accepted.text)")
            #expect(accepted.headers[HTTPField.Name("Idempotent-Replayed")!] == nil)
        }
    }

    @Test func theAuditEventNamesTheTokenThatRegistered() async throws {
        try await withApp { client in
            let scene = try await UsageScene.make(client)
            let (token, id) = try await issue(client, scene, role: "agency-admin")
            let tokenID = try #require(UUID(uuidString: id))
            let reply = try await register(client, scene, token: token, body: scene.order(po: "PO-AUDIT"))
            #expect(reply.status == .created, "\(reply.text)")
            let recordID = try #require(reply.string("id"))
            let events = try await Fixtures.admin { connection in
                try await connection.query(
                    """
                    SELECT actor_token_id, actor_role, action FROM audit_event
                    WHERE tenant_id = \(UUID(uuidString: scene.agency)!) AND subject_type = 'usage' AND subject_id = \(recordID.lowercased())
                    """,
                    logger: TestDatabase.logger
                ).decode((UUID?, String, String).self).array()
            }
            #expect(events.count == 1)
            #expect(events.first?.0 == tokenID)
            #expect(events.first?.1 == "agency-admin")
            #expect(events.first?.2 == "usage.registered")
            // The recorded_by of the row is the same token.
            let recordedBy = try await Fixtures.admin { connection in
                try await connection.query(
                    "SELECT recorded_by FROM usage_record WHERE id = \(UUID(uuidString: recordID)!)",
                    logger: TestDatabase.logger
                ).decode(UUID?.self).array().first
            }
            #expect(recordedBy == tokenID)
        }
    }
}
