import CooperageCore
import CooperageStore
import Foundation
import Testing

/// `/console/alerts`: a person sees the alerts of their scope in words and acknowledges one, as the API does.
@Suite struct ConsoleAlertTests {
    @Test func anAgencyAdminSeesItsAlertsAndAcknowledgesOne() async throws {
        try await withApp { client in
            let agency = try await client.createTenant()
            let participation = try await Fixtures.admin { connection in
                try await connection.query(
                    """
                    INSERT INTO participation (tenant_id, kind, resolution_number, resolution_date, effective_on, expires_on)
                    VALUES (\(UUID(uuidString: agency)!), 'interlocal-agreement', 'R-1', '2034-01-05', '2034-01-01', '2035-03-01')
                    RETURNING id
                    """,
                    logger: TestDatabase.logger
                ).decode(UUID.self).array().first!
            }
            let scheduler = AlertScheduler(database: try await SharedPool.database.value, logger: TestDatabase.logger)
            _ = try await scheduler.raiseDue(asOf: LocalDate(iso8601: "2035-02-01")!)
            let admin = try await client.token(for: agency, role: "agency-admin")
            let browser = try await ConsoleBrowser.signIn(client, token: admin)
            let page = try await browser.get("/console/alerts")
            #expect(page.status == .ok, "\(page.text)")
            #expect(page.text.contains("Participation instrument (interlocal-agreement) ends on 2035-03-01 (28 days)."))
            #expect(page.text.contains("href=\"/console/alerts\""))
            let id = try #require(
                try await Fixtures.admin { connection in
                    try await connection.query(
                        "SELECT id FROM event WHERE subject_id = \(participation.uuidString.lowercased())",
                        logger: TestDatabase.logger
                    ).decode(UUID.self).array().first
                }
            ).uuidString.lowercased()
            #expect(page.text.contains("/console/alerts/\(id)/acknowledge"))

            // Without the form's CSRF token: refused. With it: acknowledged, gone from the open list.
            let forged = try await browser.post("/console/alerts/\(id)/acknowledge", [("note", "x")])
            #expect(forged.status == .forbidden)
            let csrf = try await browser.csrf(on: "/console/alerts")
            let done = try await browser.post(
                "/console/alerts/\(id)/acknowledge",
                [("_csrf", csrf), ("note", "renewed by council")]
            )
            #expect(done.status == .seeOther)
            #expect(!(try await browser.get("/console/alerts")).text.contains("ends on 2035-03-01"))
            let all = try await browser.get("/console/alerts?status=all")
            #expect(all.text.contains("by agency-admin: renewed by council"))

            // A buyer reads the list but has no button.
            let buyer = try await ConsoleBrowser.signIn(client, token: try await client.token(for: agency, role: "agency-buyer"))
            let read = try await buyer.get("/console/alerts?status=all")
            #expect(read.text.contains("ends on 2035-03-01"))
            #expect(!read.text.contains("/acknowledge"))
        }
    }
}
