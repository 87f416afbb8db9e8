import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

/// Suppliers report for themselves (issue 22, part 4): their tokens, their reports and amendments, due dates and
/// overdue reports, and the usage agencies registered under their agreements.
@Suite struct SupplierReportingTests {
    @Test func aCooperativeAdminIssuesListsAndRevokesSupplierTokens() async throws {
        try await withApp { client in
            let lead = try await client.createTenant(state: "TX", entityType: "state-agency", name: "Lead")
            let agreement = try await Fixtures.agreement(lead: lead)
            let supplier = try await SupplierScene.supplier(of: agreement, client)

            let issued = try await client.send(
                .post,
                "/v1/suppliers/\(supplier)/tokens",
                json: ["role": "supplier-reporter", "name": "sales office"]
            )
            #expect(issued.status == .created, "\(issued.text)")
            let token = try #require(issued.string("token"))
            let tokenID = try #require(issued.string("id")).lowercased()
            #expect(token.hasPrefix("cps_"))
            #expect(issued.string("role") == "supplier-reporter")
            #expect(issued.string("supplierId")?.lowercased() == supplier)
            #expect(issued.json["tenantId"] == nil || issued.json["tenantId"] is NSNull)

            // Who may issue what, where.
            let finance = try await ConsoleAdminTests.cooperativeToken(client, role: "cooperative-finance")
            let agencyAdmin = try await client.token(for: lead, role: "agency-admin")
            for other in [finance, agencyAdmin] {
                expectProblem(
                    try await client.send(
                        .post,
                        "/v1/suppliers/\(supplier)/tokens",
                        token: other,
                        json: ["role": "supplier-reporter", "name": "x"]
                    ),
                    .forbidden
                )
            }
            expectProblem(
                try await client.send(.post, "/v1/suppliers/\(supplier)/tokens", json: ["role": "agency-buyer", "name": "x"]),
                .unprocessableContent,
                pointer: "/role"
            )
            expectProblem(
                try await client.send(.post, "/v1/tokens", json: ["role": "supplier-reporter", "name": "x"]),
                .unprocessableContent,
                pointer: "/role"
            )
            expectProblem(
                try await client.send(.post, "/v1/tenants/\(lead)/tokens", json: ["role": "supplier-reporter", "name": "x"]),
                .unprocessableContent,
                pointer: "/role"
            )
            expectProblem(
                try await client.send(
                    .post,
                    "/v1/suppliers/\(UUID().uuidString)/tokens",
                    json: ["role": "supplier-reporter", "name": "x"]
                ),
                .notFound
            )

            // The token says who it is.
            let me = try await client.send(.get, "/v1/me", token: token)
            #expect(me.status == .ok, "\(me.text)")
            #expect(me.string("role") == "supplier-reporter")
            #expect(me.string("supplierId")?.lowercased() == supplier)
            #expect((me.json["supplier"] as? [String: Any])?["name"] as? String == "Acme Computing")
            #expect(me.json["tenantId"] == nil)

            // Listed without its secret; an unknown supplier is a 404.
            let listed = try await client.send(.get, "/v1/suppliers/\(supplier)/tokens")
            let items = try #require(listed.json["items"] as? [[String: Any]])
            #expect(items.map { ($0["id"] as? String)?.lowercased() } == [tokenID])
            #expect(items.first?.string("supplierId") == supplier)
            #expect(!listed.text.contains(token))
            expectProblem(try await client.send(.get, "/v1/suppliers/\(UUID().uuidString)/tokens"), .notFound)
            expectProblem(try await client.send(.get, "/v1/suppliers/\(supplier)/tokens", token: finance), .forbidden)

            // A suspension in effect stops the supplier's tokens with a clear problem; one still to come does not.
            func status(_ value: String, on day: String) async throws {
                let reply = try await client.send(
                    .patch,
                    "/v1/suppliers/\(supplier)",
                    json: ["status": value, "statusEffectiveOn": day, "statusReason": "test"]
                )
                #expect(reply.status == .ok, "\(reply.text)")
            }
            try await status("suspended", on: "2999-01-01")
            #expect(try await client.send(.get, "/v1/me", token: token).status == .ok)
            try await status("suspended", on: "2026-01-01")
            expectProblem(try await client.send(.get, "/v1/me", token: token), .forbidden, type: "supplier-not-active")
            try await status("debarred", on: "2026-01-01")
            let debarred = try await client.send(.get, "/v1/supplier/agreements", token: token)
            expectProblem(debarred, .forbidden, type: "supplier-not-active")
            #expect(debarred.string("detail")?.contains("debarred") == true)
            try await status("active", on: "2026-02-01")
            #expect(try await client.send(.get, "/v1/me", token: token).status == .ok)

            // Revoked: unauthenticated from then on; issuance and revocation are audited on the cooperative chain.
            #expect(try await client.send(.delete, "/v1/tokens/\(tokenID)").status == .noContent)
            expectProblem(try await client.send(.get, "/v1/me", token: token), .unauthorized)
            let revoked = try await client.send(.get, "/v1/suppliers/\(supplier)/tokens")
            #expect((revoked.json["items"] as? [[String: Any]])?.first?["revokedAt"] is String)
            // Read from the chain itself: the trail's newest page is shared with every other test running meanwhile.
            let actions = try await Fixtures.admin { connection in
                try await connection.query(
                    "SELECT action FROM cooperative_audit_event WHERE subject_id = \(tokenID.lowercased()) ORDER BY seq",
                    logger: TestDatabase.logger
                ).decode(String.self).array()
            }
            #expect(actions == ["token.issued", "token.revoked"])
        }
    }

    @Test func aSupplierFilesJSONCSVAndZeroSalesReportsForItsOwnAgreementsOnly() async throws {
        try await withApp { client in
            let scene = try await SupplierScene.make(client)
            let today = LocalDate.today()

            // Its agreements: its own only, with the due days, without the agencies' commitments.
            let agreements = try await client.send(.get, "/v1/supplier/agreements", token: scene.token1)
            #expect(agreements.status == .ok, "\(agreements.text)")
            let items = try #require(agreements.json["items"] as? [[String: Any]])
            #expect(items.compactMap { ($0["id"] as? String)?.lowercased() } == [scene.a1])
            #expect(items.first?["supplierReportDueDays"] as? Int == 30)
            #expect(items.first?["adminFeeBasisPoints"] as? Int == 175)
            #expect(items.first?["committedCents"] == nil)
            let one = try await client.send(.get, "/v1/supplier/agreements/\(scene.a1)", token: scene.token1)
            #expect(one.string("number")?.hasPrefix("MA-") == true)

            // JSON, for a quarter still to come: due 30 days after it ends.
            let json = try await client.send(
                .post,
                "/v1/supplier-reports",
                token: scene.token1,
                json: SupplierScene.report(
                    scene.a1,
                    year: 2028,
                    quarter: 2,
                    lines: [("Buyer City", scene.agencies.bNumber, 90_000)]
                )
            )
            #expect(json.status == .created, "\(json.text)")
            #expect(json.json["version"] as? Int == 1)
            #expect(json.json["current"] as? Bool == true)
            #expect(json.string("dueOn") == "2028-07-30")
            #expect(json.string("submittedOn") == today.description)
            #expect(json.json["late"] as? Bool == (today.description > "2028-07-30"))
            #expect(json.json["matchedLineCount"] as? Int == 1)
            #expect(json.string("supplierId")?.lowercased() == scene.supplier1)

            // CSV, for a quarter long past its due date: late.
            let csv = try await client.send(
                .post,
                "/v1/supplier-reports?agreementId=\(scene.a1)&year=2026&quarter=3",
                token: scene.token1,
                raw:
                    "agency_name,cooperative_number,invoice_date,amount_cents,fee_cents\r\nBuyer City,\(scene.agencies.bNumber),2026-08-03,5000,87\r\n",
                headers: [.contentType: "text/csv"]
            )
            #expect(csv.status == .created, "\(csv.text)")
            #expect(csv.string("dueOn") == "2026-10-30")
            #expect(csv.json["late"] as? Bool == true)
            #expect(csv.json["totalCents"] as? Int == 5_000)

            // Zero sales is a report too.
            let zero = try await client.send(
                .post,
                "/v1/supplier-reports",
                token: scene.token1,
                json: ["agreementId": scene.a1, "year": 2026, "quarter": 2, "lines": [] as [Any]]
            )
            #expect(zero.status == .created, "\(zero.text)")
            #expect(zero.json["lineCount"] as? Int == 0 && zero.json["totalCents"] as? Int == 0)

            // The same quarter twice is a conflict pointing at the amendment.
            let again = try await client.send(
                .post,
                "/v1/supplier-reports",
                token: scene.token1,
                json: ["agreementId": scene.a1, "year": 2026, "quarter": 2, "lines": [] as [Any]]
            )
            expectProblem(again, .conflict)
            #expect(again.string("detail")?.contains("/amendments") == true)

            // Another supplier's agreement does not exist for it, in JSON or CSV.
            expectProblem(
                try await client.send(
                    .post,
                    "/v1/supplier-reports",
                    token: scene.token1,
                    json: ["agreementId": scene.a2, "year": 2026, "quarter": 2, "lines": [] as [Any]]
                ),
                .notFound
            )
            expectProblem(
                try await client.send(
                    .post,
                    "/v1/supplier-reports?agreementId=\(scene.a2)&year=2026&quarter=2",
                    token: scene.token1,
                    raw: "agency_name,invoice_date,amount_cents\r\n",
                    headers: [.contentType: "text/csv"]
                ),
                .notFound
            )
            // Bad lines are named as for the cooperative.
            expectProblem(
                try await client.send(
                    .post,
                    "/v1/supplier-reports",
                    token: scene.token1,
                    json: SupplierScene.report(scene.a1, year: 2026, quarter: 1, lines: [("", "", 1)])
                ),
                .unprocessableContent,
                pointer: "/lines/0/agencyName"
            )

            // It lists and reads its own; the cooperative reads them all.
            let mine = try await client.send(.get, "/v1/supplier-reports?limit=200", token: scene.token1)
            let listed = try #require(mine.json["items"] as? [[String: Any]])
            #expect(listed.count == 3)
            #expect(listed.allSatisfy { ($0["supplierId"] as? String)?.lowercased() == scene.supplier1 })
            let csvID = try #require(csv.string("id"))
            let read = try await client.send(.get, "/v1/supplier-reports/\(csvID)", token: scene.token1)
            #expect((read.json["lines"] as? [[String: Any]])?.first?.string("agencyTenantId") == scene.agencies.b)
            #expect(try await client.send(.get, "/v1/supplier-reports/\(csvID)").status == .ok)

            // Audited on the cooperative chain as the supplier's token.
            let audit = try #require(try await client.send(.get, "/v1/audit?limit=1000").json["items"] as? [[String: Any]])
            let recorded = try #require(
                audit.first {
                    $0["action"] as? String == "supplier-report.recorded" && $0["subjectId"] as? String == csvID.lowercased()
                }
            )
            #expect(recorded["actorRole"] as? String == "supplier-reporter")
            #expect(recorded["tenantId"] == nil)
        }
    }

    @Test func anAmendmentIsANewVersionAndReconciliationFollowsIt() async throws {
        try await withApp { client in
            let scene = try await SupplierScene.make(client)
            let b = scene.agencies.b
            // B registered 1,500.00 on A1 in 2026-Q4; the supplier first reports 1,000.00.
            let first = try await client.send(
                .post,
                "/v1/supplier-reports",
                token: scene.token1,
                json: SupplierScene.report(scene.a1, quarter: 4, lines: [(scene.agencies.bName, scene.agencies.bNumber, 100_000)])
            )
            #expect(first.status == .created, "\(first.text)")
            let v1 = try #require(first.string("id")).lowercased()
            func reconciled() async throws -> [String: Any]? {
                let rows = try await scene.agencies.rows(client, "/v1/reports/reconciliation?agreementId=\(scene.a1)")
                return rows.first { $0.string("tenantId") == b && $0.string("period") == "2026-Q4" }
            }
            func fees() async throws -> [String: Any]? {
                let rows = try await scene.agencies.rows(
                    client,
                    "/v1/reports/admin-fees?agreementId=\(scene.a1)&from=2026-10&to=2026-12"
                )
                return rows.first
            }
            #expect(try await reconciled()?.string("status") == "mismatch")
            #expect(try await reconciled()?.int("reportedCents") == 100_000)
            #expect(try await fees()?.int("reportedSalesCents") == 100_000)

            // The amendment: version 2 supersedes version 1, which is kept.
            let amended = try await client.send(
                .post,
                "/v1/supplier-reports/\(v1)/amendments",
                token: scene.token1,
                json: SupplierScene.report(scene.a1, quarter: 4, lines: [(scene.agencies.bName, scene.agencies.bNumber, 150_000)])
            )
            #expect(amended.status == .created, "\(amended.text)")
            let v2 = try #require(amended.string("id")).lowercased()
            #expect(amended.headers[.location] == "/v1/supplier-reports/\(v2)")
            #expect(amended.json["version"] as? Int == 2)
            #expect(amended.string("supersedesId")?.lowercased() == v1)
            #expect(amended.json["current"] as? Bool == true)
            let old = try await client.send(.get, "/v1/supplier-reports/\(v1)", token: scene.token1)
            #expect(old.json["current"] as? Bool == false)
            #expect(old.string("supersededById")?.lowercased() == v2)
            #expect(old.json["totalCents"] as? Int == 100_000)
            #expect((old.json["lines"] as? [[String: Any]])?.first?["amountCents"] as? Int == 100_000)

            // Reconciliation and admin fees read the latest version.
            #expect(try await reconciled()?.string("status") == "match")
            #expect(try await reconciled()?.int("reportedCents") == 150_000)
            #expect(try await fees()?.int("reportedSalesCents") == 150_000)
            // The agency's own view follows too.
            let agencyFinance = try await client.token(for: b, role: "agency-finance")
            let own = try await scene.agencies.rows(
                client,
                "/v1/reports/reconciliation?agreementId=\(scene.a1)",
                token: agencyFinance
            )
            #expect(own.first { $0.string("period") == "2026-Q4" }?.int("reportedCents") == 150_000)

            // Only the latest version may be amended, for its own agreement and quarter.
            expectProblem(
                try await client.send(
                    .post,
                    "/v1/supplier-reports/\(v1)/amendments",
                    token: scene.token1,
                    json: SupplierScene.report(scene.a1, quarter: 4, lines: [])
                ),
                .conflict
            )
            expectProblem(
                try await client.send(
                    .post,
                    "/v1/supplier-reports/\(v2)/amendments",
                    token: scene.token1,
                    json: SupplierScene.report(scene.a1, quarter: 3, lines: [])
                ),
                .unprocessableContent,
                pointer: "/quarter"
            )

            // The cooperative amends too, by CSV: the agreement and quarter are the amended report's.
            let byCSV = try await client.send(
                .post,
                "/v1/supplier-reports/\(v2)/amendments",
                raw:
                    "agency_name,cooperative_number,invoice_date,amount_cents\r\n\(scene.agencies.bName),\(scene.agencies.bNumber),2026-11-30,149000\r\n",
                headers: [.contentType: "text/csv"]
            )
            #expect(byCSV.status == .created, "\(byCSV.text)")
            let v3 = try #require(byCSV.string("id")).lowercased()
            #expect(byCSV.json["version"] as? Int == 3)
            #expect(try await reconciled()?.int("reportedCents") == 149_000)
            #expect(try await reconciled()?.int("differenceCents") == -1_000)

            // Every version is listed; `latest=true` shows the one in force.
            let all = try await client.send(.get, "/v1/supplier-reports?agreementId=\(scene.a1)", token: scene.token1)
            let versions = try #require(all.json["items"] as? [[String: Any]])
            #expect(versions.compactMap { ($0["id"] as? String)?.lowercased() } == [v3, v2, v1])
            #expect(versions.compactMap { $0["version"] as? Int } == [3, 2, 1])
            let latest = try await client.send(.get, "/v1/supplier-reports?agreementId=\(scene.a1)&latest=true")
            #expect((latest.json["items"] as? [[String: Any]])?.compactMap { ($0["id"] as? String)?.lowercased() } == [v3])

            // Each amendment is audited, by whoever filed it.
            let audit = try #require(try await client.send(.get, "/v1/audit?limit=1000").json["items"] as? [[String: Any]])
            func event(_ id: String) -> [String: Any]? { audit.first { ($0["subjectId"] as? String) == id } }
            #expect(event(v1)?["action"] as? String == "supplier-report.recorded")
            #expect(event(v2)?["action"] as? String == "supplier-report.amended")
            #expect(event(v2)?["actorRole"] as? String == "supplier-reporter")
            #expect(event(v3)?["action"] as? String == "supplier-report.amended")
            #expect(event(v3)?["actorRole"] as? String == "cooperative-admin")
        }
    }

    @Test func dueDaysAreAnAgreementsAndOverdueReportsAreListed() async throws {
        try await withApp { client in
            let lead = try await client.createTenant(state: "TX", entityType: "state-agency", name: "Lead")
            let agreement = try await Fixtures.agreement(lead: lead, effectiveOn: "2025-08-15", expiresOn: "2026-06-30")
            let supplier = try await SupplierScene.supplier(of: agreement, client)
            let token = try await SupplierScene.token(client, supplier: supplier).token
            #expect(try await client.send(.get, "/v1/agreements/\(agreement)").json["supplierReportDueDays"] as? Int == 30)

            // Set on PATCH (and checked).
            expectProblem(
                try await client.send(.patch, "/v1/agreements/\(agreement)", json: ["supplierReportDueDays": 366]),
                .unprocessableContent,
                pointer: "/supplierReportDueDays"
            )
            let patched = try await client.send(.patch, "/v1/agreements/\(agreement)", json: ["supplierReportDueDays": 45])
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(patched.json["supplierReportDueDays"] as? Int == 45)

            // Quarters 2025-Q3 (due 2025-11-14) to 2026-Q2 (due 2026-08-14). As of 2026-02-14, 2025-Q4 is due that day:
            // not yet overdue.
            func overdue(_ asOf: String, token: String = TestClient.adminToken) async throws -> [[String: Any]] {
                let reply = try await client.send(
                    .get,
                    "/v1/supplier-reports/overdue?asOf=\(asOf)&agreementId=\(agreement)",
                    token: token
                )
                try #require(reply.status == .ok, "\(reply.text)")
                #expect(reply.string("asOf") == asOf)
                return try #require(reply.json["items"] as? [[String: Any]])
            }
            let early = try await overdue("2026-02-14")
            #expect(early.compactMap { $0["period"] as? String } == ["2025-Q3"])
            #expect(early.first?["status"] as? String == "missing")
            #expect(early.first?.string("dueOn") == "2025-11-14")
            #expect(early.first?.int("daysOverdue") == 92)
            #expect(try await overdue("2026-02-15").compactMap { $0["period"] as? String } == ["2025-Q3", "2025-Q4"])

            // The supplier files 2025-Q3 now (late) and a zero-sales 2026-Q1 (late too).
            let q3 = try await client.send(
                .post,
                "/v1/supplier-reports",
                token: token,
                json: SupplierScene.report(agreement, year: 2025, quarter: 3, lines: [("Somebody", "", 1_000)])
            )
            #expect(q3.status == .created, "\(q3.text)")
            #expect(q3.string("dueOn") == "2025-11-14")
            #expect(q3.json["late"] as? Bool == true)
            let q1 = try await client.send(
                .post,
                "/v1/supplier-reports",
                token: token,
                json: ["agreementId": agreement, "year": 2026, "quarter": 1, "lines": [] as [Any]]
            )
            #expect(q1.status == .created, "\(q1.text)")

            // Today: 2025-Q3 and 2026-Q1 arrived late, 2025-Q4 and 2026-Q2 are missing.
            let today = LocalDate.today()
            let now = try await overdue(today.description)
            #expect(now.compactMap { $0["period"] as? String } == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"])
            #expect(now.compactMap { $0["status"] as? String } == ["late", "missing", "late", "missing"])
            let late = try #require(now.first)
            #expect(late.string("reportId")?.lowercased() == q3.string("id")?.lowercased())
            #expect(late.string("submittedOn") == today.description)
            let due = try #require(LocalDate(iso8601: "2025-11-14"))
            #expect(late.int("daysOverdue") == today.daysSinceEpoch - due.daysSinceEpoch)
            let missing = try #require(now.last)
            #expect(missing.string("dueOn") == "2026-08-14")
            #expect(missing["reportId"] == nil)
            // As of a day before the filing, 2025-Q3 was missing.
            #expect(try await overdue("2026-02-15").first?["status"] as? String == "missing")

            // The supplier sees its own list; an agency may not ask.
            let own = try await client.send(.get, "/v1/supplier-reports/overdue?asOf=\(today)", token: token)
            let ownItems = try #require(own.json["items"] as? [[String: Any]])
            #expect(ownItems.count == 4)
            #expect(ownItems.allSatisfy { ($0["supplierId"] as? String)?.lowercased() == supplier })
            #expect(own.json["missingCount"] as? Int == 2 && own.json["lateCount"] as? Int == 2)
            let buyer = try await client.token(for: lead, role: "agency-admin")
            expectProblem(try await client.send(.get, "/v1/supplier-reports/overdue", token: buyer), .forbidden)
            expectProblem(try await client.send(.get, "/v1/supplier-reports/overdue?asOf=2026-13-01"), .badRequest)

            // The store's typed list, which the alert scheduler raises `supplier-report.overdue` from.
            let store = SupplierReportStore(database: try await SharedPool.database.value)
            let typed = try await store.overdue(asOf: today).filter { $0.agreementId.uuidString.lowercased() == agreement }
            #expect(typed.map(\.status) == [.late, .missing, .late, .missing])
            #expect(
                typed.filter { $0.status == .missing }.map(\.alertDedupeKey) == [
                    "supplier-report.overdue:\(agreement):2025-Q4", "supplier-report.overdue:\(agreement):2026-Q2",
                ]
            )

            // Due days on create.
            let created = try await client.send(
                .post,
                "/v1/agreements",
                json: try await Self.newAgreement(client, like: agreement, dueDays: 10)
            )
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json["supplierReportDueDays"] as? Int == 10)
            expectProblem(
                try await client.send(
                    .post,
                    "/v1/agreements",
                    json: try await Self.newAgreement(client, like: agreement, dueDays: -1)
                ),
                .unprocessableContent,
                pointer: "/supplierReportDueDays"
            )
        }
    }

    /// The server's alert scheduler raises `supplier-report.overdue` once per agreement and quarter, however many
    /// instances check at once. In a database of its own, so that no other test's agreement raises alerts there and
    /// no other test's list of alerts sees these.
    @Test func anOverdueReportRaisesOneAlertWhateverTheInstances() async throws {
        let url = try await TestDatabase.fresh(prefix: "overdue")
        let lead = try await Fixtures.admin(on: url) { connection in
            try await connection.query(
                "INSERT INTO tenant (legal_name, slug, entity_type, state) VALUES ('Lead', 'lead', 'state-agency', 'TX') RETURNING id",
                logger: TestDatabase.logger
            ).decode(UUID.self).array().first!.uuidString.lowercased()
        }
        let agreement = try await Fixtures.agreement(lead: lead, effectiveOn: "2040-01-01", expiresOn: "2040-12-31", on: url)
        let instances = (0..<2).map { _ in
            Database(url: url, appPassword: nil, maximumConnections: 2, logger: TestDatabase.logger)
        }
        let running = instances.map { database in Task { try await database.run() } }
        defer { running.forEach { $0.cancel() } }
        let schedulers = instances.map { CooperageServer.alertScheduler(database: $0, logger: TestDatabase.logger) }

        func overdueEvents() async throws -> [(key: String, period: String, alert: Bool, cooperative: Bool)] {
            try await Fixtures.admin(on: url) { connection in
                try await connection.query(
                    """
                    SELECT dedupe_key, data ->> 'period', alert, tenant_id = '00000000-0000-0000-0000-000000000000'::uuid
                    FROM cooperage.event WHERE type = 'supplier-report.overdue' ORDER BY seq
                    """,
                    logger: TestDatabase.logger
                ).decode((String, String, Bool, Bool).self).array().map { ($0.0, $0.1, $0.2, $0.3) }
            }
        }
        // 2040-Q1 ends on March 31 and is due 30 days later: not yet on April 30, overdue on May 1.
        _ = try await schedulers[0].raiseDue(asOf: LocalDate(iso8601: "2040-04-30")!)
        #expect(try await overdueEvents().isEmpty)
        let may = LocalDate(iso8601: "2040-05-01")!
        async let first = schedulers[0].raiseDue(asOf: may)
        async let second = schedulers[1].raiseDue(asOf: may)
        _ = try await (first, second)
        _ = try await schedulers[1].raiseDue(asOf: may.adding(days: 1))
        let raised = try await overdueEvents()
        #expect(raised.map(\.key) == ["supplier-report.overdue:\(agreement):2040-Q1"])
        #expect(raised.first?.period == "2040-Q1")
        #expect(raised.first?.alert == true && raised.first?.cooperative == true)

        // A filed report, even a late one, raises nothing: the next quarter's alert is the only new one.
        try await Fixtures.admin(on: url) { connection in
            try await connection.query(
                """
                INSERT INTO cooperage.supplier_report (agreement_id, supplier_id, year, quarter, total_cents, fee_cents, line_count)
                SELECT id, supplier_id, 2040, 2, 0, 0, 0 FROM cooperage.agreement WHERE id = \(UUID(uuidString: agreement)!)
                """,
                logger: TestDatabase.logger
            )
        }
        _ = try await schedulers[0].raiseDue(asOf: LocalDate(iso8601: "2040-11-15")!)
        #expect(try await overdueEvents().map(\.period) == ["2040-Q1", "2040-Q3"])
    }

    /// The console's overview lists a quarter as overdue by its agreement's due days, as the API does.
    @Test func theConsoleOverviewJudgesOverdueByEachAgreementsDueDays() async throws {
        try await withApp { client in
            let lead = try await client.createTenant(state: "TX", entityType: "state-agency", name: "Lead")
            // Alone in its years: 2002-Q1 ended on March 31; on May 15 it is 45 days past.
            let agreement = try await Fixtures.agreement(lead: lead, effectiveOn: "2002-01-01", expiresOn: "2002-03-31")
            let store = AdminOverviewStore(database: try await SharedPool.database.value)
            func listed() async throws -> Bool {
                let overview = try await store.overview(
                    today: LocalDate(iso8601: "2002-05-15")!,
                    expiryWindowDays: 90,
                    ceilingPercent: 80
                )
                return overview.overdueReports.contains { $0.agreementID.uuidString.lowercased() == agreement }
            }
            #expect(try await listed())
            let patched = try await client.send(.patch, "/v1/agreements/\(agreement)", json: ["supplierReportDueDays": 45])
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(try await !listed())
            _ = try await client.send(.patch, "/v1/agreements/\(agreement)", json: ["supplierReportDueDays": 44])
            #expect(try await listed())
        }
    }

    /// A body for `POST /v1/agreements` with the lead, solicitation and supplier of `agreement`.
    static func newAgreement(_ client: TestClient, like agreement: String, dueDays: Int) async throws -> [String: Any] {
        let existing = try await client.send(.get, "/v1/agreements/\(agreement)").json
        return [
            "number": "MA-\(UUID().uuidString.prefix(12))", "title": "Due days", "leadTenantId": existing["leadTenantId"] ?? "",
            "solicitationId": existing["solicitationId"] ?? "", "supplierId": existing["supplierId"] ?? "",
            "categories": ["43210000"], "effectiveOn": "2026-01-01", "expiresOn": "2026-12-31", "supplierReportDueDays": dueDays,
        ]
    }

    @Test func aSupplierSeesTheUsageRegisteredUnderItsAgreementsPerQuarter() async throws {
        try await withApp { client in
            let scene = try await SupplierScene.make(client)
            let reports = scene.agencies
            // A1: B 2,000.00 less a 500.00 reversal in 2026-Q4, 1,500.33 in 2027-Q1; C 250.00 fully reversed in 2026-Q4,
            // 4,000.00 in 2027-Q1. A2 is the other supplier's.
            let q4 = try await client.send(.get, "/v1/supplier-usage?year=2026&quarter=4", token: scene.token1)
            #expect(q4.status == .ok, "\(q4.text)")
            let rows = try #require(q4.json["items"] as? [[String: Any]]).filter { $0.string("agreementId") == scene.a1 }
            let all = try #require(q4.json["items"] as? [[String: Any]])
            #expect(all.allSatisfy { $0.string("agreementId") != scene.a2 })
            let b = try #require(rows.first { $0.string("tenantId") == reports.b })
            #expect(b.int("orderCount") == 1 && b.int("amountCents") == 150_000)
            #expect(b.string("agencyName") == reports.bName)
            #expect(b.string("cooperativeNumber") == reports.bNumber)
            #expect(b.string("period") == "2026-Q4")
            let c = try #require(rows.first { $0.string("tenantId") == reports.c })
            #expect(c.int("orderCount") == 1 && c.int("amountCents") == 0)
            #expect(rows.count == 2)

            let year = try await client.send(.get, "/v1/supplier-usage?year=2027&agreementId=\(scene.a1)", token: scene.token1)
            let q1 = try #require(year.json["items"] as? [[String: Any]])
            #expect(q1.map { $0.string("period") } == ["2027-Q1", "2027-Q1"])
            #expect(Set(q1.compactMap { $0.int("amountCents") }) == [150_033, 400_000])
            let other = try await client.send(.get, "/v1/supplier-usage?agreementId=\(scene.a2)", token: scene.token2)
            #expect((other.json["items"] as? [[String: Any]])?.first?.int("amountCents") == 120_000)

            expectProblem(try await client.send(.get, "/v1/supplier-usage?quarter=4", token: scene.token1), .badRequest)
            expectProblem(try await client.send(.get, "/v1/supplier-usage?year=1999", token: scene.token1), .badRequest)
            // Supplier tokens only.
            expectProblem(try await client.send(.get, "/v1/supplier-usage"), .forbidden)
            let agency = try await client.token(for: reports.b, role: "agency-admin")
            expectProblem(try await client.send(.get, "/v1/supplier-usage", token: agency), .forbidden)
            expectProblem(try await client.send(.get, "/v1/supplier/agreements", token: agency), .forbidden)
        }
    }
}

fileprivate extension [String: Any] {
    func int(_ key: String) -> Int? { self[key] as? Int }
    /// Ids lowercased (the API writes them so; the tests compare them so), other text as it is.
    func string(_ key: String) -> String? { (self[key] as? String).map { $0.count == 36 ? $0.lowercased() : $0 } }
}
