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
    /// them by the agreement's index), the fiscal year's total only those dated in it, and the recent orders
    /// every agreement's.
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
            let orders = try #require(inputs["recentOrders"] as? [[String: Any]])
            // By purchase date (the two of 2026-12-01 in id order).
            #expect(orders.first?["amountCents"] as? Int == 500_000)
            #expect(orders.compactMap { $0["amountCents"] as? Int }.sorted() == [500_000, 1_000_000, 2_000_000])
            #expect(Set(orders.compactMap { $0["agreementId"] as? String }).count == 2)
        }
    }
}
