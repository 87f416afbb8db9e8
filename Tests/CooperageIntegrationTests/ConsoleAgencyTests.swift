import CooperageAPI
import CooperageStore
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

/// The agency's console pages: agreement search, the purchase check and its decision page, authorizations,
/// approvals, purchase orders, CSV uploads and the policy, each gated by role and agency, escaping what people
/// typed, and refusing forms without their CSRF token.
@Suite struct ConsoleAgencyTests {
    static let hostile = "<script>alert(1)</script>"
    static let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"

    static let councilThreshold = """
        [{"type": "approval-threshold", "parameters": {"amountCents": 3000000, "approver": "city-council", "requiresResolution": true},
          "citation": "Palm Coast Code of Ordinances 2-26"}]
        """

    /// A lead agency's agreement, a participating agency and its buyer's console session.
    struct Scene {
        let agreement: String
        let agency: String
        let buyer: ConsoleBrowser
    }

    func scene(_ client: TestClient, policy: String? = nil) async throws -> Scene {
        let lead = try await client.createTenant(state: "TX", entityType: "state-agency", name: "Lead Agency")
        let agreement = try await Fixtures.agreement(lead: lead)
        let agency = try await client.createTenant(state: "TX", entityType: "city", name: "Buyer City")
        try await Fixtures.participation(tenant: agency)
        if let policy { try await Fixtures.policy(tenant: agency, rules: policy) }
        let buyer = try await ConsoleBrowser.signIn(client, token: try await client.token(for: agency, role: "agency-buyer"))
        return Scene(agreement: agreement, agency: agency, buyer: buyer)
    }

    func browser(_ client: TestClient, _ agency: String, _ role: String) async throws -> ConsoleBrowser {
        try await ConsoleBrowser.signIn(client, token: try await client.token(for: agency, role: role))
    }

    /// Posts the purchase check form of the agreement's page; the reply is the redirect to the decision page.
    func check(
        _ browser: ConsoleBrowser,
        _ agreement: String,
        amount: String = "45,000.00",
        purpose: String = "Laptops for the library",
        key: String = UUID().uuidString
    ) async throws -> TestClient.Reply {
        let csrf = try await browser.csrf(on: "/console/agreements/\(agreement)")
        return try await browser.post(
            "/console/authorizations",
            [
                ("_csrf", csrf), ("_key", key), ("agreementId", agreement), ("amountCents", amount),
                ("purchaseDate", "2026-12-01"), ("category", "43211507"), ("purpose", purpose),
            ]
        )
    }

    // MARK: Agreements

    @Test func everyRoleSearchesAgreementsAndSupplierNamesAreEscaped() async throws {
        try await withApp { client in
            let scene = try await scene(client)
            try await Fixtures.admin { connection in
                try await connection.query(
                    """
                    UPDATE supplier SET name = \(Self.hostile + " Computing")
                    WHERE id = (SELECT supplier_id FROM agreement WHERE id = \(UUID(uuidString: scene.agreement)!))
                    """,
                    logger: TestDatabase.logger
                )
            }
            // Other tests' agreements share the database: the keyword narrows the search to this one.
            let number = try #require(try await client.send(.get, "/v1/agreements/\(scene.agreement)").string("number"))
            let list = try await scene.buyer.get("/console/agreements?q=\(number)&category=43211507&usable=on")
            #expect(list.status == .ok)
            #expect(list.text.contains("/console/agreements/\(scene.agreement)"))
            #expect(list.text.contains("Usable by my agency"))
            #expect(!list.text.contains(Self.hostile))
            #expect(list.text.contains(Self.escaped + " Computing"))
            let none = try await scene.buyer.get("/console/agreements?category=10101501")
            #expect(!none.text.contains("/console/agreements/\(scene.agreement)"))
            let bad = try await scene.buyer.get("/console/agreements?category=12")
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("id=\"category-error\""))

            let detail = try await scene.buyer.get("/console/agreements/\(scene.agreement)")
            #expect(detail.status == .ok)
            #expect(detail.text.contains("Check a purchase"))
            #expect(!detail.text.contains(Self.hostile))

            // Cooperative staff read agreements too, without the agency's filter or the check form.
            let admin = try await ConsoleBrowser.signIn(client, token: TestClient.adminToken)
            let adminList = try await admin.get("/console/agreements")
            #expect(adminList.status == .ok)
            #expect(!adminList.text.contains("Usable by my agency"))
            let adminDetail = try await admin.get("/console/agreements/\(scene.agreement)")
            #expect(adminDetail.status == .ok)
            #expect(!adminDetail.text.contains("Check a purchase"))
            #expect(adminDetail.text.contains("/console/agreements/\(scene.agreement)/edit"))
            #expect(!detail.text.contains("/console/agreements/\(scene.agreement)/edit"))
            #expect(try await admin.get("/console/agreements/\(UUID().uuidString.lowercased())").status == .notFound)
        }
    }

    // MARK: Purchase check and decision page

    @Test func aBuyerChecksAPurchaseAndReadsItsDecision() async throws {
        try await withApp { client in
            let scene = try await scene(client)
            let key = UUID().uuidString
            let decided = try await check(scene.buyer, scene.agreement, purpose: Self.hostile + " laptops", key: key)
            #expect(decided.status == .seeOther, "\(decided.text)")
            let location = try #require(decided.headers[.location])
            #expect(location.hasPrefix("/console/authorizations/"))
            let page = try await scene.buyer.get(location)
            #expect(page.status == .ok)
            #expect(page.text.contains("Approved"))
            #expect(page.text.contains("What to do next"))
            #expect(page.text.contains("Participation in force (system check)"))
            #expect(page.text.contains("Upload purchase orders"))
            #expect(!page.text.contains(Self.hostile))
            #expect(page.text.contains(Self.escaped))

            // The same form sent twice records one decision.
            let again = try await check(scene.buyer, scene.agreement, purpose: Self.hostile + " laptops", key: key)
            #expect(again.headers[.location] == location)
            let list = try await scene.buyer.get("/console/authorizations")
            #expect(list.status == .ok)
            #expect(list.text.components(separatedBy: location).count == 2)
        }
    }

    @Test func theCheckFormShowsTheAPIValidationAndIsForBuyersAndAdminsOnly() async throws {
        try await withApp { client in
            let scene = try await scene(client)
            let csrf = try await scene.buyer.csrf(on: "/console/agreements/\(scene.agreement)")
            let invalid = try await scene.buyer.post(
                "/console/authorizations",
                [
                    ("_csrf", csrf), ("agreementId", scene.agreement), ("amountCents", "12.345"), ("purchaseDate", "2026-12-01"),
                    ("category", "43211507"), ("purpose", "Laptops"),
                ]
            )
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.text.contains("id=\"amountCents-error\""))
            let badCategory = try await scene.buyer.post(
                "/console/authorizations",
                [
                    ("_csrf", csrf), ("agreementId", scene.agreement), ("amountCents", "100"), ("purchaseDate", "2026-12-01"),
                    ("category", "4321"), ("purpose", "Laptops"),
                ]
            )
            #expect(badCategory.status == .unprocessableContent)
            #expect(badCategory.text.contains("id=\"category-error\""))
            #expect(badCategory.text.contains("aria-invalid=\"true\""))

            let noToken = try await scene.buyer.post(
                "/console/authorizations",
                [
                    ("agreementId", scene.agreement), ("amountCents", "100"), ("purchaseDate", "2026-12-01"),
                    ("category", "43211507"), ("purpose", "Laptops"),
                ]
            )
            #expect(noToken.status == .forbidden)

            let approver = try await browser(client, scene.agency, "agency-approver")
            #expect(!(try await approver.get("/console/agreements/\(scene.agreement)")).text.contains("Check a purchase"))
            let approverCSRF = try await approver.csrf(on: "/console")
            let refused = try await approver.post(
                "/console/authorizations",
                [
                    ("_csrf", approverCSRF), ("agreementId", scene.agreement), ("amountCents", "100"),
                    ("purchaseDate", "2026-12-01"), ("category", "43211507"), ("purpose", "Laptops"),
                ]
            )
            #expect(refused.status == .forbidden)
        }
    }

    // MARK: Authorizations

    @Test func authorizationsAreListedByOutcomeAndOnlyForTheirAgency() async throws {
        try await withApp { client in
            let scene = try await scene(client)
            let location = try #require(try await check(scene.buyer, scene.agreement).headers[.location])
            let approved = try await scene.buyer.get("/console/authorizations?outcome=approved&agreementId=\(scene.agreement)")
            #expect(approved.status == .ok)
            #expect(approved.text.contains(location))
            let denied = try await scene.buyer.get("/console/authorizations?outcome=denied")
            #expect(!denied.text.contains(location))

            // Every agency role reads them, as in the API.
            let finance = try await browser(client, scene.agency, "agency-finance")
            #expect(try await finance.get(location).status == .ok)

            let other = try await client.createTenant(name: "Other City")
            let stranger = try await browser(client, other, "agency-admin")
            #expect(try await stranger.get(location).status == .notFound)
            #expect(try await stranger.get("/console/authorizations").status == .ok)
            #expect(!(try await stranger.get("/console/authorizations")).text.contains(location))
            #expect(try await stranger.get("/console/authorizations?tenantId=\(scene.agency)").status == .notFound)

            // Cooperative staff name the agency.
            let admin = try await ConsoleBrowser.signIn(client, token: TestClient.adminToken)
            #expect(try await admin.get("/console/authorizations").status == .badRequest)
            let named = try await admin.get("/console/authorizations?tenantId=\(scene.agency)")
            #expect(named.status == .ok)
            #expect(named.text.contains(location))
            #expect(try await admin.get(location + "?tenantId=\(scene.agency)").status == .ok)
        }
    }

    // MARK: Approvals

    @Test func anApproverRecordsTheCouncilsResolutionAndTheRequestIsApproved() async throws {
        try await withApp { client in
            let scene = try await scene(client, policy: Self.councilThreshold)
            let location = try #require(try await check(scene.buyer, scene.agreement).headers[.location])
            let pending = try await scene.buyer.get(location)
            #expect(pending.text.contains("Pending"))
            #expect(pending.text.contains("Needs approval"))
            #expect(pending.text.contains("Record an approval: "))
            #expect(pending.text.contains("Palm Coast Code of Ordinances 2-26"))
            let id = String(location.dropFirst("/console/authorizations/".count))

            #expect(try await scene.buyer.get("/console/approvals").status == .forbidden)
            #expect(try await scene.buyer.get("/console/approvals/\(id)").status == .forbidden)

            let approver = try await browser(client, scene.agency, "agency-approver")
            let queue = try await approver.get("/console/approvals")
            #expect(queue.status == .ok)
            #expect(queue.text.contains("/console/approvals/\(id)"))
            let form = try await approver.get("/console/approvals/\(id)")
            #expect(form.status == .ok)
            #expect(form.text.contains("Approval threshold (policy rule 1)"))

            let fields = [("rule", "rule-0"), ("resolutionNumber", "R-2026-114"), ("resolutionDate", "2026-11-20")]
            #expect(try await approver.post("/console/approvals/\(id)", fields).status == .forbidden)
            let csrf = try await approver.csrf(on: "/console/approvals/\(id)")
            let missingDate = try await approver.post(
                "/console/approvals/\(id)",
                [("_csrf", csrf), ("rule", "rule-0"), ("resolutionNumber", "R-2026-114")]
            )
            #expect(missingDate.status == .unprocessableContent)
            #expect(missingDate.text.contains("id=\"resolutionDate-error\""))
            let recorded = try await approver.post(
                "/console/approvals/\(id)",
                [("_csrf", csrf), ("note", Self.hostile)] + fields
            )
            #expect(recorded.status == .seeOther, "\(recorded.text)")
            #expect(recorded.headers[.location] == location)
            let approved = try await approver.get(location)
            #expect(approved.text.contains("Approved"))
            #expect(approved.text.contains("R-2026-114"))
            #expect(approved.text.contains("After an approval"))
            #expect(!approved.text.contains(Self.hostile))
            #expect(approved.text.contains(Self.escaped))
            #expect(!(try await approver.get("/console/approvals")).text.contains("/console/approvals/\(id)"))

            // No longer pending: another approval is refused with the reason.
            let late = try await approver.post("/console/approvals/\(id)", [("_csrf", csrf)] + fields)
            #expect(late.status == .conflict)

            let other = try await client.createTenant(name: "Other City")
            let stranger = try await browser(client, other, "agency-approver")
            #expect(try await stranger.get("/console/approvals/\(id)").status == .notFound)
            let strangerCSRF = try await stranger.csrf(on: "/console/approvals")
            #expect(try await stranger.post("/console/approvals/\(id)", [("_csrf", strangerCSRF)] + fields).status == .notFound)
        }
    }

    // MARK: Purchase orders

    @Test func purchaseOrdersAreListedWithTheirLinesForTheirAgencyOnly() async throws {
        try await withApp { client in
            let usage = try await UsageScene.make(client)
            let po = "PO-" + UUID().uuidString.prefix(8)
            var order = usage.order(po: po)
            order["lines"] = [
                [
                    "description": Self.hostile + " Laptop", "unspsc": "43211503", "quantity": 2, "unitPriceCents": 100_000,
                ]
            ]
            let registered = try await client.send(.post, "/v1/usage", token: usage.buyer, json: order, headers: UsageScene.key())
            try #require(registered.status == .created, "\(registered.text)")
            let id = try #require(registered.string("id")).lowercased()

            let buyer = try await ConsoleBrowser.signIn(client, token: usage.buyer)
            let list = try await buyer.get("/console/usage")
            #expect(list.status == .ok)
            #expect(list.text.contains("/console/usage/\(id)"))
            #expect(list.text.contains("/console/usage/imports/new"))
            let page = try await buyer.get("/console/usage/\(id)")
            #expect(page.status == .ok)
            #expect(page.text.contains("$2,000.00"))
            #expect(!page.text.contains(Self.hostile))
            #expect(page.text.contains(Self.escaped + " Laptop"))
            let decision = try await buyer.get("/console/authorizations/\(usage.authorization)")
            #expect(decision.text.contains("Upload purchase orders"))

            let finance = try await browser(client, usage.agency, "agency-finance")
            #expect(try await finance.get("/console/usage/\(id)").status == .ok)
            #expect(!(try await finance.get("/console/usage")).text.contains("/console/usage/imports/new"))
            let other = try await client.createTenant(name: "Other City")
            let stranger = try await browser(client, other, "agency-buyer")
            #expect(try await stranger.get("/console/usage/\(id)").status == .notFound)
            #expect(!(try await stranger.get("/console/usage")).text.contains(id))
            let admin = try await ConsoleBrowser.signIn(client, token: TestClient.adminToken)
            #expect(try await admin.get("/console/usage").status == .badRequest)
            #expect(try await admin.get("/console/usage/\(id)?tenantId=\(usage.agency)").status == .ok)
        }
    }

    // MARK: CSV upload

    static let csvHeader = "po_number,authorization_id,order_date,description,unspsc,quantity,unit_price_cents,list_price_cents"

    func upload(_ browser: ConsoleBrowser, csrf: String?, file: String, name: String = "orders.csv") async throws
        -> TestClient.Reply
    {
        let boundary = "----cooperage-test-\(UUID().uuidString)"
        var body = ""
        if let csrf { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(csrf)\r\n" }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\n"
        body += "Content-Type: text/csv\r\n\r\n\(file)\r\n--\(boundary)--\r\n"
        var headers = browser.cookieHeader
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        return try await browser.client.send(.post, "/console/usage/imports", token: nil, raw: body, headers: headers)
    }

    @Test func aCSVFileIsUploadedFromAFormAndEveryBadLineIsNamed() async throws {
        try await withApp { client in
            let usage = try await UsageScene.make(client)
            let buyer = try await ConsoleBrowser.signIn(client, token: usage.buyer)
            let form = try await buyer.get("/console/usage/imports/new")
            #expect(form.status == .ok)
            #expect(form.text.contains("enctype=\"multipart/form-data\""))
            #expect(form.text.contains("<script src=\"/console/assets/upload.js\""))
            let script = try await client.send(.get, "/console/assets/upload.js", token: nil)
            #expect(script.status == .ok)
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")

            let csrf = try await buyer.csrf(on: "/console/usage/imports/new")
            let bad = [
                Self.csvHeader, "PO-A,\(usage.authorization),2026-12-02,\(Self.hostile),43211503,two,1000,",
                "PO-B,\(usage.authorization),2026-12-02,Dock,4321,1,1000,",
            ].joined(separator: "\r\n")
            let refused = try await upload(buyer, csrf: csrf, file: bad)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Nothing was imported"))
            #expect(refused.text.contains("<th scope=\"row\">2</th>"))
            #expect(refused.text.contains("<th scope=\"row\">3</th>"))

            let po = "PO-" + UUID().uuidString.prefix(8)
            let good =
                [Self.csvHeader, "\(po),\(usage.authorization),2026-12-02,Laptop,43211503,2,100000,"]
                .joined(separator: "\r\n") + "\r\n"
            let imported = try await upload(buyer, csrf: csrf, file: good, name: Self.hostile + ".csv")
            #expect(imported.status == .seeOther, "\(imported.text)")
            let location = try #require(imported.headers[.location])
            let page = try await buyer.get(location)
            #expect(page.status == .ok)
            #expect(page.text.contains("$2,000.00"))
            #expect(!page.text.contains(Self.hostile))

            #expect(try await upload(buyer, csrf: nil, file: good).status == .forbidden)
            let finance = try await browser(client, usage.agency, "agency-finance")
            #expect(try await finance.get("/console/usage/imports/new").status == .forbidden)
            #expect(try await finance.get(location).status == .ok)
            let other = try await client.createTenant(name: "Other City")
            #expect(try await browser(client, other, "agency-buyer").get(location).status == .notFound)
        }
    }

    // MARK: Policy

    @Test func anAgencyAdminWritesAPolicyVersionFromATemplateAndAsJSON() async throws {
        try await withApp { client in
            let agency = try await client.createTenant(state: "TX", entityType: "k12", name: "ISD")
            let admin = try await browser(client, agency, "agency-admin")
            #expect(try await admin.get("/console/policy").status == .ok)
            let form = try await admin.get("/console/policy/edit?template=tx-school-district")
            #expect(form.status == .ok)
            let csrf = try await admin.csrf(on: "/console/policy/edit")

            let broken = try await admin.post("/console/policy", [("_csrf", csrf), ("rules", "[{\"type\": ")])
            #expect(broken.status == .unprocessableContent)
            #expect(broken.text.contains("id=\"rules-error\""))
            let invalid = try await admin.post(
                "/console/policy",
                [("_csrf", csrf), ("rules", "[{\"type\": \"approval-threshold\", \"parameters\": {}, \"citation\": \"x\"}]")]
            )
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.text.contains("rule 1"))

            let fromTemplate = try await admin.post("/console/policy", [("_csrf", csrf), ("fromTemplate", "tx-school-district")])
            #expect(fromTemplate.status == .seeOther, "\(fromTemplate.text)")
            let rules = Self.councilThreshold.replacingOccurrences(of: "Palm Coast Code of Ordinances 2-26", with: Self.hostile)
            let written = try await admin.post("/console/policy", [("_csrf", csrf), ("rules", rules)])
            #expect(written.status == .seeOther, "\(written.text)")
            let policy = try await admin.get("/console/policy")
            #expect(policy.text.contains("/console/policy/versions/1"))
            #expect(policy.text.contains("/console/policy/versions/2"))
            #expect(!policy.text.contains(Self.hostile))
            #expect(policy.text.contains(Self.escaped))
            let first = try await admin.get("/console/policy/versions/1")
            #expect(first.status == .ok)
            #expect(first.text.contains("tx-school-district"))
            #expect(try await admin.get("/console/policy/versions/9").status == .notFound)

            // Every agency role reads the policy; only admins write it.
            let buyer = try await browser(client, agency, "agency-buyer")
            #expect(try await buyer.get("/console/policy").status == .ok)
            #expect(try await buyer.get("/console/policy/edit").status == .forbidden)
            let buyerCSRF = try await buyer.csrf(on: "/console/policy")
            #expect(try await buyer.post("/console/policy", [("_csrf", buyerCSRF), ("rules", "[]")]).status == .forbidden)
            #expect(try await admin.post("/console/policy", [("rules", "[]")]).status == .forbidden)
            let other = try await client.createTenant(name: "Other City")
            #expect(
                try await browser(client, other, "agency-admin").get("/console/policy?tenantId=\(agency)").status == .notFound
            )
        }
    }
}
