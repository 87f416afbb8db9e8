import CooperageCore
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

/// Renewals and versioned terms of Master Agreements (sql/0025): exercising a renewal option extends the term, is
/// audited and shows in the agreement and its OCDS export; a change of the terms makes a new version that later
/// decisions record; the admin-fee report charges each quarter the rate in force on its first day.
@Suite struct AgreementRenewalTests {
    /// A lead agency's solicitation and a supplier, to publish agreements through the API.
    struct Award {
        let lead: String
        let solicitation: String
        let supplier: String

        static func make(_ client: TestClient) async throws -> Award {
            let lead = try await client.createTenant(state: "TX", entityType: "state-agency", name: "Lead Agency")
            let solicitation = try await client.send(
                .post,
                "/v1/solicitations",
                json: [
                    "leadTenantId": lead, "number": "RFP-\(UUID().uuidString.prefix(8))", "title": "Technology products",
                    "method": "rfp", "advertisedWhere": "Electronic State Business Daily", "advertisedOn": "2025-09-01",
                    "cooperativeLanguageInSolicitation": true, "cooperativeLanguageInContract": true,
                    "awardBasis": "best-value", "awardDate": "2025-12-01",
                ]
            )
            try #require(solicitation.status == .created, "solicitation: \(solicitation.text)")
            let supplier = try await client.send(
                .post,
                "/v1/suppliers",
                json: ["name": "Acme Computing \(UUID().uuidString.prefix(8))", "identifiers": ["ein": "74-1234567"]]
            )
            try #require(supplier.status == .created, "supplier: \(supplier.text)")
            return Award(
                lead: lead,
                solicitation: try #require(solicitation.string("id")),
                supplier: try #require(supplier.string("id"))
            )
        }

        /// Publishes an agreement covering UNSPSC 4321xxxx through `POST /v1/agreements`; returns its JSON.
        func agreement(_ client: TestClient, _ extra: [String: Any] = [:]) async throws -> TestClient.Reply {
            var body: [String: Any] = [
                "number": "MA-\(UUID().uuidString.prefix(12))", "title": "Computers and peripherals", "leadTenantId": lead,
                "solicitationId": solicitation, "supplierId": supplier, "categories": ["43210000"],
                "effectiveOn": "2026-01-01", "expiresOn": "2027-12-31", "adminFeeBasisPoints": 200,
                "complianceLetterOnFile": true, "telecomAttestation200216": true,
            ]
            body.merge(extra) { $1 }
            let reply = try await client.send(.post, "/v1/agreements", json: body)
            try #require(reply.status == .created, "agreement: \(reply.text)")
            return reply
        }
    }

    // MARK: Renewals

    @Test func aRenewalExtendsTheTermIsAuditedAndShowsInTheAgreementAndItsExport() async throws {
        try await withApp { client in
            let award = try await Award.make(client)
            let created = try await award.agreement(
                client,
                [
                    "renewalOptions": [["years": 1], ["years": 2]], "maximumTermEndsOn": "2029-12-31",
                    "ceilingCents": 100_000_000,
                ]
            )
            let id = try #require(created.string("id"))
            #expect(created.json["termsVersion"] as? Int == 1)
            #expect((created.json["amendments"] as? [Any])?.isEmpty == true)
            let agency = try await client.createTenant()
            let buyer = try await client.token(for: agency, role: "agency-buyer")

            // Only cooperative admins renew; an unknown agreement is a 404.
            expectProblem(
                try await client.send(.post, "/v1/agreements/\(id)/renewals", token: buyer),
                .forbidden,
                type: "forbidden"
            )
            expectProblem(try await client.send(.post, "/v1/agreements/\(UUID())/renewals"), .notFound, type: "not-found")

            // The first option, with no body at all: one year more, the option marked, the amendment listed.
            let renewed = try await client.send(.post, "/v1/agreements/\(id)/renewals")
            #expect(renewed.status == .ok, "\(renewed.text)")
            #expect(renewed.string("expiresOn") == "2028-12-31")
            let options = try #require(renewed.json["renewalOptions"] as? [[String: Any]])
            #expect(options.map { $0["exercised"] as? Bool } == [true, false])
            let first = try #require((renewed.json["amendments"] as? [[String: Any]])?.first)
            #expect(first["kind"] as? String == "renewal")
            #expect(first["seq"] as? Int == 1)
            #expect(first["renewalOption"] as? Int == 1)
            #expect(first["renewalYears"] as? Int == 1)
            #expect(first["effectiveOn"] as? String == LocalDate.today().description)
            let change = try #require((first["changes"] as? [String: Any])?["expiresOn"] as? [String: Any])
            #expect(change["from"] as? String == "2027-12-31" && change["to"] as? String == "2028-12-31")
            #expect((first["description"] as? String)?.contains("now ends on 2028-12-31") == true)
            // Renewals are not amendments of the terms.
            #expect(renewed.json["termsVersion"] as? Int == 1)

            // A retry naming the option it meant is refused rather than exercising the next one.
            let retried = try await client.send(
                .post,
                "/v1/agreements/\(id)/renewals",
                json: ["option": 1, "rationale": "Second year"]
            )
            expectProblem(retried, .conflict, type: "conflict", pointer: "/option")
            #expect(retried.string("detail")?.contains("already been exercised") == true)
            // The next option (two years) would pass the maximum term: 409, nothing changes.
            let tooFar = try await client.send(
                .post,
                "/v1/agreements/\(id)/renewals",
                json: ["option": 2, "rationale": "Two more years"]
            )
            expectProblem(tooFar, .conflict, type: "conflict")
            #expect(tooFar.string("detail")?.contains("past its maximum term (2029-12-31)") == true)
            #expect(try await client.send(.get, "/v1/agreements/\(id)").string("expiresOn") == "2028-12-31")

            // With a longer maximum term it goes through, with its rationale.
            let longer = try await client.send(.patch, "/v1/agreements/\(id)", json: ["maximumTermEndsOn": "2030-12-31"])
            #expect(longer.status == .ok, "\(longer.text)")
            let second = try await client.send(
                .post,
                "/v1/agreements/\(id)/renewals",
                json: ["option": 2, "rationale": "Board resolution 2026-41: two more years"]
            )
            #expect(second.status == .ok, "\(second.text)")
            #expect(second.string("expiresOn") == "2030-12-31")

            // No option left: 409.
            let none = try await client.send(.post, "/v1/agreements/\(id)/renewals", json: [String: Any]())
            expectProblem(none, .conflict, type: "conflict")
            #expect(none.string("detail")?.contains("every renewal option of this agreement (2) has been exercised") == true)

            // Bodies are checked like any other.
            expectProblem(
                try await client.send(.post, "/v1/agreements/\(id)/renewals", json: ["years": 1]),
                .unprocessableContent,
                type: "validation-failed",
                pointer: "/years"
            )
            expectProblem(
                try await client.send(.post, "/v1/agreements/\(id)/renewals", json: ["rationale": "  "]),
                .unprocessableContent,
                type: "validation-failed",
                pointer: "/rationale"
            )
            expectProblem(
                try await client.send(
                    .post,
                    "/v1/agreements/\(id)/renewals",
                    raw: "option=1",
                    headers: [.contentType: "application/x-www-form-urlencoded"]
                ),
                .unsupportedMediaType,
                type: "unsupported-media-type"
            )

            // Every role reads the agreement with its amendments, and the amendments alone.
            let read = try await client.send(.get, "/v1/agreements/\(id)", token: buyer)
            let amendments = try #require(read.json["amendments"] as? [[String: Any]])
            #expect(amendments.map { $0["seq"] as? Int } == [1, 2])
            #expect(amendments.last?["rationale"] as? String == "Board resolution 2026-41: two more years")
            let listed = try await client.send(.get, "/v1/agreements/\(id)/amendments", token: buyer)
            #expect(listed.status == .ok)
            #expect((listed.json["items"] as? [[String: Any]])?.count == 2)
            expectProblem(try await client.send(.get, "/v1/agreements/\(UUID())/amendments"), .notFound, type: "not-found")
            // The list of agreements does not carry amendments.
            let page = try await client.send(.get, "/v1/agreements?supplierId=\(award.supplier)", token: buyer)
            let summary = try #require((page.json["items"] as? [[String: Any]])?.first)
            #expect(summary["amendments"] == nil)
            #expect(summary["expiresOn"] as? String == "2030-12-31")

            // Audited on the cooperative chain.
            #expect(
                try await cooperativeAuditActions(subject: id) == [
                    "agreement.created", "agreement.renewed", "agreement.updated", "agreement.renewed",
                ]
            )

            // The OCDS export shows the renewed term and each renewal as an award amendment, and passes the validator.
            let export = try await client.send(.get, "/v1/exports/ocds/agreements/\(id)", token: buyer)
            #expect(export.status == .ok, "\(export.text)")
            let release = try #require((export.json["releases"] as? [[String: Any]])?.first)
            #expect(release["tag"] as? [String] == ["award", "awardUpdate"])
            let ocdsAward = try #require((release["awards"] as? [[String: Any]])?.first)
            #expect((ocdsAward["contractPeriod"] as? [String: Any])?["endDate"] as? String == "2030-12-31T23:59:59Z")
            let exported = try #require(ocdsAward["amendments"] as? [[String: Any]])
            #expect(exported.count == 2)
            #expect(exported.map { $0["id"] as? String } == amendments.map { ($0["id"] as? String)?.lowercased() })
            #expect(exported.first?["date"] as? String == "\(LocalDate.today())T00:00:00Z")
            #expect(exported.first?["rationale"] as? String == "The cooperative exercised a renewal option of the agreement.")
            #expect(exported.last?["rationale"] as? String == "Board resolution 2026-41: two more years")
            #expect((exported.last?["description"] as? String)?.contains("(2 years)") == true)
            try expectValidOCDS(export.body, name: "renewed")
        }
    }

    @Test func anAgreementWithoutRenewalOptionsCannotBeRenewed() async throws {
        try await withApp { client in
            let award = try await Award.make(client)
            let id = try #require(try await award.agreement(client).string("id"))
            let refused = try await client.send(.post, "/v1/agreements/\(id)/renewals")
            expectProblem(refused, .conflict, type: "conflict")
            #expect(refused.string("detail") == "this agreement has no renewal options")
            #expect(try await client.send(.get, "/v1/agreements/\(id)").string("expiresOn") == "2027-12-31")
            #expect(try await cooperativeAuditActions(subject: id) == ["agreement.created"])
        }
    }

    /// A rationale is at most 2000 characters as people count them: one of 2000 emoji of seven code points each is
    /// stored whole, not refused by the database with a 500.
    @Test func aLongRationaleOfManyCodePointsIsKept() async throws {
        try await withApp { client in
            let award = try await Award.make(client)
            let id = try #require(try await award.agreement(client, ["renewalOptions": [["years": 1]]]).string("id"))
            let family = String(repeating: "👨‍👩‍👧‍👦", count: 2000)
            let renewed = try await client.send(.post, "/v1/agreements/\(id)/renewals", json: ["rationale": family])
            #expect(renewed.status == .ok, "\(renewed.text.prefix(300))")
            #expect((renewed.json["amendments"] as? [[String: Any]])?.first?["rationale"] as? String == family)
            let tooLong = try await client.send(
                .patch,
                "/v1/agreements/\(id)",
                json: ["adminFeeBasisPoints": 300, "amendmentRationale": family + "👨‍👩‍👧‍👦"]
            )
            expectProblem(tooLong, .unprocessableContent, type: "validation-failed", pointer: "/amendmentRationale")
        }
    }

    /// The console's agreement page shows the renewal options, the terms version and the amendments.
    @Test func theConsoleAgreementPageShowsRenewalsAndAmendments() async throws {
        try await withApp { client in
            let award = try await Award.make(client)
            let id = try #require(
                try await award.agreement(
                    client,
                    ["renewalOptions": [["years": 1], ["years": 2]], "maximumTermEndsOn": "2031-12-31"]
                ).string("id")
            )
            let agency = try await client.createTenant()
            let buyer = try await ConsoleBrowser.signIn(client, token: try await client.token(for: agency, role: "agency-buyer"))
            let fresh = try await buyer.get("/console/agreements/\(id)")
            #expect(fresh.status == .ok)
            #expect(fresh.text.contains("1 year (not exercised), 2 years (not exercised); at most until 2031-12-31"))
            #expect(!fresh.text.contains("Renewals and amendments"))

            let renewed = try await client.send(
                .post,
                "/v1/agreements/\(id)/renewals",
                json: ["rationale": "Board <approval> & vote"]
            )
            #expect(renewed.status == .ok, "\(renewed.text)")
            let amended = try await client.send(.patch, "/v1/agreements/\(id)", json: ["adminFeeBasisPoints": 250])
            #expect(amended.status == .ok, "\(amended.text)")
            let page = try await buyer.get("/console/agreements/\(id)")
            #expect(page.text.contains("1 year (exercised), 2 years (not exercised)"))
            #expect(page.text.contains("<dt>Terms version</dt><dd>2</dd>"))
            #expect(page.text.contains("Renewals and amendments"))
            #expect(page.text.contains("the term now ends on 2028-12-31 instead of 2027-12-31"))
            #expect(page.text.contains("Terms version 2: administrative fee 2.00 % -&gt; 2.50 %."))
            // Escaped, as every value of a template.
            #expect(page.text.contains("Board &lt;approval&gt; &amp; vote"))
        }
    }

    // MARK: Versioned terms

    @Test func aChangeOfTermsMakesAVersionThatLaterDecisionsRecord() async throws {
        try await withApp { client in
            let award = try await Award.make(client)
            let created = try await award.agreement(client, ["ceilingCents": 10_000_000])
            let id = try #require(created.string("id"))
            let agency = try await client.createTenant(state: "TX", entityType: "city", name: "Buyer City")
            try await Fixtures.participation(tenant: agency)
            let buyer = try await client.token(for: agency, role: "agency-buyer")
            func decide(_ amountCents: Int) async throws -> TestClient.Reply {
                let reply = try await client.send(
                    .post,
                    "/v1/authorizations",
                    token: buyer,
                    json: [
                        "agreementId": id, "amountCents": amountCents, "purchaseDate": "2026-12-01",
                        "category": "43211507", "purpose": "Laptops",
                    ]
                )
                try #require(reply.status == .created, "\(reply.text)")
                return reply
            }

            // Before the amendment: version 1.
            let before = try await decide(6_000_000)
            #expect(before.string("outcome") == "approved")
            #expect((before.json["decision"] as? [String: Any])?["agreementTermsVersion"] as? Int == 1)
            // 6,000,000 + 6,000,000 would pass the ceiling of version 1.
            let over = try await decide(6_000_000)
            #expect(over.string("outcome") == "denied")
            #expect((over.json["decision"] as? [String: Any])?["agreementTermsVersion"] as? Int == 1)

            // The ceiling is raised: version 2, an amendment with what changed and why.
            let amended = try await client.send(
                .patch,
                "/v1/agreements/\(id)",
                json: ["ceilingCents": 20_000_000, "amendmentRationale": "Amendment 1: ceiling doubled"]
            )
            #expect(amended.status == .ok, "\(amended.text)")
            #expect(amended.json["termsVersion"] as? Int == 2)
            let amendment = try #require((amended.json["amendments"] as? [[String: Any]])?.last)
            #expect(amendment["kind"] as? String == "terms")
            #expect(amendment["termsVersion"] as? Int == 2)
            #expect(amendment["rationale"] as? String == "Amendment 1: ceiling doubled")
            #expect(amendment["effectiveOn"] as? String == LocalDate.today().description)
            let ceiling = try #require((amendment["changes"] as? [String: Any])?["ceilingCents"] as? [String: Any])
            #expect(ceiling["from"] as? Int == 10_000_000 && ceiling["to"] as? Int == 20_000_000)
            #expect(amendment["description"] as? String == "Terms version 2: ceiling $100,000.00 -> $200,000.00.")

            // After it: version 2, and the same request now fits under the new ceiling.
            let after = try await decide(6_000_000)
            #expect(after.string("outcome") == "approved", "\(after.text)")
            #expect((after.json["decision"] as? [String: Any])?["agreementTermsVersion"] as? Int == 2)
            // The earlier decisions keep the version they saw.
            let first = try await client.send(.get, "/v1/authorizations/\(try #require(before.string("id")))", token: buyer)
            #expect((first.json["decisions"] as? [[String: Any]])?.map { $0["agreementTermsVersion"] as? Int } == [1])

            // Versions are listed with their terms; each decision's version is stored with it.
            let terms = try await client.send(.get, "/v1/agreements/\(id)/terms", token: buyer)
            #expect(terms.status == .ok, "\(terms.text)")
            let versions = try #require(terms.json["items"] as? [[String: Any]])
            #expect(versions.map { $0["version"] as? Int } == [1, 2])
            #expect(versions.map { ($0["terms"] as? [String: Any])?["ceilingCents"] as? Int } == [10_000_000, 20_000_000])
            #expect(versions.first?["effectiveOn"] as? String == "2026-01-01")
            let stored = try await Fixtures.admin { connection in
                try await connection.query(
                    """
                    SELECT d.agreement_terms_version FROM authorization_decision d
                    JOIN authorization_request r ON r.tenant_id = d.tenant_id AND r.id = d.authorization_id
                    WHERE r.agreement_id = \(try #require(UUID(uuidString: id))) ORDER BY r.seq
                    """,
                    logger: TestDatabase.logger
                ).decode(Int.self).array()
            }
            #expect(stored == [1, 1, 2])

            // Other fields are not terms: no new version, no amendment. Neither is setting a term to what it is.
            let retitled = try await client.send(
                .patch,
                "/v1/agreements/\(id)",
                json: [
                    "title": "Computers, peripherals and services", "status": "active",
                    "documents": [
                        [
                            "title": "Contract", "url": "https://coop.example.org/ma.pdf",
                            "sha256": String(repeating: "ab", count: 32),
                        ]
                    ],
                    "ceilingCents": 20_000_000, "amendmentRationale": "nothing to amend",
                ]
            )
            #expect(retitled.status == .ok, "\(retitled.text)")
            #expect(retitled.json["termsVersion"] as? Int == 2)
            #expect((retitled.json["amendments"] as? [Any])?.count == 1)
            let stillTwo = try await client.send(.get, "/v1/agreements/\(id)/terms")
            #expect((stillTwo.json["items"] as? [Any])?.count == 2)

            // Eligibility is a term; its amendment cannot take effect before the version it replaces, nor after today.
            let early = try await client.send(
                .patch,
                "/v1/agreements/\(id)",
                json: ["eligibleStates": ["TX", "OK"], "amendmentEffectiveOn": "2025-12-31"]
            )
            expectProblem(early, .unprocessableContent, type: "validation-failed", pointer: "/amendmentEffectiveOn")
            let late = try await client.send(
                .patch,
                "/v1/agreements/\(id)",
                json: ["eligibleStates": ["TX", "OK"], "amendmentEffectiveOn": LocalDate.today().adding(days: 1).description]
            )
            expectProblem(late, .unprocessableContent, type: "validation-failed", pointer: "/amendmentEffectiveOn")
            #expect(try await client.send(.get, "/v1/agreements/\(id)").json["termsVersion"] as? Int == 2)
            let states = try await client.send(.patch, "/v1/agreements/\(id)", json: ["eligibleStates": ["TX", "OK"]])
            #expect(states.json["termsVersion"] as? Int == 3)
            #expect(
                (states.json["amendments"] as? [[String: Any]])?.last?["description"] as? String
                    == "Terms version 3: eligible states any -> TX, OK."
            )

            // The export lists the terms amendments too, and still validates.
            let export = try await client.send(.get, "/v1/exports/ocds/agreements/\(id)")
            let release = try #require((export.json["releases"] as? [[String: Any]])?.first)
            let ocdsAward = try #require((release["awards"] as? [[String: Any]])?.first)
            let exported = try #require(ocdsAward["amendments"] as? [[String: Any]])
            #expect(
                exported.map { $0["rationale"] as? String } == [
                    "Amendment 1: ceiling doubled", "The cooperative amended the agreement's terms.",
                ]
            )
            try expectValidOCDS(export.body, name: "amended")
        }
    }

    /// An approval re-decides under the agreement's terms as they are then: the new decision records that version,
    /// the first one keeps its own.
    @Test func aDecisionAfterAnApprovalRecordsTheTermsItSaw() async throws {
        try await withApp { client in
            let award = try await Award.make(client)
            let id = try #require(try await award.agreement(client).string("id"))
            let agency = try await client.createTenant(state: "TX", entityType: "city", name: "Council City")
            try await Fixtures.participation(tenant: agency)
            try await Fixtures.policy(tenant: agency, rules: AuthorizationAPITests.councilThreshold)
            let buyer = try await client.token(for: agency, role: "agency-buyer")
            let approver = try await client.token(for: agency, role: "agency-approver")
            let pending = try await client.send(
                .post,
                "/v1/authorizations",
                token: buyer,
                json: [
                    "agreementId": id, "amountCents": 4_500_000, "purchaseDate": "2026-12-01", "category": "43211507",
                    "purpose": "Laptops",
                ]
            )
            #expect(pending.string("outcome") == "pending", "\(pending.text)")
            let authorization = try #require(pending.string("id"))

            let amended = try await client.send(.patch, "/v1/agreements/\(id)", json: ["adminFeeBasisPoints": 250])
            #expect(amended.json["termsVersion"] as? Int == 2)

            let approved = try await client.send(
                .post,
                "/v1/authorizations/\(authorization)/approvals",
                token: approver,
                json: ["ruleType": "approval-threshold", "resolutionNumber": "2026-114", "resolutionDate": "2026-11-20"]
            )
            #expect(approved.string("outcome") == "approved", "\(approved.text)")
            #expect((approved.json["decision"] as? [String: Any])?["agreementTermsVersion"] as? Int == 2)
            let decisions = try #require(approved.json["decisions"] as? [[String: Any]])
            #expect(decisions.map { $0["agreementTermsVersion"] as? Int } == [1, 2])
        }
    }

    // MARK: Admin fees per quarter

    /// Fees at 200 bp until an amendment to 300 bp effective 2026-07-01, then one to 400 bp effective mid-quarter on
    /// 2026-10-15. The agreement starts on 2026-02-01, after its first quarter began.
    ///
    /// | quarter | order | rate in force on the quarter's first day | fee |
    /// |---|---|---|---|
    /// | 2026-Q1 | 2026-02-15, 100,000.00 | version 1 (the first, though it starts on 02-01): 200 bp | 2,000.00 |
    /// | 2026-Q3 | 2026-08-10, 100,000.00 | version 2: 300 bp | 3,000.00 |
    /// | 2026-Q4 | 2026-11-02, 100,000.00 | version 2 (version 3 began mid-quarter): 300 bp | 3,000.00 |
    @Test func theAdminFeeReportAppliesTheRateInForceInEachQuarter() async throws {
        try await withApp { client in
            let award = try await Award.make(client)
            let id = try #require(
                try await award.agreement(client, ["effectiveOn": "2026-02-01", "expiresOn": "2028-12-31"]).string("id")
            )
            let agency = try await client.createTenant(state: "TX", entityType: "city", name: "Fee City")
            try await Fixtures.participation(tenant: agency)
            let buyer = try await client.token(for: agency, role: "agency-buyer")
            func order(authorizedOn purchaseDate: String, orderedOn orderDate: String, po: String) async throws {
                let authorization = try await client.send(
                    .post,
                    "/v1/authorizations",
                    token: buyer,
                    json: [
                        "agreementId": id, "amountCents": 10_000_000, "purchaseDate": purchaseDate,
                        "category": "43211507", "purpose": "Laptops",
                    ]
                )
                try #require(authorization.string("outcome") == "approved", "\(authorization.text)")
                let registered = try await client.send(
                    .post,
                    "/v1/usage",
                    token: buyer,
                    json: [
                        "authorizationId": try #require(authorization.string("id")), "poNumber": po,
                        "orderDate": orderDate, "amountCents": 10_000_000,
                        "lines": [["description": "Laptops", "unspsc": "43211503", "quantity": 100, "unitPriceCents": 100_000]],
                    ],
                    headers: UsageScene.key()
                )
                try #require(registered.status == .created, "\(registered.text)")
            }
            try await order(authorizedOn: "2026-02-15", orderedOn: "2026-02-15", po: "PO-Q1")
            try await order(authorizedOn: "2026-08-10", orderedOn: "2026-08-10", po: "PO-Q3")
            try await order(authorizedOn: "2026-11-02", orderedOn: "2026-11-02", po: "PO-Q4")

            func fees() async throws -> [String: [String: Any]] {
                let reply = try await client.send(.get, "/v1/reports/admin-fees?agreementId=\(id)")
                try #require(reply.status == .ok, "\(reply.text)")
                let rows = try #require(reply.json["rows"] as? [[String: Any]])
                return Dictionary(uniqueKeysWithValues: rows.compactMap { row in (row["period"] as? String).map { ($0, row) } })
            }
            let unchanged = try await fees()
            #expect(unchanged.keys.sorted() == ["2026-Q1", "2026-Q3", "2026-Q4"])
            #expect(unchanged.values.allSatisfy { $0["adminFeeBasisPoints"] as? Int == 200 && $0["termsVersion"] as? Int == 1 })

            let raised = try await client.send(
                .patch,
                "/v1/agreements/\(id)",
                json: ["adminFeeBasisPoints": 300, "amendmentEffectiveOn": "2026-07-01", "amendmentRationale": "Amendment 2"]
            )
            #expect(raised.json["termsVersion"] as? Int == 2, "\(raised.text)")
            let again = try await client.send(
                .patch,
                "/v1/agreements/\(id)",
                json: ["adminFeeBasisPoints": 400, "amendmentEffectiveOn": "2026-10-15"]
            )
            #expect(again.json["termsVersion"] as? Int == 3, "\(again.text)")
            // Versions take effect in order: nothing before version 3's day.
            let backwards = try await client.send(
                .patch,
                "/v1/agreements/\(id)",
                json: ["adminFeeBasisPoints": 500, "amendmentEffectiveOn": "2026-10-14"]
            )
            expectProblem(backwards, .unprocessableContent, type: "validation-failed", pointer: "/amendmentEffectiveOn")

            let rows = try await fees()
            #expect(rows["2026-Q1"]?["adminFeeBasisPoints"] as? Int == 200)
            #expect(rows["2026-Q1"]?["termsVersion"] as? Int == 1)
            #expect(rows["2026-Q1"]?["feeDueCents"] as? Int == 200_000)
            #expect(rows["2026-Q3"]?["adminFeeBasisPoints"] as? Int == 300)
            #expect(rows["2026-Q3"]?["termsVersion"] as? Int == 2)
            #expect(rows["2026-Q3"]?["feeDueCents"] as? Int == 300_000)
            #expect(rows["2026-Q4"]?["adminFeeBasisPoints"] as? Int == 300)
            #expect(rows["2026-Q4"]?["termsVersion"] as? Int == 2)
            #expect(rows["2026-Q4"]?["feeDueCents"] as? Int == 300_000)

            // The agency's own view applies the same rates; the CSV names the version.
            let finance = try await client.token(for: agency, role: "agency-finance")
            let own = try await client.send(
                .get,
                "/v1/reports/admin-fees?agreementId=\(id)&from=2026-07&to=2026-09",
                token: finance
            )
            #expect((own.json["rows"] as? [[String: Any]])?.map { $0["adminFeeBasisPoints"] as? Int } == [300])
            let csv = try await client.send(.get, "/v1/reports/admin-fees?agreementId=\(id)&format=csv")
            let lines = csv.text.split(separator: "\r\n").map(String.init)
            #expect(lines.first?.hasSuffix(",terms_version") == true)
            #expect(lines.count == 4)
            #expect(lines.dropFirst().map { $0.split(separator: ",").last.map(String.init) } == ["1", "2", "2"])
        }
    }
}

/// The cooperative chain's actions about one subject, in order.
func cooperativeAuditActions(subject: String) async throws -> [String] {
    try await Fixtures.admin { connection in
        try await connection.query(
            "SELECT action FROM cooperage.cooperative_audit_event WHERE subject_id = \(subject.lowercased()) ORDER BY seq",
            logger: TestDatabase.logger
        ).decode(String.self).array()
    }
}

/// Writes `body` to a file and runs the offline OCDS validator on it.
func expectValidOCDS(_ body: Data, name: String) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ocds-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("\(name).json")
    try body.write(to: file)
    let result = try OCDSValidator.run([file.path])
    #expect(result.status == 0, "validator output:\n\(result.output)")
    #expect(result.output.contains("ocds: 1 passed, 0 failed"), "validator output:\n\(result.output)")
}
