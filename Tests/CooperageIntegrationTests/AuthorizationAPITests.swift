import CooperageCore
import CooperageStore
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

/// The gate before any piggyback use, black-box through the HTTP API.
@Suite struct AuthorizationAPITests {
    static let councilThreshold = """
        [{"type": "approval-threshold", "parameters": {"amountCents": 3000000, "approver": "city-council", "requiresResolution": true},
          "citation": "Palm Coast Code of Ordinances 2-26"}]
        """

    /// A lead agency with an agreement, and a participating agency with a buyer token.
    struct Scene {
        let lead: String
        let agreement: String
        let agency: String
        let buyer: String
    }

    func scene(_ client: TestClient, agreement build: ((String) async throws -> String)? = nil, participates: Bool = true)
        async throws -> Scene
    {
        let lead = try await client.createTenant(state: "TX", entityType: "state-agency", name: "Lead Agency")
        let agreement: String
        if let build { agreement = try await build(lead) } else { agreement = try await Fixtures.agreement(lead: lead) }
        let agency = try await client.createTenant(state: "TX", entityType: "city", name: "Buyer City")
        if participates { try await Fixtures.participation(tenant: agency) }
        return Scene(
            lead: lead,
            agreement: agreement,
            agency: agency,
            buyer: try await client.token(for: agency, role: "agency-buyer")
        )
    }

    func request(_ scene: Scene, amountCents: Int = 4_500_000, funding: [[String: Any]]? = nil) -> [String: Any] {
        var body: [String: Any] = [
            "agreementId": scene.agreement, "amountCents": amountCents, "purchaseDate": "2026-12-01", "category": "43211507",
            "purpose": "Laptops for the building department",
        ]
        if let funding { body["fundingLines"] = funding }
        return body
    }

    func result(_ reply: TestClient.Reply, rule: String) -> [String: Any]? {
        let decision = reply.json["decision"] as? [String: Any]
        return (decision?["results"] as? [[String: Any]])?.first { $0["rule"] as? String == rule }
    }

    @Test func agenciesWithDifferentPoliciesGetDifferentExplainedDecisions() async throws {
        try await withApp { client in
            let open = try await scene(client)
            let strictAgency = try await client.createTenant(state: "TX", entityType: "city", name: "Strict City")
            try await Fixtures.participation(tenant: strictAgency)
            try await Fixtures.policy(tenant: strictAgency, rules: Self.councilThreshold)
            let strictBuyer = try await client.token(for: strictAgency, role: "agency-buyer")

            let approved = try await client.send(.post, "/v1/authorizations", token: open.buyer, json: request(open))
            #expect(approved.status == .created)
            #expect(approved.string("outcome") == "approved")
            #expect(approved.json["authorizedAmountCents"] as? Int == 4_500_000)
            #expect(approved.string("validUntil").map { $0 <= "2028-12-31" } == true)

            let pending = try await client.send(.post, "/v1/authorizations", token: strictBuyer, json: request(open))
            #expect(pending.status == .created)
            #expect(pending.string("outcome") == "pending")
            #expect(pending.json["authorizedAmountCents"] as? Int == 0)
            let threshold = try #require(result(pending, rule: "approval-threshold"))
            #expect(threshold["outcome"] as? String == "needs-approval")
            #expect((threshold["message"] as? String)?.contains("$30,000.00") == true)
            #expect(threshold["citation"] as? String == "Palm Coast Code of Ordinances 2-26")
            // Gates come first and each explains itself.
            let results = try #require((pending.json["decision"] as? [String: Any])?["results"] as? [[String: Any]])
            #expect(results.first?["kind"] as? String == "gate")
            #expect(results.allSatisfy { !($0["message"] as? String ?? "").isEmpty })
        }
    }

    @Test func anApprovalWithItsResolutionTurnsPendingIntoApproved() async throws {
        try await withApp { client in
            let scene = try await scene(client)
            try await Fixtures.policy(tenant: scene.agency, rules: Self.councilThreshold)
            let pending = try await client.send(.post, "/v1/authorizations", token: scene.buyer, json: request(scene))
            let id = try #require(pending.string("id"))
            #expect(pending.string("outcome") == "pending")

            // Buyers cannot approve; approvers can, and must bring the council's resolution.
            let byBuyer = try await client.send(
                .post,
                "/v1/authorizations/\(id)/approvals",
                token: scene.buyer,
                json: ["ruleType": "approval-threshold"]
            )
            #expect(byBuyer.status == .forbidden)
            let approver = try await client.token(for: scene.agency, role: "agency-approver")
            let withoutResolution = try await client.send(
                .post,
                "/v1/authorizations/\(id)/approvals",
                token: approver,
                json: ["ruleType": "approval-threshold"]
            )
            #expect(withoutResolution.status == .ok)
            #expect(withoutResolution.string("outcome") == "pending")

            let approved = try await client.send(
                .post,
                "/v1/authorizations/\(id)/approvals",
                token: approver,
                json: ["ruleType": "approval-threshold", "resolutionNumber": "2026-114", "resolutionDate": "2026-11-20"]
            )
            #expect(approved.status == .ok)
            #expect(approved.string("outcome") == "approved")
            #expect(approved.json["authorizedAmountCents"] as? Int == 4_500_000)

            let history = try await client.send(.get, "/v1/authorizations/\(id)", token: scene.buyer)
            let decisions = try #require(history.json["decisions"] as? [[String: Any]])
            #expect(decisions.map { $0["outcome"] as? String } == ["pending", "pending", "approved"])
            #expect(decisions.map { $0["trigger"] as? String } == ["request", "approval", "approval"])
            #expect((history.json["approvals"] as? [Any])?.count == 2)
            // An approved request takes no more approvals.
            let again = try await client.send(
                .post,
                "/v1/authorizations/\(id)/approvals",
                token: approver,
                json: ["ruleType": "approval-threshold"]
            )
            #expect(again.status == .conflict)
        }
    }

    @Test func anExpiredAgreementIsDeniedWithItsReason() async throws {
        try await withApp { client in
            let scene = try await scene(client, agreement: { try await Fixtures.agreement(lead: $0, expiresOn: "2026-06-30") })
            let reply = try await client.send(.post, "/v1/authorizations", token: scene.buyer, json: request(scene))
            #expect(reply.string("outcome") == "denied")
            let gate = try #require(result(reply, rule: "agreement-in-term"))
            #expect(gate["outcome"] as? String == "fail")
            #expect((gate["message"] as? String)?.contains("2026-06-30") == true)
            #expect((gate["citation"] as? String)?.isEmpty == false)
        }
    }

    @Test func anIneligibleStateIsDenied() async throws {
        try await withApp { client in
            let scene = try await scene(
                client,
                agreement: { try await Fixtures.agreement(lead: $0, eligibleStates: ["CA", "OR"]) }
            )
            let reply = try await client.send(.post, "/v1/authorizations", token: scene.buyer, json: request(scene))
            #expect(reply.string("outcome") == "denied")
            #expect(result(reply, rule: "state-eligible")?["outcome"] as? String == "fail")
        }
    }

    @Test func aDebarredSupplierIsDenied() async throws {
        try await withApp { client in
            let scene = try await scene(client)
            try await Fixtures.setSupplierStatus(ofAgreement: scene.agreement, to: "debarred")
            let reply = try await client.send(.post, "/v1/authorizations", token: scene.buyer, json: request(scene))
            #expect(reply.string("outcome") == "denied")
            let gate = try #require(result(reply, rule: "supplier-eligible"))
            #expect(gate["outcome"] as? String == "fail")
            #expect((gate["message"] as? String)?.contains("debarred") == true)
        }
    }

    @Test func aMissingParticipationInstrumentIsDenied() async throws {
        try await withApp { client in
            let scene = try await scene(client, participates: false)
            let reply = try await client.send(.post, "/v1/authorizations", token: scene.buyer, json: request(scene))
            #expect(reply.string("outcome") == "denied")
            #expect(result(reply, rule: "participation-in-force")?["outcome"] as? String == "fail")
        }
    }

    @Test func federalFundsWithoutComplianceEvidenceAreCaught() async throws {
        try await withApp { client in
            let scene = try await scene(client, agreement: { try await Fixtures.agreement(lead: $0, complianceLetter: false) })
            try await Fixtures.policy(
                tenant: scene.agency,
                rules: """
                    [{"type": "federal-funds", "parameters": {"microPurchaseThresholdCents": 1500000,
                      "simplifiedAcquisitionThresholdCents": 35000000}, "citation": "2 CFR 200.317-200.327"}]
                    """
            )
            let federal = try await client.send(
                .post,
                "/v1/authorizations",
                token: scene.buyer,
                json: request(scene, funding: [["source": "federal", "program": "FEMA-PA", "amountCents": 4_500_000]])
            )
            #expect(federal.status == .created)
            #expect(federal.string("outcome") != "approved")
            let rule = try #require(result(federal, rule: "federal-funds"))
            #expect(["fail", "needs-evidence"].contains(rule["outcome"] as? String ?? ""))
            #expect(rule["citation"] as? String == "2 CFR 200.317-200.327")
            // The same purchase with local money is not touched by the overlay.
            let local = try await client.send(.post, "/v1/authorizations", token: scene.buyer, json: request(scene))
            #expect(result(local, rule: "federal-funds")?["outcome"] as? String == "not-applicable")
        }
    }

    @Test func concurrentRequestsNeverExceedTheCeiling() async throws {
        try await withApp { client in
            let lead = try await client.createTenant(state: "TX", entityType: "state-agency")
            let agreement = try await Fixtures.agreement(lead: lead, ceilingCents: 10_000_000)
            var buyers: [String] = []
            for _ in 0..<12 {
                let agency = try await client.createTenant()
                try await Fixtures.participation(tenant: agency)
                buyers.append(try await client.token(for: agency, role: "agency-buyer"))
            }
            let body =
                #"{"agreementId": "\#(agreement)", "amountCents": 1000000, "purchaseDate": "2026-12-01", "category": "43211507", "purpose": "Monitors"}"#
            let outcomes = try await withThrowingTaskGroup(of: String?.self) { group in
                for buyer in buyers {
                    group.addTask {
                        try await client.send(.post, "/v1/authorizations", token: buyer, raw: body).string("outcome")
                    }
                }
                return try await group.reduce(into: [String?]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == "approved" }.count == 10)
            #expect(outcomes.filter { $0 == "denied" }.count == 2)
            let committed = try await Fixtures.admin { connection in
                try await connection.query(
                    "SELECT committed_cents FROM agreement_commitment WHERE agreement_id = \(UUID(uuidString: agreement)!)",
                    logger: TestDatabase.logger
                ).decode(Int.self).array().first
            }
            #expect(committed == 10_000_000)
        }
    }

    @Test func anotherTenantsAuthorizationAnswers404() async throws {
        try await withApp { client in
            let scene = try await scene(client)
            let created = try await client.send(.post, "/v1/authorizations", token: scene.buyer, json: request(scene))
            let id = try #require(created.string("id"))
            let stranger = try await client.createTenant()
            let strangerBuyer = try await client.token(for: stranger, role: "agency-buyer")
            let strangerApprover = try await client.token(for: stranger, role: "agency-approver")
            let read = try await client.send(.get, "/v1/authorizations/\(id)", token: strangerBuyer)
            #expect(read.status == .notFound)
            #expect(read.problemType == "not-found")
            let approve = try await client.send(
                .post,
                "/v1/authorizations/\(id)/approvals",
                token: strangerApprover,
                json: ["ruleType": "approval-threshold"]
            )
            #expect(approve.status == .notFound)
            let list = try await client.send(.get, "/v1/authorizations", token: strangerBuyer)
            #expect((list.json["items"] as? [Any])?.isEmpty == true)
            // Cooperative staff read it by naming the tenant.
            let byAdmin = try await client.send(.get, "/v1/authorizations/\(id)?tenantId=\(scene.agency)")
            #expect(byAdmin.status == .ok)
        }
    }

    @Test func aRetryWithTheSameIdempotencyKeyIsOneAuthorization() async throws {
        try await withApp { client in
            let scene = try await scene(client)
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "retry-\(UUID())"]
            let first = try await client.send(.post, "/v1/authorizations", token: scene.buyer, json: request(scene), headers: key)
            let second = try await client.send(
                .post,
                "/v1/authorizations",
                token: scene.buyer,
                json: request(scene),
                headers: key
            )
            #expect(first.status == .created)
            #expect(second.status == .created)
            #expect(second.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(first.string("id") == second.string("id"))
            let other = try await client.send(
                .post,
                "/v1/authorizations",
                token: scene.buyer,
                json: request(scene, amountCents: 100),
                headers: key
            )
            #expect(other.status == .conflict)
            let list = try await client.send(.get, "/v1/authorizations", token: scene.buyer)
            #expect((list.json["items"] as? [Any])?.count == 1)
        }
    }

    @Test func invalidRequestsNameTheirField() async throws {
        try await withApp { client in
            let scene = try await scene(client)
            var body = request(scene)
            body["category"] = "4321"
            #expect(try await client.send(.post, "/v1/authorizations", token: scene.buyer, json: body).pointers == ["/category"])
            let mismatched = try await client.send(
                .post,
                "/v1/authorizations",
                token: scene.buyer,
                json: request(scene, funding: [["source": "local", "amountCents": 100]])
            )
            #expect(mismatched.pointers == ["/fundingLines"])
            body = request(scene)
            body["agreementId"] = UUID().uuidString
            let unknown = try await client.send(.post, "/v1/authorizations", token: scene.buyer, json: body)
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.pointers == ["/agreementId"])
            let byAdmin = try await client.send(.post, "/v1/authorizations", json: request(scene))
            #expect(byAdmin.status == .forbidden)
        }
    }

    @Test func decisionsAndAuditRowsCannotBeRewrittenByTheServerRole() async throws {
        try await withApp { client in
            let scene = try await scene(client)
            let created = try await client.send(.post, "/v1/authorizations", token: scene.buyer, json: request(scene))
            let id = try #require(created.string("id").flatMap(UUID.init(uuidString:)))
            let tenant = UUID(uuidString: scene.agency)!
            let connection = try await TestDatabase.adminURL().with(user: "cooperage_app", password: nil).connect(
                logger: TestDatabase.logger
            )
            defer { Task { try? await connection.close() } }
            for statement: PostgresQuery in [
                "UPDATE authorization_decision SET outcome = 'denied' WHERE authorization_id = \(id)",
                "DELETE FROM authorization_decision WHERE authorization_id = \(id)",
                "UPDATE audit_event SET action = 'nothing' WHERE tenant_id = \(tenant)",
                "DELETE FROM audit_event WHERE tenant_id = \(tenant)",
            ] {
                await #expect(throws: (any Error).self) {
                    try await connection.withTransaction(logger: TestDatabase.logger) { connection in
                        try await connection.query(
                            "SELECT set_config('app.tenant_id', \(scene.agency), true)",
                            logger: TestDatabase.logger
                        )
                        try await connection.query(statement, logger: TestDatabase.logger)
                    }
                }
            }
        }
    }

    @Test func theAuditTrailShowsEachAgencyItsOwnChainAndTheCooperativeEverything() async throws {
        try await withApp { client in
            let scene = try await scene(client)
            _ = try await client.send(.post, "/v1/authorizations", token: scene.buyer, json: request(scene))
            let agencyAdmin = try await client.token(for: scene.agency, role: "agency-admin")
            let own = try await client.send(.get, "/v1/audit", token: agencyAdmin)
            #expect(own.status == .ok)
            let ownEvents = try #require(own.json["items"] as? [[String: Any]])
            let actions = Set(ownEvents.compactMap { $0["action"] as? String })
            #expect(actions.isSuperset(of: ["authorization.requested", "authorization.decided", "token.issued"]))
            #expect(ownEvents.allSatisfy { ($0["tenantId"] as? String)?.lowercased() == scene.agency.lowercased() })
            // Chains link: each event names the hash of the one before it.
            let ordered = ownEvents.sorted { ($0["seq"] as? Int ?? 0) < ($1["seq"] as? Int ?? 0) }
            for (previous, next) in zip(ordered, ordered.dropFirst()) {
                #expect(next["previousHash"] as? String == previous["hash"] as? String)
            }
            // Buyers read their agency's trail too; another agency sees none of these events.
            #expect(try await client.send(.get, "/v1/audit", token: scene.buyer).status == .ok)
            let strangerAdmin = try await client.token(for: try await client.createTenant(), role: "agency-admin")
            let stranger = try await client.send(.get, "/v1/audit", token: strangerAdmin)
            #expect(
                (stranger.json["items"] as? [[String: Any]] ?? []).allSatisfy {
                    ($0["tenantId"] as? String)?.lowercased() != scene.agency.lowercased()
                }
            )
            // The cooperative reads one agency's chain by name, or everything.
            let named = try await client.send(.get, "/v1/audit?tenantId=\(scene.agency)&limit=1000")
            #expect((named.json["items"] as? [Any])?.count == ownEvents.count)
            let everything = try await client.send(.get, "/v1/audit?limit=1000")
            let all = try #require(everything.json["items"] as? [[String: Any]])
            #expect(all.contains { ($0["tenantId"] as? String)?.lowercased() == scene.agency.lowercased() })
            #expect(all.contains { $0["tenantId"] == nil || $0["tenantId"] is NSNull })
        }
    }
}
