import CooperageAPI
import Foundation
import Testing

/// `/console/supplier-reports/new`: the cooperative admin records a supplier's quarterly CSV, checked by the API's
/// own reader; a bad file is refused whole with every wrong line named.
@Suite struct ConsoleSupplierReportTests {
    static let header = "agency_name,cooperative_number,invoice_date,amount_cents,fee_cents"

    func upload(_ browser: ConsoleBrowser, fields: [(String, String)], file: String?) async throws -> TestClient.Reply {
        let boundary = "----cooperage-test-\(UUID().uuidString)"
        var body = ""
        for (name, value) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        if let file {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"q3.csv\"\r\n"
            body += "Content-Type: text/csv\r\n\r\n\(file)\r\n"
        }
        body += "--\(boundary)--\r\n"
        var headers = browser.cookieHeader
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        return try await browser.client.send(.post, "/console/supplier-reports", token: nil, raw: body, headers: headers)
    }

    @Test func anAdminRecordsAReportAndABadFileIsRefusedWhole() async throws {
        try await withApp { client in
            let lead = try await client.createTenant().lowercased()
            let agreement = try await Fixtures.agreement(lead: lead)
            let admin = try await ConsoleBrowser.signIn(client, token: TestClient.adminToken)
            #expect(try await admin.get("/console/supplier-reports/new").status == .ok)
            let csrf = try await admin.csrf(on: "/console/supplier-reports/new")
            let fields = [("_csrf", csrf), ("agreementId", agreement), ("year", "2026"), ("quarter", "3")]

            let bad = "\(Self.header)\n<b>Town</b>,,2026-08-03,abc,10\nOther Town,,2026-13-01,100,1\n"
            let refused = try await upload(admin, fields: fields, file: bad)
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
            #expect(refused.text.contains("Lines to correct"))
            #expect(!refused.text.contains("<b>Town</b>"))
            let none = try await client.send(.get, "/v1/supplier-reports?agreementId=\(agreement)")
            #expect((none.json["items"] as? [Any])?.count == 0)

            let good = "\(Self.header)\nCity of Example,,2026-08-03,150000,3000\n"
            let recorded = try await upload(admin, fields: fields, file: good)
            #expect(recorded.status == .seeOther, "\(recorded.text)")
            let list = try await admin.get(try #require(recorded.headers[.location]))
            #expect(list.text.contains("$1,500.00"))

            let missing = try await upload(admin, fields: [("_csrf", csrf), ("year", "2026"), ("quarter", "9")], file: good)
            #expect(missing.status == .unprocessableContent)
            #expect(missing.text.contains("id=\"agreementId-error\""))
            #expect(missing.text.contains("id=\"quarter-error\""))
        }
    }

    @Test func onlyTheCooperativeAdminRecordsWithItsFormToken() async throws {
        try await withApp { client in
            let lead = try await client.createTenant().lowercased()
            let agreement = try await Fixtures.agreement(lead: lead)
            let admin = try await ConsoleBrowser.signIn(client, token: TestClient.adminToken)
            let file = "\(Self.header)\nCity of Example,,2026-08-03,150000,3000\n"
            let noToken = try await upload(
                admin,
                fields: [("agreementId", agreement), ("year", "2026"), ("quarter", "3")],
                file: file
            )
            #expect(noToken.status == .forbidden)
            let finance = try await ConsoleBrowser.signIn(
                client,
                token: try await ConsoleAdminTests.cooperativeToken(client, role: "cooperative-finance")
            )
            #expect(try await finance.get("/console/supplier-reports/new").status == .forbidden)
        }
    }
}
