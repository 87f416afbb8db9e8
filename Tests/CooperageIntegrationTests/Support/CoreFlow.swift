import Foundation
import HTTPTypes
import Testing

@testable import CooperageStore

/// The server's core flow over HTTP, for the suites that run it on another engine or path (PgBouncer, Citus):
/// tenants and tokens, decisions with a retry and an approval, usage with a retry and a reversal, an import, reports
/// for the cooperative and the agency, and the audit trail. `direct` reaches the database without the pooler, for the
/// catalogue rows the flow needs.
enum CoreFlow {
    static var councilThreshold: [[String: Any]] {
        [
            [
                "type": "approval-threshold", "citation": "Round Rock Code of Ordinances 2-1",
                "parameters": ["amountCents": 5_000_000, "approver": "city-council", "requiresResolution": true],
            ]
        ]
    }

    static func run(_ client: TestClient, direct: DatabaseURL) async throws {
        // Tenants and tokens.
        let lead = try await client.createTenant(state: "TX", entityType: "state-agency", name: "Texas DIR")
        let city = try await client.createTenant(state: "TX", entityType: "city", name: "City of Round Rock")
        let agencyAdmin = try await client.token(for: city, role: "agency-admin")
        let buyer = try await client.token(for: city, role: "agency-buyer", by: agencyAdmin)
        let approver = try await client.token(for: city, role: "agency-approver")
        let finance = try await client.send(
            .post,
            "/v1/tokens",
            json: ["role": "cooperative-finance", "name": "finance"]
        )
        #expect(finance.status == .created, "\(finance.text)")
        let financeToken = try #require(finance.string("token"))
        let me = try await client.send(.get, "/v1/me", token: buyer)
        #expect(me.string("tenantId") == city)

        // Decisions: one approved at once, one pending until the council's approval.
        let agreement = try await Fixtures.agreement(lead: lead, ceilingCents: 500_000_000, on: direct)
        try await Fixtures.participation(tenant: city, on: direct)
        let policy = try await client.send(
            .put,
            "/v1/tenants/\(city)/policy",
            token: agencyAdmin,
            json: ["rules": councilThreshold]
        )
        #expect(policy.status == .ok || policy.status == .created, "\(policy.text)")
        func request(_ cents: Int) -> [String: Any] {
            [
                "agreementId": agreement, "amountCents": cents, "purchaseDate": "2026-12-01",
                "category": "43211507", "purpose": "Desktop computers for the library",
            ]
        }
        let key = UsageScene.key()
        let approved = try await client.send(
            .post,
            "/v1/authorizations",
            token: buyer,
            json: request(2_000_000),
            headers: key
        )
        #expect(approved.string("outcome") == "approved", "\(approved.text)")
        let authorization = try #require(approved.string("id"))
        let replayed = try await client.send(
            .post,
            "/v1/authorizations",
            token: buyer,
            json: request(2_000_000),
            headers: key
        )
        #expect(replayed.string("id") == authorization)
        let pending = try await client.send(.post, "/v1/authorizations", token: buyer, json: request(7_500_000))
        #expect(pending.string("outcome") == "pending", "\(pending.text)")
        let pendingID = try #require(pending.string("id"))
        let approval = try await client.send(
            .post,
            "/v1/authorizations/\(pendingID)/approvals",
            token: approver,
            json: [
                "ruleType": "approval-threshold", "resolutionNumber": "R-2026-311", "resolutionDate": "2026-11-24",
            ]
        )
        #expect(approval.string("outcome") == "approved", "\(approval.text)")

        // Usage: an order, its retry, a reversal.
        let validFrom = try #require(approved.string("validFrom"))
        let order: [String: Any] = [
            "authorizationId": authorization, "poNumber": "PO-2026-0042", "orderDate": validFrom,
            "amountCents": 300_000,
            "lines": [["description": "Laptop", "unspsc": "43211503", "quantity": 3, "unitPriceCents": 100_000]],
        ]
        let usageKey = UsageScene.key()
        let registered = try await client.send(.post, "/v1/usage", token: buyer, json: order, headers: usageKey)
        #expect(registered.status == .created, "\(registered.text)")
        let usage = try #require(registered.string("id"))
        let retried = try await client.send(.post, "/v1/usage", token: buyer, json: order, headers: usageKey)
        #expect(retried.string("id") == usage && retried.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
        let reversal = try await client.send(
            .post,
            "/v1/usage/\(usage)/reversal",
            token: buyer,
            json: ["amountCents": 100_000, "reason": "one laptop returned"],
            headers: UsageScene.key()
        )
        #expect(reversal.status == .created, "\(reversal.text)")

        // An import of two orders.
        let csv = """
            po_number,authorization_id,order_date,description,unspsc,quantity,unit_price_cents,list_price_cents\r
            PO-I1,\(authorization),\(validFrom),Monitor,43211902,2,25000,31900\r
            PO-I2,\(authorization),\(validFrom),Dock,43211507,4,15000,\r

            """
        let imported = try await client.send(
            .post,
            "/v1/usage/imports",
            token: buyer,
            raw: csv,
            headers: [.contentType: "text/csv"]
        )
        #expect(imported.status == .created, "\(imported.text)")
        #expect(imported.json["orderCount"] as? Int == 2)

        // Reports, for the cooperative and for the agency, as JSON and CSV.
        let buyingPower = try await client.send(
            .get,
            "/v1/reports/buying-power?groupBy=agreement&agreementId=\(agreement)",
            token: financeToken
        )
        #expect(buyingPower.status == .ok, "\(buyingPower.text)")
        let rows = try #require(buyingPower.json["rows"] as? [[String: Any]], "\(buyingPower.text)")
        let spent = rows.reduce(0) { $0 + ($1["totalCents"] as? Int ?? 0) }
        #expect(spent == 300_000 - 100_000 + 110_000, "\(buyingPower.text)")
        let statement = try await client.send(.get, "/v1/reports/statement?format=csv", token: agencyAdmin)
        #expect(statement.status == .ok && statement.text.contains("PO-2026-0042"), "\(statement.text)")
        let audit = try await client.send(.get, "/v1/audit", token: agencyAdmin)
        #expect(audit.status == .ok, "\(audit.text)")

        // Another agency sees none of it: the decision and the order answer 404.
        let stranger = try await client.token(
            for: try await client.createTenant(state: "TX", entityType: "county", name: "Williamson County"),
            role: "agency-admin"
        )
        for path in ["/v1/authorizations/\(authorization)", "/v1/usage/\(usage)"] {
            let foreign = try await client.send(.get, path, token: stranger)
            #expect(foreign.status == .notFound, "\(path): \(foreign.text)")
            let own = try await client.send(.get, path, token: agencyAdmin)
            #expect(own.status == .ok, "\(path): \(own.text)")
        }
    }
}
