import CooperageCore
import CooperageStore
import Foundation
import HTTPTypes
import Testing

/// The console's finance pages: reports (tables, chart, tiers, reconciliation, CSV equal to the API's) and the
/// audit trail with its verification status.
@Suite struct ConsoleFinanceTests {
    static let hostile = "<script>alert(1)</script>"

    /// The href of the page's "Download CSV" link, as the browser would follow it.
    func csvLink(in html: String) throws -> String {
        let marker = "class=\"button\" href=\""
        let start = try #require(html.range(of: marker)).upperBound
        let end = try #require(html[start...].firstIndex(of: "\""))
        return String(html[start..<end]).replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test func buyingPowerShowsTheAPIFiguresAChartAndTheAPIsCSV() async throws {
        try await withApp { client in
            let scene = try await ReportScene.make(client)
            let browser = try await ConsoleBrowser.signIn(client, token: TestClient.adminToken)
            // As a form sends it: one agreementId and groupBy per field, empty fields included.
            let page = try await browser.get(
                "/console/reports/buying-power?from=&to=&agreementId=\(scene.a1)&agreementId=\(scene.a2)&groupBy=agreement&period="
            )
            #expect(page.status == .ok, "\(page.text)")
            #expect(page.text.contains("<title>Buying power · Cooperage</title>"))
            #expect(page.text.contains("$7,000.33"))
            #expect(page.text.contains("$1,200.00"))
            #expect(page.text.contains("<td class=\"number\">$7,000.33</td>"))
            #expect(page.text.contains("<caption>"))
            #expect(page.text.contains("<th scope=\"col\""))
            // The chart: drawn by the server, labelled, with its figures in words.
            #expect(page.text.contains("<svg class=\"chart\" role=\"img\" aria-labelledby=\"chart-title chart-desc\""))
            #expect(page.text.contains("<title id=\"chart-title\">Spend by agreement</title>"))
            let description = try #require(page.text.range(of: "<desc id=\"chart-desc\">"))
            #expect(page.text[description.upperBound...].prefix(400).contains("$7,000.33"))
            // The filters as sent, ready to change: the grouping ticked, the agency filter for the cooperative.
            #expect(page.text.contains("id=\"groupBy-agreement\" name=\"groupBy\" value=\"agreement\" checked>"))
            #expect(page.text.contains("<label for=\"tenantId\">Agency</label>"))
            #expect(page.text.contains("<option value=\"\(scene.a1.lowercased())\" selected>"))
            #expect(!page.text.contains("style="))
            #expect(!page.text.contains("<script"))

            let link = try csvLink(in: page.text)
            #expect(link.hasPrefix("/console/reports/buying-power.csv?"))
            let download = try await browser.get(link)
            #expect(download.status == .ok)
            #expect(download.headers[.contentType] == "text/csv; charset=utf-8")
            let api = try await client.send(
                .get,
                "/v1/reports/buying-power?agreementId=\(scene.agreements)&groupBy=agreement&format=csv"
            )
            #expect(api.status == .ok)
            #expect(download.body == api.body)
            #expect(download.headers[.contentDisposition] == api.headers[.contentDisposition])

            // With periods, the chart has one bar per period.
            let quarters = try await browser.get(
                "/console/reports/buying-power?agreementId=\(scene.agreements)&period=quarter&groupBy=state"
            )
            #expect(quarters.status == .ok)
            #expect(quarters.text.contains("<title id=\"chart-title\">Spend by quarter</title>"))
            #expect(quarters.text.contains(">2027-Q1</text>"))
        }
    }

    @Test func everyReportsCSVIsTheAPIsForTheSameParameters() async throws {
        try await withApp { client in
            let scene = try await ReportScene.make(client)
            let admin = try await ConsoleBrowser.signIn(client, token: TestClient.adminToken)
            for name in ["buying-power", "tiers", "admin-fees", "savings", "reconciliation"] {
                let query = "agreementId=\(scene.agreements)&from=2026-10&to=2027-03"
                let page = try await admin.get("/console/reports/\(name)?\(query)")
                #expect(page.status == .ok, "\(name): \(page.text)")
                #expect(page.text.contains("Download CSV"))
                let console = try await admin.get(try csvLink(in: page.text))
                let api = try await client.send(.get, "/v1/reports/\(name)?\(query)&format=csv")
                #expect(console.status == .ok, "\(name)")
                #expect(console.body == api.body, "\(name)")
            }
            // An agency's own statement, by the agency's finance.
            let finance = try await ConsoleBrowser.signIn(
                client,
                token: try await client.token(for: scene.b, role: "agency-finance")
            )
            let statement = try await finance.get("/console/reports/statement")
            #expect(statement.status == .ok, "\(statement.text)")
            let console = try await finance.get(try csvLink(in: statement.text))
            let api = try await client.send(
                .get,
                "/v1/reports/statement?format=csv",
                token: try await client.token(for: scene.b, role: "agency-finance")
            )
            #expect(console.body == api.body)
            // Cooperative staff are asked to choose the agency first.
            let unnamed = try await admin.get("/console/reports/statement")
            #expect(unnamed.status == .ok)
            #expect(unnamed.text.contains("Choose an agency"))
            #expect(!unnamed.text.contains("Download CSV"))
            #expect(try await admin.get("/console/reports/statement.csv").status == .badRequest)
            #expect(try await admin.get("/console/reports/statement?tenantId=\(scene.b)").status == .ok)
        }
    }

    @Test func tiersShowProgressAndReconciliationMarksMismatchesInWords() async throws {
        try await withApp { client in
            let scene = try await ReportScene.make(client)
            let admin = try await ConsoleBrowser.signIn(client, token: TestClient.adminToken)
            let tiers = try await admin.get("/console/reports/tiers?agreementId=\(scene.agreements)")
            #expect(tiers.status == .ok)
            // A1: $7,000.33 of $10,000.00 toward tier 3; A2 has no tiers.
            #expect(tiers.text.contains("max=\"1000000\" value=\"700033\""))
            #expect(tiers.text.contains("$7,000.33 of $10,000.00 toward tier 3 (4.00 % off); $2,999.67 to go"))
            #expect(tiers.text.contains("this agreement has no price tiers"))
            let reconciliation = try await admin.get("/console/reports/reconciliation?agreementId=\(scene.agreements)")
            #expect(reconciliation.status == .ok)
            // No supplier filed a report: every row is a mismatch, marked by a class and a word.
            #expect(reconciliation.text.contains("<tr class=\"mismatch\"><td>mismatch</td>"))
            #expect(reconciliation.text.contains("do not match"))
            let fees = try await admin.get("/console/reports/admin-fees?agreementId=\(scene.agreements)")
            #expect(fees.status == .ok)
            #expect(fees.text.contains("half away from zero"))
            #expect(try await admin.get("/console/reports/savings?agreementId=\(scene.agreements)").status == .ok)
            #expect(try await admin.get("/console/reports/everything").status == .notFound)
        }
    }

    @Test func reportsFollowTheAPIsRolesAndScopes() async throws {
        try await withApp { client in
            let scene = try await ReportScene.make(client)
            let finance = try await ConsoleBrowser.signIn(
                client,
                token: try await Self.cooperativeToken(client, "cooperative-finance")
            )
            #expect(try await finance.get("/console/reports/buying-power?agreementId=\(scene.agreements)").status == .ok)
            #expect(try await finance.get("/console/reports/tiers.csv?agreementId=\(scene.agreements)").status == .ok)
            let buyer = try await ConsoleBrowser.signIn(client, token: try await client.token(for: scene.b, role: "agency-buyer"))
            #expect(try await buyer.get("/console/reports/buying-power").status == .forbidden)
            #expect(try await buyer.get("/console/reports/buying-power.csv").status == .forbidden)

            let own = try await ConsoleBrowser.signIn(client, token: try await client.token(for: scene.b, role: "agency-admin"))
            let page = try await own.get("/console/reports/buying-power?groupBy=tenant&agreementId=\(scene.agreements)")
            #expect(page.status == .ok)
            #expect(page.text.contains(scene.bName))
            #expect(!page.text.contains(scene.cName))
            #expect(page.text.contains("all-agencies"))
            #expect(!page.text.contains("<label for=\"tenantId\">"))
            #expect(page.text.contains("Your agency&#39;s spend") || page.text.contains("Your agency's spend"))
            // Another agency's rows are not found, as in the API.
            #expect(try await own.get("/console/reports/buying-power?tenantId=\(scene.c)").status == .notFound)
            #expect(try await own.get("/console/reports/savings.csv?tenantId=\(scene.c)").status == .notFound)
            let api = try await client.send(
                .get,
                "/v1/reports/buying-power?groupBy=tenant&agreementId=\(scene.agreements)&format=csv",
                token: try await client.token(for: scene.b, role: "agency-admin")
            )
            #expect(try await own.get(try csvLink(in: page.text)).body == api.body)
        }
    }

    @Test func badParametersAreShownOnThePage() async throws {
        try await withApp { client in
            let admin = try await ConsoleBrowser.signIn(client, token: TestClient.adminToken)
            let bad = try await admin.get("/console/reports/buying-power?from=2026-01-15")
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("id=\"report-error\""))
            #expect(bad.text.contains("id=\"from\" name=\"from\" type=\"month\" value=\"2026-01-15\" aria-invalid=\"true\""))
            #expect(!bad.text.contains("Download CSV"))
            let grouping = try await admin.get("/console/reports/buying-power?groupBy=colour")
            #expect(grouping.status == .badRequest)
            #expect(grouping.text.contains("groupBy"))
            #expect(try await admin.get("/console/reports/buying-power.csv?period=week").status == .badRequest)
        }
    }

    @Test func namesPeopleTypedAreEscapedOnPagesAndNeutralizedInCSV() async throws {
        try await withApp { client in
            let scene = try await ReportScene.make(client)
            let named = try await client.createTenant(name: "\(Self.hostile) Agency")
            try await Fixtures.admin { connection in
                try await connection.query(
                    """
                    UPDATE supplier SET name = \(Self.hostile) WHERE id = (SELECT supplier_id FROM agreement WHERE id = \(UUID(uuidString: scene.a1)!));
                    """,
                    logger: TestDatabase.logger
                )
                try await connection.query(
                    "UPDATE supplier SET name = '=1+2' WHERE id = (SELECT supplier_id FROM agreement WHERE id = \(UUID(uuidString: scene.a2)!))",
                    logger: TestDatabase.logger
                )
            }
            let admin = try await ConsoleBrowser.signIn(client, token: TestClient.adminToken)
            let page = try await admin.get("/console/reports/buying-power?groupBy=supplier&agreementId=\(scene.agreements)")
            #expect(page.status == .ok)
            #expect(!page.text.contains(Self.hostile))
            #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            // In the chart's labels too.
            #expect(page.text.contains("text-anchor=\"end\" fill=\"#1b1f24\">&lt;script&gt;"))
            // And in the agency filter, whose names agencies chose.
            let filtered = try await admin.get("/console/reports/savings?tenantId=\(named)")
            #expect(filtered.status == .ok)
            #expect(!filtered.text.contains(Self.hostile))
            #expect(filtered.text.contains("selected>&lt;script&gt;alert(1)&lt;/script&gt; Agency</option>"))

            let csv = try await admin.get(try csvLink(in: page.text))
            #expect(csv.text.contains("\r\n"))
            #expect(csv.text.contains(",'=1+2,"))
            #expect(!csv.text.contains(",=1+2,"))
            let records = try CSVReader.records(in: csv.text)
            // Amounts stay numbers.
            #expect(records.dropFirst().allSatisfy { Int($0.fields[2]) != nil })

            let audit = try await admin.get("/console/audit?tenantId=\(named)")
            #expect(audit.status == .ok)
            #expect(!audit.text.contains(Self.hostile))
            #expect(audit.text.contains("selected>&lt;script&gt;alert(1)&lt;/script&gt; Agency</option>"))
        }
    }

    @Test func theAuditTrailShowsTheScopesChainAndItsVerification() async throws {
        try await withApp { client in
            let own = try await client.createTenant(name: "Audited Agency")
            let other = try await client.createTenant(name: "Other Agency")
            let adminToken = try await client.token(for: own, role: "agency-admin")
            // Issuing tokens wrote events in the agency's chain.
            _ = try await client.token(for: own, role: "agency-buyer", by: adminToken)
            let agency = try await ConsoleBrowser.signIn(client, token: adminToken)
            let page = try await agency.get("/console/audit")
            #expect(page.status == .ok, "\(page.text)")
            #expect(page.text.contains("<title>Audit trail · Cooperage</title>"))
            #expect(
                page.text.contains("Verified: your agency&#39;s chain holds")
                    || page.text.contains("Verified: your agency's chain holds")
            )
            #expect(page.text.contains("<td>token.issued</td>"))
            #expect(page.text.contains("<caption>Events, newest first</caption>"))
            #expect(try await agency.get("/console/audit?tenantId=\(other)").status == .notFound)
            #expect(try await agency.get("/console/audit?tenantId=\(own)").status == .ok)

            for role in ["agency-approver", "agency-finance", "agency-buyer"] {
                let browser = try await ConsoleBrowser.signIn(client, token: try await client.token(for: own, role: role))
                #expect(try await browser.get("/console/audit").status == .ok, "\(role)")
            }
            let finance = try await ConsoleBrowser.signIn(
                client,
                token: try await Self.cooperativeToken(client, "cooperative-finance")
            )
            #expect(try await finance.get("/console/audit").status == .ok)

            let admin = try await ConsoleBrowser.signIn(client, token: TestClient.adminToken)
            let everything = try await admin.get("/console/audit")
            #expect(everything.status == .ok)
            #expect(everything.text.contains("Verified: every chain holds"))
            let one = try await admin.get("/console/audit?tenantId=\(own)")
            #expect(one.status == .ok)
            #expect(
                one.text.contains("Verified: this agency&#39;s chain holds")
                    || one.text.contains("Verified: this agency's chain holds")
            )
            #expect(try await admin.get("/console/audit?tenantId=\(UUID())").status == .notFound)
        }
    }

    @Test func theAuditTrailPagesNewestFirst() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant(name: "Paged Agency")
            let adminToken = try await client.token(for: tenant, role: "agency-admin")
            for index in 0..<55 {
                _ = try await client.token(for: tenant, role: "agency-buyer", by: adminToken)
                _ = index
            }
            let browser = try await ConsoleBrowser.signIn(client, token: adminToken)
            let first = try await browser.get("/console/audit")
            let marker = "href=\"/console/audit?cursor="
            let start = try #require(first.text.range(of: marker)).upperBound
            let end = try #require(first.text[start...].firstIndex(of: "\""))
            let cursor = try #require(Int(first.text[start..<end]))
            let older = try await browser.get("/console/audit?cursor=\(cursor)")
            #expect(older.status == .ok)
            #expect(older.text.contains("<td class=\"number\">\(cursor - 1)</td>"))
            #expect(!older.text.contains("<td class=\"number\">\(cursor)</td>"))
        }
    }

    /// A cooperative token of `role`, issued by the bootstrap admin.
    static func cooperativeToken(_ client: TestClient, _ role: String) async throws -> String {
        let reply = try await client.send(.post, "/v1/tokens", json: ["role": role, "name": role])
        try #require(reply.status == .created, "token: \(reply.text)")
        return try #require(reply.string("token"))
    }
}
