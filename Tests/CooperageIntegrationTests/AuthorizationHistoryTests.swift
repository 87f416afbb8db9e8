import CooperageCore
import CooperageStore
import Foundation
import PostgresNIO
import Testing

/// What a decision reads of the agency's history (`authorization_decision_facts`), seen in the inputs it stores.
extension AuthorizationAPITests {
    /// The stored inputs of the latest decision on an authorization.
    func storedInputs(of authorization: String) async throws -> [String: Any] {
        let text = try await Fixtures.admin { connection in
            try await connection.query(
                """
                SELECT inputs::text FROM authorization_decision
                WHERE authorization_id = \(UUID(uuidString: authorization)!) ORDER BY seq DESC LIMIT 1
                """,
                logger: TestDatabase.logger
            ).decode(String.self).array().first
        }
        let json = try JSONSerialization.jsonObject(with: Data(try #require(text).utf8))
        return try #require(json as? [String: Any])
    }

    /// The totals on the agreement count the agency's approved requests on that agreement only (sql/0017 reads
    /// them by the agreement's index), the fiscal year's total only those dated in it.
    @Test func aDecisionTotalsTheAgencysRequestsOnItsOwnAgreement() async throws {
        try await withApp { client in
            let scene = try await scene(client)
            let other = try await Fixtures.agreement(lead: scene.lead)
            let fiscalMonth = try await Fixtures.admin { connection in
                try await connection.query(
                    "SELECT fiscal_year_start_month::int FROM tenant WHERE id = \(UUID(uuidString: scene.agency)!)",
                    logger: TestDatabase.logger
                ).decode(Int.self).array().first
            }
            // 2026-03-01 is in the fiscal year before that of 2026-12-01 only when the year begins in July.
            try #require(fiscalMonth == 7)

            func approved(_ agreement: String, _ cents: Int, on date: String) async throws -> String {
                var body = request(scene, amountCents: cents)
                body["agreementId"] = agreement
                body["purchaseDate"] = date
                let reply = try await client.send(.post, "/v1/authorizations", token: scene.buyer, json: body)
                #expect(reply.string("outcome") == "approved", "\(reply.json)")
                return try #require(reply.string("id"))
            }
            _ = try await approved(scene.agreement, 1_000_000, on: "2026-12-01")
            _ = try await approved(scene.agreement, 500_000, on: "2026-03-01")
            _ = try await approved(other, 2_000_000, on: "2026-12-01")
            let latest = try await approved(scene.agreement, 250_000, on: "2026-12-02")

            let inputs = try await storedInputs(of: latest)
            #expect(inputs["tenantSpendOnAgreementCents"] as? Int == 1_500_000)
            #expect(inputs["tenantSpendOnAgreementThisFiscalYearCents"] as? Int == 1_000_000)
        }
    }

    /// The orders of two years and the accounts' spending are read (and stored with the decision) exactly for the
    /// rule types that read them, `RuleType.readingRecentOrders` and `.readingAccountSpending` (sql/0017); the
    /// orders cover every agreement, in date order.
    @Test func aDecisionReadsTheHistoryOnlyForRulesThatUseIt() async throws {
        try await withApp { client in
            let scene = try await scene(client)
            let other = try await Fixtures.agreement(lead: scene.lead)
            for (agreement, date, cents) in [(scene.agreement, "2026-03-01", 500_000), (other, "2026-12-01", 700_000)] {
                var body = request(
                    scene,
                    amountCents: cents,
                    funding: [["source": "local", "account": "A-1", "amountCents": cents]]
                )
                body["agreementId"] = agreement
                body["purchaseDate"] = date
                let reply = try await client.send(.post, "/v1/authorizations", token: scene.buyer, json: body)
                #expect(reply.string("outcome") == "approved", "\(reply.json)")
            }
            // One rule of each type; its parameters do not matter here, the statement looks at the type only.
            for type in RuleType.allCases {
                try await Fixtures.policy(
                    tenant: scene.agency,
                    rules: #"[{"type": "\#(type.rawValue)", "parameters": {}, "citation": "Test"}]"#
                )
                let reply = try await client.send(
                    .post,
                    "/v1/authorizations",
                    token: scene.buyer,
                    json: request(scene, amountCents: 100_000)
                )
                let id = try #require(reply.string("id"), "\(type): \(reply.json)")
                let inputs = try await storedInputs(of: id)
                let orders = try #require(inputs["recentOrders"] as? [[String: Any]])
                let accounts = try #require(inputs["accountSpentCents"] as? [String: Any])
                if RuleType.readingRecentOrders.contains(type) {
                    // The two orders above, and the approved requests of the earlier loops, all dated 2026-12-01.
                    let amounts = orders.compactMap { $0["amountCents"] as? Int }
                    #expect(amounts.first == 500_000 && amounts.contains(700_000), "\(type): \(amounts)")
                    #expect(Set(orders.compactMap { $0["agreementId"] as? String }).count == 2, "\(type)")
                } else {
                    #expect(orders.isEmpty, "\(type)")
                }
                // Only the order of 2026-12-01 is in the fiscal year of the request (July to June).
                #expect(
                    accounts as? [String: Int] == (RuleType.readingAccountSpending.contains(type) ? ["A-1": 700_000] : [:]),
                    "\(type)"
                )
            }
        }
    }
}
