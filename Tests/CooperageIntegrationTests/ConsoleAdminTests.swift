import CooperageCore
import Foundation
import HTTPTypes
import Testing

/// The cooperative admin's console pages: an agency's instruments, policy versions, tokens and status.
@Suite struct ConsoleAdminTests {
    static let hostile = "<script>alert(1)</script>"
    static let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"

    @Test func anAdminRecordsAnInstrumentIssuesAndRevokesAToken() async throws {
        try await withApp { client in
            let agency = try await client.createTenant(name: "\(Self.hostile) Water District").lowercased()
            let admin = try await ConsoleBrowser.signIn(client, token: TestClient.adminToken)
            let detail = try await admin.get("/console/agencies/\(agency)")
            #expect(detail.status == .ok)
            #expect(!detail.text.contains(Self.hostile))
            #expect(detail.text.contains(Self.escaped))
            #expect(detail.text.contains("No participation instrument is recorded"))

            let csrf = try await admin.csrf(on: "/console/agencies/\(agency)/participations/new")
            let bad = try await admin.post(
                "/console/agencies/\(agency)/participations",
                [("_csrf", csrf), ("kind", "interlocal-agreement"), ("effectiveOn", "2026-01-01"), ("expiresOn", "2025-01-01")]
            )
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("id=\"expiresOn-error\""))
            #expect(bad.text.contains("aria-describedby=\"expiresOn-error\""))
            let recorded = try await admin.post(
                "/console/agencies/\(agency)/participations",
                [
                    ("_csrf", csrf), ("kind", "interlocal-agreement"), ("effectiveOn", "2026-01-01"),
                    ("resolutionNumber", "\(Self.hostile) R-7"),
                ]
            )
            #expect(recorded.status == .seeOther, "\(recorded.text)")
            let listed = try await client.send(.get, "/v1/tenants/\(agency)/participations")
            #expect((listed.json["items"] as? [[String: Any]])?.count == 1)
            let withInstrument = try await admin.get("/console/agencies/\(agency)")
            #expect(withInstrument.text.contains("interlocal-agreement"))
            #expect(withInstrument.text.contains("\(Self.escaped) R-7"))

            let issued = try await admin.post(
                "/console/agencies/\(agency)/tokens",
                [("_csrf", csrf), ("name", "\(Self.hostile) laptop"), ("role", "agency-buyer")]
            )
            #expect(issued.status == .created, "\(issued.text)")
            #expect(!issued.text.contains(Self.hostile))
            let marker = "id=\"secret\" class=\"secret\" readonly value=\""
            let start = try #require(issued.text.range(of: marker)).upperBound
            let secret = String(issued.text[start...].prefix { $0 != "\"" })
            // The secret works, and is never shown again.
            #expect(try await client.send(.get, "/v1/me", token: secret).status == .ok)
            let after = try await admin.get("/console/agencies/\(agency)")
            #expect(!after.text.contains(secret))
            #expect(after.text.contains("\(Self.escaped) laptop"))

            let tokens = try await client.send(.get, "/v1/tenants/\(agency)/tokens")
            let id = try #require((tokens.json["items"] as? [[String: Any]])?.first?["id"] as? String)
            let revoked = try await admin.post("/console/agencies/\(agency)/tokens/\(id)/revoke", [("_csrf", csrf)])
            #expect(revoked.status == .seeOther)
            #expect(try await client.send(.get, "/v1/me", token: secret).status == .unauthorized)
            #expect(try await admin.get("/console/agencies/\(agency)").text.contains("revoked"))
        }
    }

    @Test func tokenAndInstrumentFormsCheckTheirFields() async throws {
        try await withApp { client in
            let agency = try await client.createTenant().lowercased()
            let admin = try await ConsoleBrowser.signIn(client, token: TestClient.adminToken)
            let csrf = try await admin.csrf(on: "/console/agencies/\(agency)/tokens/new")
            let reply = try await admin.post(
                "/console/agencies/\(agency)/tokens",
                [("_csrf", csrf), ("name", ""), ("role", "cooperative-admin"), ("expiresOn", "2001-01-01")]
            )
            #expect(reply.status == .unprocessableContent)
            for field in ["name", "role", "expiresOn"] { #expect(reply.text.contains("id=\"\(field)-error\"")) }
            let tokens = try await client.send(.get, "/v1/tenants/\(agency)/tokens")
            #expect((tokens.json["items"] as? [[String: Any]])?.isEmpty == true)
            let unknown = try await admin.post(
                "/console/agencies/\(agency)/participations",
                [("_csrf", csrf), ("kind", "registration"), ("effectiveOn", "2026-01-01"), ("agreementId", UUID().uuidString)]
            )
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.text.contains("id=\"agreementId-error\""))
        }
    }

    @Test func suspendingAndReactivatingNeedAConfirmation() async throws {
        try await withApp { client in
            let agency = try await client.createTenant(name: "\(Self.hostile) County").lowercased()
            let admin = try await ConsoleBrowser.signIn(client, token: TestClient.adminToken)
            let detail = try await admin.get("/console/agencies/\(agency)")
            #expect(detail.text.contains("/console/agencies/\(agency)/suspend\""))
            #expect(!detail.text.contains("/console/agencies/\(agency)/reactivate\""))
            let confirm = try await admin.get("/console/agencies/\(agency)/suspend")
            #expect(confirm.status == .ok)
            #expect(!confirm.text.contains(Self.hostile))
            #expect(confirm.text.contains("action=\"/console/agencies/\(agency)/suspend\""))
            // Showing the confirmation changes nothing.
            #expect(try await client.send(.get, "/v1/tenants/\(agency)").string("status") == "active")
            let csrf = try await admin.csrf(on: "/console/agencies/\(agency)/suspend")
            #expect(try await admin.post("/console/agencies/\(agency)/suspend", [("_csrf", csrf)]).status == .seeOther)
            #expect(try await client.send(.get, "/v1/tenants/\(agency)").string("status") == "suspended")
            #expect(try await admin.get("/console/agencies/\(agency)").text.contains("/reactivate\""))
            #expect(try await admin.get("/console/agencies/\(agency)/reactivate").status == .ok)
            #expect(try await admin.post("/console/agencies/\(agency)/reactivate", [("_csrf", csrf)]).status == .seeOther)
            #expect(try await client.send(.get, "/v1/tenants/\(agency)").string("status") == "active")
        }
    }

    @Test func agencyPagesAreGatedByRoleAndAgency() async throws {
        try await withApp { client in
            let own = try await client.createTenant(name: "Own Agency").lowercased()
            let other = try await client.createTenant(name: "Other Agency").lowercased()
            let otherToken = try await client.token(for: other, role: "agency-buyer")
            let otherTokens = try await client.send(.get, "/v1/tenants/\(other)/tokens")
            let otherTokenID = try #require((otherTokens.json["items"] as? [[String: Any]])?.first?["id"] as? String)

            let agencyAdmin = try await ConsoleBrowser.signIn(
                client,
                token: try await client.token(for: own, role: "agency-admin")
            )
            // An agency admin manages its own agency's instruments and tokens, as the API allows, but not its status.
            #expect(try await agencyAdmin.get("/console/agencies/\(own)/tokens/new").status == .ok)
            #expect(try await agencyAdmin.get("/console/agencies/\(own)/participations/new").status == .ok)
            #expect(try await agencyAdmin.get("/console/agencies/\(own)").text.contains("API tokens"))
            #expect(try await agencyAdmin.get("/console/agencies/\(own)/suspend").status == .forbidden)
            let csrf = try await agencyAdmin.csrf(on: "/console/agencies/\(own)/tokens/new")
            #expect(try await agencyAdmin.post("/console/agencies/\(own)/suspend", [("_csrf", csrf)]).status == .forbidden)
            // Another agency's pages are not found, and so is its token through this agency's path.
            for path in ["tokens/new", "participations/new", "suspend"] {
                #expect(try await agencyAdmin.get("/console/agencies/\(other)/\(path)").status == .notFound)
            }
            #expect(
                try await agencyAdmin.post("/console/agencies/\(other)/tokens/\(otherTokenID)/revoke", [("_csrf", csrf)]).status
                    == .notFound
            )
            #expect(
                try await agencyAdmin.post("/console/agencies/\(own)/tokens/\(otherTokenID)/revoke", [("_csrf", csrf)]).status
                    == .notFound
            )
            #expect(try await client.send(.get, "/v1/me", token: otherToken).status == .ok)

            let buyer = try await ConsoleBrowser.signIn(client, token: try await client.token(for: own, role: "agency-buyer"))
            let page = try await buyer.get("/console/agencies/\(own)")
            #expect(page.status == .ok)
            #expect(!page.text.contains("API tokens"))
            #expect(!page.text.contains("/suspend\""))
            #expect(try await buyer.get("/console/agencies/\(own)/tokens/new").status == .forbidden)
            #expect(try await buyer.get("/console/agencies/\(own)/participations/new").status == .forbidden)
            #expect(try await buyer.get("/console/agencies/\(own)/reactivate").status == .forbidden)
        }
    }

    @Test func agencyFormsRefuseAMissingCSRFToken() async throws {
        try await withApp { client in
            let agency = try await client.createTenant().lowercased()
            _ = try await client.token(for: agency, role: "agency-buyer")
            let tokens = try await client.send(.get, "/v1/tenants/\(agency)/tokens")
            let tokenID = try #require((tokens.json["items"] as? [[String: Any]])?.first?["id"] as? String)
            let admin = try await ConsoleBrowser.signIn(client, token: TestClient.adminToken)
            let posts: [(String, [(String, String)])] = [
                ("participations", [("kind", "registration"), ("effectiveOn", "2026-01-01")]),
                ("tokens", [("name", "x"), ("role", "agency-buyer")]),
                ("tokens/\(tokenID)/revoke", []), ("suspend", []), ("reactivate", []),
            ]
            for (path, fields) in posts {
                let reply = try await admin.post("/console/agencies/\(agency)/\(path)", fields)
                #expect(reply.status == .forbidden, "\(path)")
            }
            #expect(try await client.send(.get, "/v1/tenants/\(agency)").string("status") == "active")
            let after = try await client.send(.get, "/v1/tenants/\(agency)/tokens")
            #expect((after.json["items"] as? [[String: Any]])?.count == 1)
            let revokedAt = (after.json["items"] as? [[String: Any]])?.first?["revokedAt"]
            #expect(revokedAt == nil || revokedAt is NSNull)
        }
    }

    @Test func theOverviewCountsAndListsWhatNeedsAttention() async throws {
        try await withApp { client in
            let today = LocalDate.today()
            let lead = try await client.createTenant(name: "\(Self.hostile) Lead").lowercased()
            let expiring = try await Fixtures.agreement(lead: lead, expiresOn: today.adding(days: 10).description)
            let full = try await Fixtures.agreement(lead: lead, ceilingCents: 100_000)
            let overdue = try await Fixtures.agreement(lead: lead, effectiveOn: "2001-01-01", expiresOn: "2001-06-30")
            try await Fixtures.admin { connection in
                try await connection.query(
                    "INSERT INTO agreement_commitment (agreement_id, committed_cents) VALUES (\(UUID(uuidString: full)!), 100000)",
                    logger: TestDatabase.logger
                )
            }
            let instrument = try await client.send(
                .post,
                "/v1/tenants/\(lead)/participations",
                json: [
                    "kind": "interlocal-agreement", "effectiveOn": "2026-01-01", "expiresOn": today.adding(days: 20).description,
                ]
            )
            #expect(instrument.status == .created, "\(instrument.text)")
            func number(_ id: String) async throws -> String {
                try #require(try await client.send(.get, "/v1/agreements/\(id)").string("number"))
            }

            let admin = try await ConsoleBrowser.signIn(client, token: TestClient.adminToken)
            let page = try await admin.get("/console")
            #expect(page.status == .ok)
            #expect(page.text.contains("<title>Overview · Cooperage</title>"))
            #expect(page.text.contains("Usage this quarter (Q\(today.quarter) \(today.year)"))
            for policy in ["within 90 days", "80% or more", "past its agreement's due date"] {
                #expect(page.text.contains(policy))
            }
            #expect(page.text.contains(try await number(expiring)))
            #expect(page.text.contains(try await number(full)))
            #expect(page.text.contains("100%"))
            #expect(page.text.contains("/console/agencies/\(lead)#instruments"))
            #expect(!page.text.contains(Self.hostile))
            #expect(page.text.contains("\(Self.escaped) Lead"))
            let overdueNumber = try await number(overdue)
            #expect(page.text.contains(overdueNumber))
            #expect(page.text.contains("Q2 2001"))

            // A filed report clears its quarter.
            try await Fixtures.admin { connection in
                for quarter in [1, 2] {
                    try await connection.query(
                        """
                        INSERT INTO supplier_report (agreement_id, supplier_id, year, quarter, total_cents, fee_cents, line_count)
                        SELECT id, supplier_id, 2001, \(quarter), 0, 0, 0 FROM agreement WHERE id = \(UUID(uuidString: overdue)!)
                        """,
                        logger: TestDatabase.logger
                    )
                }
            }
            #expect(!(try await admin.get("/console").text.contains(overdueNumber)))

            let finance = try await ConsoleBrowser.signIn(
                client,
                token: try await Self.cooperativeToken(client, role: "cooperative-finance")
            )
            let counts = try await finance.get("/console")
            #expect(counts.status == .ok)
            #expect(counts.text.contains("Usage this quarter"))
            #expect(!counts.text.contains("Needs attention"))
            let buyer = try await ConsoleBrowser.signIn(client, token: try await client.token(for: lead, role: "agency-buyer"))
            let home = try await buyer.get("/console")
            #expect(home.status == .ok)
            #expect(!home.text.contains("Usage this quarter"))
        }
    }

    static func cooperativeToken(_ client: TestClient, role: String) async throws -> String {
        let reply = try await client.send(.post, "/v1/tokens", json: ["role": role, "name": role])
        try #require(reply.status == .created, "issuing a token: \(reply.text)")
        return try #require(reply.string("token"))
    }

    @Test func supplierReportsAreListedForCooperativeStaff() async throws {
        try await withApp { client in
            let lead = try await client.createTenant().lowercased()
            let agreement = try await Fixtures.agreement(lead: lead)
            let agency = "\(Self.hostile) Buyer"
            let report = try await client.send(
                .post,
                "/v1/supplier-reports",
                json: [
                    "agreementId": agreement, "year": 2026, "quarter": 3,
                    "lines": [["agencyName": agency, "invoiceDate": "2026-08-03", "amountCents": 150_000, "feeCents": 3_000]],
                ]
            )
            #expect(report.status == .created, "\(report.text)")
            let admin = try await ConsoleBrowser.signIn(client, token: TestClient.adminToken)
            let page = try await admin.get("/console/supplier-reports?agreementId=\(agreement)")
            #expect(page.status == .ok)
            #expect(page.text.contains("Q3 2026"))
            #expect(page.text.contains("$1,500.00"))
            #expect(page.text.contains("$30.00"))
            let finance = try await ConsoleBrowser.signIn(
                client,
                token: try await Self.cooperativeToken(client, role: "cooperative-finance")
            )
            #expect(try await finance.get("/console/supplier-reports").status == .ok)
            let buyer = try await ConsoleBrowser.signIn(client, token: try await client.token(for: lead, role: "agency-admin"))
            #expect(try await buyer.get("/console/supplier-reports").status == .forbidden)
        }
    }
}
