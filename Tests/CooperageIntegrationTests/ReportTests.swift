import CooperageCore
import CooperageStore
import Foundation
import HTTPTypes
import Testing

/// Two agencies buying under two agreements of one lead agency, with orders in three months and two
/// quarters, partial and full reversals, list prices, and supplier sales reports: every figure below is
/// computed by hand from these orders.
///
/// | agency | agreement | PO | date | amount | list | reversed |
/// |---|---|---|---|---|---|---|
/// | B (TX city, FY from January) | A1 | PO-1 | 2026-12-02 | 2 x 100,000 = 200,000 | 2 x 130,000 | 50,000 |
/// | B | A1 | PO-2 | 2027-01-15 | 150,033 | - | |
/// | B | A2 | PO-3 | 2026-12-10 | 3 x 40,000 = 120,000 | - | |
/// | C (OK county) | A1 | PO-4 | 2027-02-01 | 4 x 100,000 = 400,000 | 4 x 110,000 | |
/// | C | A1 | PO-5 | 2026-12-20 | 25,000 | - | all |
///
/// A1: tiers 0 / 5,000.00 (2 %) / 10,000.00 (4 %), admin fee 175 bp; A2: no tiers, 200 bp.
struct ReportScene {
    let lead: String
    let a1: String
    let a2: String
    let b: String
    let c: String
    let bName: String
    let cName: String
    let bNumber: String
    let cNumber: String

    var agreements: String { "\(a1),\(a2)" }

    static func make(_ client: TestClient) async throws -> ReportScene {
        let suffix = String(UUID().uuidString.prefix(8)).lowercased()
        let lead = try await client.createTenant(state: "TX", entityType: "state-agency", name: "Lead \(suffix)").lowercased()
        let a1 = try await Fixtures.agreement(lead: lead)
        let a2 = try await Fixtures.agreement(lead: lead)
        try await Fixtures.admin { connection in
            try await connection.query(
                """
                UPDATE agreement SET admin_fee_basis_points = 175,
                    price_tiers = '[{"minVolumeCents": 0, "discountBasisPoints": 0}, {"minVolumeCents": 1000000, "discountBasisPoints": 400},
                                    {"minVolumeCents": 500000, "discountBasisPoints": 200}]'
                WHERE id = \(UUID(uuidString: a1)!)
                """,
                logger: TestDatabase.logger
            )
        }
        func agency(_ name: String, state: String, type: String, number: String, fiscal: Int) async throws -> String {
            let reply = try await client.send(
                .post,
                "/v1/tenants",
                json: [
                    "legalName": name, "slug": "r-\(UUID().uuidString.lowercased().prefix(18))", "entityType": type,
                    "state": state,
                    "identifiers": ["cooperativeNumber": number], "fiscalYearStartMonth": fiscal,
                ]
            )
            try #require(reply.status == .created, "tenant: \(reply.text)")
            let id = try #require(reply.string("id")).lowercased()
            try await Fixtures.participation(tenant: id)
            return id
        }
        let bName = "Buyer City \(suffix)"
        let cName = "Other County \(suffix)"
        let bNumber = "B-\(suffix)"
        let cNumber = "C-\(suffix)"
        let b = try await agency(bName, state: "TX", type: "city", number: bNumber, fiscal: 1)
        let c = try await agency(cName, state: "OK", type: "county", number: cNumber, fiscal: 7)
        let scene = ReportScene(
            lead: lead,
            a1: a1,
            a2: a2,
            b: b,
            c: c,
            bName: bName,
            cName: cName,
            bNumber: bNumber,
            cNumber: cNumber
        )

        let bBuyer = try await client.token(for: b, role: "agency-buyer")
        let cBuyer = try await client.token(for: c, role: "agency-buyer")
        let bA1 = try await scene.authorize(client, buyer: bBuyer, agreement: a1, category: "43211507")
        let bA2 = try await scene.authorize(client, buyer: bBuyer, agreement: a2, category: "43211507")
        let cA1 = try await scene.authorize(client, buyer: cBuyer, agreement: a1, category: "43211503")

        let po1 = try await scene.order(
            client,
            buyer: bBuyer,
            authorization: bA1,
            po: "PO-1",
            date: "2026-12-02",
            quantity: 2,
            unit: 100_000,
            list: 130_000
        )
        _ = try await scene.order(
            client,
            buyer: bBuyer,
            authorization: bA1,
            po: "PO-2",
            date: "2027-01-15",
            quantity: 1,
            unit: 150_033
        )
        _ = try await scene.order(
            client,
            buyer: bBuyer,
            authorization: bA2,
            po: "PO-3",
            date: "2026-12-10",
            quantity: 3,
            unit: 40_000
        )
        _ = try await scene.order(
            client,
            buyer: cBuyer,
            authorization: cA1,
            po: "PO-4",
            date: "2027-02-01",
            quantity: 4,
            unit: 100_000,
            list: 110_000
        )
        let po5 = try await scene.order(
            client,
            buyer: cBuyer,
            authorization: cA1,
            po: "PO-5",
            date: "2026-12-20",
            quantity: 1,
            unit: 25_000
        )
        try await scene.reverse(client, buyer: bBuyer, usage: po1, amount: 50_000)
        try await scene.reverse(client, buyer: cBuyer, usage: po5, amount: nil)
        return scene
    }

    func authorize(_ client: TestClient, buyer: String, agreement: String, category: String) async throws -> String {
        let reply = try await client.send(
            .post,
            "/v1/authorizations",
            token: buyer,
            json: [
                "agreementId": agreement, "amountCents": 1_000_000, "purchaseDate": "2026-12-01", "category": category,
                "purpose": "Computers",
            ]
        )
        try #require(reply.string("outcome") == "approved", "authorization: \(reply.text)")
        return try #require(reply.string("id"))
    }

    func order(
        _ client: TestClient,
        buyer: String,
        authorization: String,
        po: String,
        date: String,
        quantity: Int,
        unit: Int,
        list: Int? = nil
    ) async throws -> String {
        var line: [String: Any] = ["description": "Computer", "unspsc": "43211503", "quantity": quantity, "unitPriceCents": unit]
        if let list { line["listPriceCents"] = list }
        let reply = try await client.send(
            .post,
            "/v1/usage",
            token: buyer,
            json: [
                "authorizationId": authorization, "poNumber": po, "orderDate": date, "amountCents": quantity * unit,
                "lines": [line],
            ],
            headers: [HTTPField.Name("Idempotency-Key")!: UUID().uuidString]
        )
        try #require(reply.status == .created, "usage: \(reply.text)")
        return try #require(reply.string("id"))
    }

    func reverse(_ client: TestClient, buyer: String, usage: String, amount: Int?) async throws {
        var body: [String: Any] = ["reason": "returned"]
        if let amount { body["amountCents"] = amount }
        let reply = try await client.send(
            .post,
            "/v1/usage/\(usage)/reversal",
            token: buyer,
            json: body,
            headers: [HTTPField.Name("Idempotency-Key")!: UUID().uuidString]
        )
        try #require(reply.status == .created, "reversal: \(reply.text)")
    }

    /// The report's JSON rows that belong to this scene's agreements (the database is shared with other tests).
    func rows(_ client: TestClient, _ path: String, token: String = TestClient.adminToken, key: String = "rows") async throws
        -> [[String: Any]]
    {
        let reply = try await client.send(.get, path, token: token)
        try #require(reply.status == .ok, "\(path): \(reply.text)")
        let rows = try #require(reply.json[key] as? [[String: Any]], "\(path): \(reply.text)")
        return rows.filter { row in
            guard let agreement = row["agreementId"] as? String else { return true }
            return [a1, a2].contains(agreement.lowercased())
        }
    }

    // Hand-computed figures.
    static let bA1 = 200_000 - 50_000 + 150_033  // 300,033
    static let bA2 = 120_000
    static let cA1 = 400_000 + 25_000 - 25_000  // 400,000
    static let total = bA1 + bA2 + cA1  // 820,033
    static let orders = 5
}

fileprivate extension [String: Any] {
    func int(_ key: String) -> Int? { self[key] as? Int }
    func string(_ key: String) -> String? { (self[key] as? String).map { $0.count == 36 ? $0.lowercased() : $0 } }
}

@Suite struct ReportTests {
    /// The agreement rollups answer a grouping by agreement; with nothing to show they once built the range `1...0`,
    /// which traps, and took the server down (found by the browser story).
    @Test func aRollupReportWithNoRowsIsAnEmptyReport() async throws {
        try await withApp { client in
            let lead = try await client.createTenant()
            let agreement = try await Fixtures.agreement(lead: lead)
            for grouping in ["agreement", "agreement,supplier", "agreement,lead-agency"] {
                let reply = try await client.send(
                    .get,
                    "/v1/reports/buying-power?groupBy=\(grouping)&agreementId=\(agreement)"
                )
                #expect(reply.status == .ok, "\(reply.text)")
                #expect((reply.json["rows"] as? [Any])?.isEmpty == true)
                let quarterly = try await client.send(
                    .get,
                    "/v1/reports/buying-power?groupBy=\(grouping)&period=quarter&agreementId=\(agreement)"
                )
                #expect(quarterly.status == .ok, "\(quarterly.text)")
            }
        }
    }

    /// Sums of `rows` must be what was registered minus reversals, whatever the grouping.
    func sums(_ rows: [[String: Any]]) -> (total: Int, orders: Int) {
        rows.reduce((0, 0)) { ($0.0 + ($1.int("totalCents") ?? 0), $0.1 + ($1.int("orderCount") ?? 0)) }
    }

    @Test func buyingPowerTotalsHoldForEveryGroupingAndPeriod() async throws {
        try await withApp { client in
            let scene = try await ReportScene.make(client)
            let base = "/v1/reports/buying-power?agreementId=\(scene.agreements)"

            // No grouping: one row.
            let all = try await scene.rows(client, base)
            #expect(all.count == 1)
            #expect(all.first?.int("totalCents") == ReportScene.total)
            #expect(all.first?.int("orderCount") == ReportScene.orders)
            #expect(all.first?.int("agencyCount") == 2)

            for groupBy in [
                "agreement", "supplier", "category", "lead-agency", "state", "entity-type", "tenant", "agreement,tenant",
                "state,category,agreement",
            ] {
                for period in ["none", "month", "quarter", "fiscal-year"] {
                    let rows = try await scene.rows(client, "\(base)&groupBy=\(groupBy)&period=\(period)")
                    let (total, orders) = sums(rows)
                    #expect(total == ReportScene.total, "groupBy=\(groupBy) period=\(period)")
                    #expect(orders == ReportScene.orders, "groupBy=\(groupBy) period=\(period)")
                }
            }

            let byAgreement = try await scene.rows(client, "\(base)&groupBy=agreement")
            let a1 = try #require(byAgreement.first { $0.string("agreementId") == scene.a1 })
            #expect(a1.int("totalCents") == ReportScene.bA1 + ReportScene.cA1)
            #expect(a1.int("orderCount") == 4)
            #expect(a1.int("agencyCount") == 2)
            let a2 = try #require(byAgreement.first { $0.string("agreementId") == scene.a2 })
            #expect(a2.int("totalCents") == ReportScene.bA2)
            #expect(a2.int("agencyCount") == 1)

            let byTenant = try await scene.rows(client, "\(base)&groupBy=tenant,agreement")
            #expect(byTenant.count == 3)
            #expect(
                byTenant.first { $0.string("tenantId") == scene.b && $0.string("agreementId") == scene.a1 }?.int("totalCents")
                    == ReportScene.bA1
            )
            #expect(byTenant.first { $0.string("tenantId") == scene.c }?.string("tenantName") == scene.cName)

            let byState = try await scene.rows(client, "\(base)&groupBy=state,entity-type")
            #expect(byState.first { $0.string("state") == "TX" }?.int("totalCents") == ReportScene.bA1 + ReportScene.bA2)
            #expect(byState.first { $0.string("state") == "OK" }?.string("entityType") == "county")

            let byLead = try await scene.rows(client, "\(base)&groupBy=lead-agency")
            #expect(byLead.map { $0.string("leadAgencyId") } == [scene.lead])

            let commodities = try await scene.rows(client, "\(base)&groupBy=category")
            #expect(commodities.first { $0.string("category") == "43211503" }?.int("totalCents") == ReportScene.cA1)
            #expect(
                commodities.first { $0.string("category") == "43211507" }?.int("totalCents") == ReportScene.bA1 + ReportScene.bA2
            )
            let classes = try await scene.rows(client, "\(base)&groupBy=category&categoryDigits=6")
            #expect(classes.map { $0.string("category") } == ["43211500"])
            #expect(classes.first?.int("agencyCount") == 2)

            let months = try await scene.rows(client, "\(base)&period=month")
            #expect(months.map { $0.string("period") } == ["2026-12", "2027-01", "2027-02"])
            #expect(months.map { $0.int("totalCents") } == [150_000 + 120_000, 150_033, 400_000])
            #expect(months.map { $0.int("orderCount") } == [3, 1, 1])
            #expect(months.first?.string("periodEnd") == "2026-12-31")

            let quarters = try await scene.rows(client, "\(base)&period=quarter")
            #expect(quarters.map { $0.string("period") } == ["2026-Q4", "2027-Q1"])
            #expect(quarters.map { $0.int("totalCents") } == [270_000, 550_033])

            let fiscal = try await scene.rows(client, "\(base)&period=fiscal-year")
            #expect(fiscal.map { $0.string("period") } == ["FY2027"])
            let calendar = try await scene.rows(client, "\(base)&period=fiscal-year&fiscalYearStartMonth=1")
            #expect(calendar.map { $0.string("period") } == ["FY2026", "FY2027"])
            #expect(calendar.map { $0.int("totalCents") } == [270_000, 550_033])

            let range = try await scene.rows(client, "\(base)&from=2027-01&to=2027-02-28")
            #expect(range.first?.int("totalCents") == 550_033)
            #expect(range.first?.int("agencyCount") == 2)
        }
    }

    /// The agreement rollups (sql/0008) answer exactly what usage_monthly answers, wherever they are used.
    @Test func agreementRollupsAnswerAsTheMonthlyAggregatesDo() async throws {
        try await withApp { client in
            let scene = try await ReportScene.make(client)
            let database = try await SharedPool.database.value
            let rollups = ReportStore(database: database)
            let monthly = ReportStore(database: database, useRollups: false)
            let agreements = "\(scene.a1),\(scene.a2)"
            var compared = 0
            for groupBy in ["agreement", "agreement,supplier", "lead-agency,agreement", "agreement,supplier,lead-agency"] {
                for period in ["none", "month", "quarter"] {
                    for range in [[], [("from", "2026-10"), ("to", "2027-03")], [("from", "2027-01")], [("to", "2026-12")]] {
                        let query = [("agreementId", agreements), ("groupBy", groupBy), ("period", period)] + range
                        let parameters = try ReportParameters.parse(name: "buying-power", query: query)
                        let scope = ReportScope.cooperative(tenant: nil)
                        let expected = try #require(try await monthly.build(parameters, scope: scope) as? BuyingPowerReport)
                        let answered = try #require(try await rollups.build(parameters, scope: scope) as? BuyingPowerReport)
                        #expect(answered == expected, "\(query)")
                        #expect(!expected.rows.isEmpty, "\(query)")
                        compared += 1
                    }
                }
            }
            #expect(compared == 48)
            // Where they cannot answer (part of a quarter, one agency, fiscal years), usage_monthly does.
            let partial = try ReportParameters.parse(
                name: "buying-power",
                query: [("groupBy", "agreement"), ("period", "quarter"), ("from", "2027-02")]
            )
            #expect(ReportStore.rollupPeriod(for: partial, scope: .cooperative(tenant: nil)) == nil)
            let quarter = try ReportParameters.parse(
                name: "buying-power",
                query: [("groupBy", "agreement"), ("period", "quarter")]
            )
            #expect(ReportStore.rollupPeriod(for: quarter, scope: .cooperative(tenant: nil)) == "quarter")
            #expect(ReportStore.rollupPeriod(for: quarter, scope: .agency(UUID())) == nil)
            #expect(ReportStore.rollupPeriod(for: quarter, scope: .cooperative(tenant: UUID())) == nil)
            // An agency's report takes every agency's totals per agreement from the rollups too.
            let own = ReportScope.agency(try #require(UUID(uuidString: scene.b)))
            let agency = try ReportParameters.parse(name: "buying-power", query: [("agreementId", agreements)])
            let fromRollups = try #require(try await rollups.build(agency, scope: own) as? BuyingPowerReport)
            let fromMonthly = try #require(try await monthly.build(agency, scope: own) as? BuyingPowerReport)
            #expect(fromRollups == fromMonthly)
            #expect(fromRollups.agreementTotals?.first { $0.agreementId.uuidString.lowercased() == scene.a1 }?.agencyCount == 2)
        }
    }

    @Test func anAgencySeesItsOwnRowsAndOnlyAgreementTotalsOfOthers() async throws {
        try await withApp { client in
            let scene = try await ReportScene.make(client)
            let finance = try await client.token(for: scene.b, role: "agency-finance")
            let base = "/v1/reports/buying-power?agreementId=\(scene.agreements)"

            let reply = try await client.send(.get, "\(base)&groupBy=agreement,tenant,state", token: finance)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.string("scope") == "agency")
            let rows = try #require(reply.json["rows"] as? [[String: Any]])
            #expect(rows.count == 2)
            #expect(rows.allSatisfy { $0.string("tenantId") == scene.b })
            #expect(sums(rows).total == ReportScene.bA1 + ReportScene.bA2)
            // No trace of the other agency: neither its id, its name nor its state.
            #expect(!reply.text.lowercased().contains(scene.c))
            #expect(!reply.text.contains(scene.cName))
            #expect(!reply.text.contains("\"OK\""))
            let totals = try #require(reply.json["agreementTotals"] as? [[String: Any]])
            let a1 = try #require(totals.first { $0.string("agreementId") == scene.a1 })
            #expect(a1.int("totalCents") == ReportScene.bA1 + ReportScene.cA1)
            #expect(a1.int("agencyCount") == 2)
            #expect(Set(a1.keys) == ["agreementId", "agreementNumber", "totalCents", "orderCount", "agencyCount"])
            #expect(totals.first { $0.string("agreementId") == scene.a2 }?.int("agencyCount") == 1)

            // The agency's own fiscal year (January) splits December from January.
            let fiscal = try await scene.rows(client, "\(base)&period=fiscal-year", token: finance)
            #expect(fiscal.map { $0.string("period") } == ["FY2026", "FY2027"])
            #expect(fiscal.map { $0.int("totalCents") } == [150_000 + 120_000, 150_033])

            // The CSV says the same, with the scope of each row.
            let csv = try await client.send(.get, "\(base)&groupBy=tenant&format=csv", token: finance)
            let records = try CSVReader.records(in: csv.text)
            #expect(
                records.first?.fields == [
                    "scope", "agreement_id", "agreement_number", "tenant_id", "tenant_name", "total_cents", "order_count",
                    "agency_count",
                ]
            )
            #expect(!csv.text.contains(scene.c))
            #expect(
                records.dropFirst().filter { $0.fields[0] == "all-agencies" && $0.fields[1] == scene.a1 }.first?.fields[5]
                    == String(ReportScene.bA1 + ReportScene.cA1)
            )

            // Tiers: every agency's volume, the agency's own share.
            let tiers = try await scene.rows(client, "/v1/reports/tiers?agreementId=\(scene.agreements)", token: finance)
            let tier = try #require(tiers.first { $0.string("agreementId") == scene.a1 })
            #expect(tier.int("volumeCents") == ReportScene.bA1 + ReportScene.cA1)
            #expect(tier.int("tenantVolumeCents") == ReportScene.bA1)
            #expect(tier.int("agencyCount") == 2)

            // Another agency's tenant id is not found; other agency roles may not read reports.
            let foreign = try await client.send(.get, "\(base)&tenantId=\(scene.c)", token: finance)
            #expect(foreign.status == .notFound)
            let buyer = try await client.token(for: scene.b, role: "agency-buyer")
            #expect(try await client.send(.get, base, token: buyer).status == .forbidden)
            let admin = try await client.token(for: scene.b, role: "agency-admin")
            #expect(try await client.send(.get, "/v1/reports/savings", token: admin).status == .ok)
        }
    }

    @Test func tiersAndAdminFeesMatchHandComputedFigures() async throws {
        try await withApp { client in
            let scene = try await ReportScene.make(client)
            let finance = try await TestClient.cooperativeToken(client, role: "cooperative-finance")

            let tiers = try await scene.rows(client, "/v1/reports/tiers?agreementId=\(scene.agreements)", token: finance)
            let a1 = try #require(tiers.first { $0.string("agreementId") == scene.a1 })
            // 7,000.33 of volume: past 5,000.00 (tier 2, 2 %), 2,999.67 short of 10,000.00 (tier 3, 4 %).
            #expect(a1.int("volumeCents") == 700_033)
            #expect(a1.int("orderCount") == 4)
            #expect((a1["tierReached"] as? [String: Any])?.int("tier") == 2)
            #expect((a1["tierReached"] as? [String: Any])?.int("discountBasisPoints") == 200)
            #expect((a1["nextTier"] as? [String: Any])?.int("tier") == 3)
            #expect((a1["nextTier"] as? [String: Any])?.int("minVolumeCents") == 1_000_000)
            #expect(a1.int("gapCents") == 1_000_000 - 700_033)
            #expect(a1["tenantVolumeCents"] == nil)
            let a2 = try #require(tiers.first { $0.string("agreementId") == scene.a2 })
            #expect(a2.int("volumeCents") == ReportScene.bA2)
            #expect(a2["tierReached"] == nil && a2["nextTier"] == nil && a2["gapCents"] == nil)

            let fees = try await scene.rows(client, "/v1/reports/admin-fees?agreementId=\(scene.agreements)", token: finance)
            func fee(_ agreement: String, _ period: String) -> [String: Any]? {
                fees.first { $0.string("agreementId") == agreement && $0.string("period") == period }
            }
            // A1 at 175 bp: 2026-Q4 1,500.00 -> 26.25; 2027-Q1 5,500.33 -> 96.255775 -> 96.26.
            #expect(fee(scene.a1, "2026-Q4")?.int("spendCents") == 150_000)
            #expect(fee(scene.a1, "2026-Q4")?.int("feeDueCents") == 2_625)
            #expect(fee(scene.a1, "2027-Q1")?.int("spendCents") == 550_033)
            #expect(fee(scene.a1, "2027-Q1")?.int("feeDueCents") == 9_626)
            #expect(fee(scene.a1, "2027-Q1")?.int("adminFeeBasisPoints") == 175)
            // A2 at 200 bp: 1,200.00 -> 24.00.
            #expect(fee(scene.a2, "2026-Q4")?.int("feeDueCents") == 2_400)
            #expect(fees.count == 3)

            // A supplier report for the quarter appears beside the computed fee.
            let report = try await client.send(
                .post,
                "/v1/supplier-reports",
                json: [
                    "agreementId": scene.a1, "year": 2026, "quarter": 4,
                    "lines": [
                        [
                            "agencyName": scene.bName, "cooperativeNumber": scene.bNumber, "invoiceDate": "2026-12-03",
                            "amountCents": 150_000, "feeCents": 2_625,
                        ]
                    ],
                ]
            )
            #expect(report.status == .created, "\(report.text)")
            let after = try await scene.rows(
                client,
                "/v1/reports/admin-fees?agreementId=\(scene.a1)&from=2026-10&to=2026-12",
                token: finance
            )
            #expect(after.count == 1)
            #expect(after.first?.int("reportedSalesCents") == 150_000)
            #expect(after.first?.int("reportedFeeCents") == 2_625)

            // Savings: B on A1 paid 1,500.00 for 1,950.00 of list (after the quarter reversal), C 4,000.00 for 4,400.00.
            let savings = try await scene.rows(client, "/v1/reports/savings?agreementId=\(scene.agreements)", token: finance)
            let bSavings = try #require(
                savings.first { $0.string("agreementId") == scene.a1 && $0.string("tenantId") == scene.b }
            )
            #expect(bSavings.int("listCents") == 195_000)
            #expect(bSavings.int("listedPaidCents") == 150_000)
            #expect(bSavings.int("savingsCents") == 45_000)
            #expect(bSavings.int("spendCents") == ReportScene.bA1)
            #expect(bSavings.int("savingsBasisPoints") == 2_308)
            let cSavings = try #require(
                savings.first { $0.string("agreementId") == scene.a1 && $0.string("tenantId") == scene.c }
            )
            #expect(cSavings.int("savingsCents") == 40_000)
            let noList = try #require(savings.first { $0.string("agreementId") == scene.a2 })
            #expect(noList.int("savingsCents") == 0)
            #expect(noList["savingsBasisPoints"] == nil)
            let own = try await scene.rows(
                client,
                "/v1/reports/savings?agreementId=\(scene.agreements)",
                token: try await client.token(for: scene.b, role: "agency-finance")
            )
            #expect(own.count == 2)
            #expect(own.first { $0.string("agreementId") == scene.a1 }?.int("savingsCents") == 45_000)
            #expect(own.allSatisfy { $0["tenantId"] == nil })
        }
    }

    @Test func reconciliationListsEveryMismatchWithBothFigures() async throws {
        try await withApp { client in
            let scene = try await ReportScene.make(client)
            // A1 2026-Q4: B as registered, C (fully reversed) reported anyway, and an agency nobody knows.
            let q4 = try await client.send(
                .post,
                "/v1/supplier-reports",
                json: [
                    "agreementId": scene.a1, "year": 2026, "quarter": 4,
                    "lines": [
                        [
                            "agencyName": scene.bName, "cooperativeNumber": scene.bNumber, "invoiceDate": "2026-12-03",
                            "amountCents": 100_000, "feeCents": 1_750,
                        ],
                        [
                            "agencyName": scene.bName, "cooperativeNumber": " \(scene.bNumber) ", "invoiceDate": "2026-12-04",
                            "amountCents": 50_000, "feeCents": 875,
                        ],
                        [
                            "agencyName": scene.cName, "cooperativeNumber": scene.cNumber, "invoiceDate": "2026-12-21",
                            "amountCents": 30_000, "feeCents": 525,
                        ],
                        [
                            "agencyName": "Ghost District", "cooperativeNumber": "X-\(UUID().uuidString)",
                            "invoiceDate": "2026-11-01", "amountCents": 12_345, "feeCents": 216,
                        ],
                    ],
                ]
            )
            #expect(q4.status == .created, "\(q4.text)")
            #expect(q4.json["matchedLineCount"] as? Int == 3)
            // A2 2026-Q4 by CSV: B reported short.
            let csv = try await client.send(
                .post,
                "/v1/supplier-reports?agreementId=\(scene.a2)&year=2026&quarter=4",
                raw:
                    "agency_name,cooperative_number,invoice_date,amount_cents,fee_cents\r\n\"\(scene.bName), TX\",\(scene.bNumber),2026-12-11,100000,2000\r\n",
                headers: [.contentType: "text/csv"]
            )
            #expect(csv.status == .created, "\(csv.text)")

            let rows = try await scene.rows(client, "/v1/reports/reconciliation?agreementId=\(scene.agreements)")
            func row(_ tenant: String?, _ agreement: String, _ period: String) -> [String: Any]? {
                rows.first {
                    $0.string("tenantId") == tenant && $0.string("agreementId") == agreement && $0.string("period") == period
                }
            }
            let match = try #require(row(scene.b, scene.a1, "2026-Q4"))
            #expect(match.string("status") == "match")
            #expect(match.int("registeredCents") == 150_000 && match.int("reportedCents") == 150_000)
            let reversed = try #require(row(scene.c, scene.a1, "2026-Q4"))
            #expect(reversed.string("status") == "mismatch")
            #expect(reversed.int("registeredCents") == 0 && reversed.int("reportedCents") == 30_000)
            #expect(reversed.int("differenceCents") == 30_000)
            let short = try #require(row(scene.b, scene.a2, "2026-Q4"))
            #expect(short.string("status") == "mismatch")
            #expect(short.int("registeredCents") == 120_000 && short.int("reportedCents") == 100_000)
            #expect(short.int("differenceCents") == -20_000)
            let unreported = try #require(row(scene.c, scene.a1, "2027-Q1"))
            #expect(unreported.string("status") == "not-reported")
            #expect(unreported.int("registeredCents") == 400_000 && unreported["reportedCents"] == nil)
            #expect(row(scene.b, scene.a1, "2027-Q1")?.int("registeredCents") == 150_033)
            let ghost = try #require(rows.first { $0.string("status") == "unmatched-agency" })
            #expect(ghost.string("reportedAgencyName") == "Ghost District")
            #expect(ghost.int("reportedCents") == 12_345)
            #expect(ghost["tenantId"] == nil)
            #expect(rows.count == 6)

            // The agency sees its own lines only.
            let finance = try await client.token(for: scene.b, role: "agency-finance")
            let own = try await client.send(.get, "/v1/reports/reconciliation?agreementId=\(scene.agreements)", token: finance)
            let ownRows = try #require(own.json["rows"] as? [[String: Any]])
            #expect(ownRows.count == 3)
            #expect(ownRows.allSatisfy { $0.string("tenantId") == scene.b })
            #expect(!own.text.contains("Ghost District"))
            #expect(own.json["mismatchCount"] as? Int == 2)

            // CSV form: header, every row, both figures.
            let file = try await client.send(.get, "/v1/reports/reconciliation?agreementId=\(scene.agreements)&format=csv")
            let records = try CSVReader.records(in: file.text)
            let header = try #require(records.first?.fields)
            let status = try #require(header.firstIndex(of: "status"))
            let registered = try #require(header.firstIndex(of: "registered_cents"))
            let reported = try #require(header.firstIndex(of: "reported_cents"))
            let shortLine = try #require(records.first { $0.fields.contains(scene.a2) && $0.fields[status] == "mismatch" })
            #expect(shortLine.fields[registered] == "120000" && shortLine.fields[reported] == "100000")
        }
    }

    @Test func supplierReportsAreRecordedOncePerQuarterAndChecked() async throws {
        try await withApp { client in
            let scene = try await ReportScene.make(client)
            // Zero sales is a report too.
            let zero = try await client.send(
                .post,
                "/v1/supplier-reports",
                json: ["agreementId": scene.a2, "year": 2027, "quarter": 1, "lines": [] as [Any]]
            )
            #expect(zero.status == .created, "\(zero.text)")
            #expect(zero.json["lineCount"] as? Int == 0)
            #expect(zero.json["totalCents"] as? Int == 0)
            let id = try #require(zero.string("id"))
            #expect(zero.headers[.location] == "/v1/supplier-reports/\(id.lowercased())")

            let again = try await client.send(
                .post,
                "/v1/supplier-reports",
                json: ["agreementId": scene.a2, "year": 2027, "quarter": 1, "lines": [] as [Any]]
            )
            expectProblem(again, .conflict)

            let late = try await client.send(
                .post,
                "/v1/supplier-reports",
                json: [
                    "agreementId": scene.a1, "year": 2027, "quarter": 1,
                    "lines": [
                        ["agencyName": "A", "invoiceDate": "2027-01-02", "amountCents": 1],
                        ["agencyName": "B", "invoiceDate": "2027-04-01", "amountCents": 1],
                    ],
                ]
            )
            expectProblem(late, .unprocessableContent, pointer: "/lines/1/invoiceDate")
            let badCSV = try await client.send(
                .post,
                "/v1/supplier-reports?agreementId=\(scene.a1)&year=2027&quarter=1",
                raw: "agency_name,invoice_date,amount_cents\nA,2027-01-02,100\nB,2026-12-31,100\n",
                headers: [.contentType: "text/csv"]
            )
            expectProblem(badCSV, .unprocessableContent, pointer: "/lines/3/invoice_date")
            #expect(badCSV.string("detail")?.contains("line 3") == true)
            let noQuarter = try await client.send(
                .post,
                "/v1/supplier-reports?agreementId=\(scene.a1)&year=2027",
                raw: "agency_name,invoice_date,amount_cents\n",
                headers: [.contentType: "text/csv"]
            )
            expectProblem(noQuarter, .badRequest)
            let unknown = try await client.send(
                .post,
                "/v1/supplier-reports",
                json: ["agreementId": UUID().uuidString, "year": 2027, "quarter": 1, "lines": [] as [Any]]
            )
            expectProblem(unknown, .unprocessableContent, pointer: "/agreementId")

            let finance = try await TestClient.cooperativeToken(client, role: "cooperative-finance")
            let forbidden = try await client.send(
                .post,
                "/v1/supplier-reports",
                token: finance,
                json: ["agreementId": scene.a1, "year": 2027, "quarter": 2, "lines": [] as [Any]]
            )
            expectProblem(forbidden, .forbidden)

            let csv = try await client.send(
                .post,
                "/v1/supplier-reports?agreementId=\(scene.a1)&year=2027&quarter=1",
                raw:
                    "agency_name,cooperative_number,invoice_date,amount_cents,fee_cents\r\nBuyer,\(scene.bNumber),2027-01-20,150033,2626\r\nNobody,N-0,2027-03-31,-500,-9\r\n",
                headers: [.contentType: "text/csv"]
            )
            #expect(csv.status == .created, "\(csv.text)")
            let csvID = try #require(csv.string("id"))

            let list = try await client.send(.get, "/v1/supplier-reports?agreementId=\(scene.a1)", token: finance)
            #expect(list.status == .ok)
            let items = try #require(list.json["items"] as? [[String: Any]])
            #expect(items.map { $0.string("id") } == [csvID.lowercased()])
            #expect(items.first?.int("totalCents") == 149_533)
            #expect(items.first?.int("matchedLineCount") == 1)
            let paged = try await client.send(.get, "/v1/supplier-reports?limit=1", token: finance)
            #expect((paged.json["items"] as? [Any])?.count == 1)
            #expect(paged.string("nextCursor") != nil)

            let one = try await client.send(.get, "/v1/supplier-reports/\(csvID)", token: finance)
            let lines = try #require(one.json["lines"] as? [[String: Any]])
            #expect(lines.count == 2)
            #expect(lines[0].string("agencyTenantId") == scene.b)
            #expect(lines[1]["agencyTenantId"] == nil)
            #expect(lines[1].int("amountCents") == -500)
            let agency = try await client.token(for: scene.b, role: "agency-admin")
            expectProblem(try await client.send(.get, "/v1/supplier-reports/\(csvID)", token: agency), .forbidden)

            // Audited on the cooperative chain.
            let audit = try await client.send(.get, "/v1/audit?limit=1000")
            let events = try #require(audit.json["items"] as? [[String: Any]])
            #expect(
                events.contains {
                    $0.string("action") == "supplier-report.recorded" && $0.string("subjectId") == csvID.lowercased()
                }
            )
        }
    }

    @Test func statementShowsAuthorizedUsedAndRemaining() async throws {
        try await withApp { client in
            let scene = try await ReportScene.make(client)
            let finance = try await client.token(for: scene.b, role: "agency-finance")
            let reply = try await client.send(.get, "/v1/reports/statement", token: finance)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.string("tenantName") == scene.bName)
            let authorizations = try #require(reply.json["authorizations"] as? [[String: Any]])
            #expect(authorizations.count == 2)
            let a1 = try #require(authorizations.first { $0.string("agreementId") == scene.a1 })
            #expect(a1.int("authorizedCents") == 1_000_000)
            #expect(a1.int("usedCents") == ReportScene.bA1)
            #expect(a1.int("remainingCents") == 1_000_000 - ReportScene.bA1)
            let usage = try #require(a1["usage"] as? [[String: Any]])
            #expect(usage.map { $0.string("kind") } == ["order", "order", "reversal"])
            #expect(usage.map { $0.int("amountCents") } == [200_000, 150_033, -50_000])
            let totals = try #require(reply.json["totals"] as? [String: Any])
            #expect(totals.int("usedCents") == ReportScene.bA1 + ReportScene.bA2)
            #expect(totals.int("remainingCents") == 2_000_000 - ReportScene.bA1 - ReportScene.bA2)

            // Cooperative staff name the agency; without it the request is incomplete.
            let staff = try await client.send(.get, "/v1/reports/statement?tenantId=\(scene.b)")
            #expect(staff.json["authorizations"] as? [[String: Any]] != nil)
            #expect((staff.json["totals"] as? [String: Any])?.int("usedCents") == ReportScene.bA1 + ReportScene.bA2)
            expectProblem(try await client.send(.get, "/v1/reports/statement"), .badRequest, pointer: "tenantId")
            expectProblem(try await client.send(.get, "/v1/reports/statement?tenantId=\(UUID().uuidString)"), .notFound)

            let csv = try await client.send(.get, "/v1/reports/statement?format=csv", token: finance)
            let records = try CSVReader.records(in: csv.text)
            #expect(records.count == 1 + 2 + 4)
            let kinds: [String] = records.dropFirst().map { $0.fields[0] }
            #expect(kinds.filter { $0 == "authorization" }.count == 2)
        }
    }

    @Test func csvOutputParsesBackAndIsNamedForDownload() async throws {
        try await withApp { client in
            let scene = try await ReportScene.make(client)
            for name in ["buying-power", "tiers", "admin-fees", "savings", "reconciliation"] {
                let reply = try await client.send(.get, "/v1/reports/\(name)?agreementId=\(scene.agreements)&format=csv")
                #expect(reply.status == .ok, "\(name): \(reply.text)")
                #expect(reply.headers[.contentType] == "text/csv; charset=utf-8")
                let disposition = try #require(reply.headers[.contentDisposition])
                #expect(
                    disposition.range(
                        of: #"^attachment; filename="\#(name)-\d{4}-\d{2}-\d{2}\.csv"$"#,
                        options: .regularExpression
                    ) != nil,
                    "\(disposition)"
                )
                #expect(reply.text.hasSuffix("\r\n"))
                let records = try CSVReader.records(in: reply.text)
                let header = try #require(records.first?.fields)
                #expect(records.dropFirst().allSatisfy { $0.fields.count == header.count }, "\(name)")
                #expect(records.count > 1, "\(name)")
            }
            let reply = try await client.send(
                .get,
                "/v1/reports/buying-power?agreementId=\(scene.agreements)&groupBy=agreement,category&period=quarter&format=csv"
            )
            let records = try CSVReader.records(in: reply.text)
            #expect(
                records.first?.fields == [
                    "agreement_id", "agreement_number", "category", "period", "period_start", "period_end", "total_cents",
                    "order_count", "agency_count",
                ]
            )
            let total = records.dropFirst().reduce(0) { $0 + (Int($1.fields[6]) ?? -1_000_000_000) }
            #expect(total == ReportScene.total)
            #expect(records.dropFirst().allSatisfy { [scene.a1, scene.a2].contains($0.fields[0]) })
            // The same rows as the JSON.
            let json = try await scene.rows(
                client,
                "/v1/reports/buying-power?agreementId=\(scene.agreements)&groupBy=agreement,category&period=quarter"
            )
            #expect(json.count == records.count - 1)
        }
    }

    @Test func badParametersAreProblemsNamingThem() async throws {
        try await withApp { client in
            expectProblem(
                try await client.send(.get, "/v1/reports/buying-power?groupBy=agreement,colour"),
                .badRequest,
                pointer: "groupBy"
            )
            expectProblem(try await client.send(.get, "/v1/reports/buying-power?period=week"), .badRequest, pointer: "period")
            expectProblem(
                try await client.send(.get, "/v1/reports/buying-power?categoryDigits=5"),
                .badRequest,
                pointer: "categoryDigits"
            )
            expectProblem(try await client.send(.get, "/v1/reports/buying-power?from=2026-01-15"), .badRequest, pointer: "from")
            expectProblem(try await client.send(.get, "/v1/reports/tiers?format=xlsx"), .badRequest, pointer: "format")
            expectProblem(try await client.send(.get, "/v1/reports/tiers?groupBy=agreement"), .badRequest, pointer: "groupBy")
            expectProblem(
                try await client.send(.get, "/v1/reports/savings?agreementId=nope"),
                .badRequest,
                pointer: "agreementId"
            )
            expectProblem(try await client.send(.get, "/v1/reports/savings?tenantId=\(UUID().uuidString)"), .notFound)
            expectProblem(try await client.send(.get, "/v1/reports/everything"), .notFound)
            expectProblem(try await client.send(.get, "/v1/reports/tiers", token: nil), .unauthorized)
        }
    }
}

fileprivate extension TestClient {
    /// A cooperative token of `role`, issued by the bootstrap admin.
    static func cooperativeToken(_ client: TestClient, role: String) async throws -> String {
        let reply = try await client.send(.post, "/v1/tokens", json: ["role": role, "name": role])
        try #require(reply.status == .created, "token: \(reply.text)")
        return try #require(reply.string("token"))
    }
}
