import CooperageAPI
import CooperageStore
import Foundation
import HTTPTypes
import Testing

/// The web console's pages, through the whole application: sessions, CSRF, role gating, escaping, headers.
@Suite struct ConsoleTests {
    @Test func pagesNeedASessionAndCarryTheSecurityHeaders() async throws {
        try await withApp { client in
            let root = try await client.send(.get, "/", token: nil)
            #expect(root.status == .seeOther)
            #expect(root.headers[.location] == "/console")
            let anonymous = try await client.send(.get, "/console/agencies", token: nil)
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/console/sign-in")
            let signIn = try await client.send(.get, "/console/sign-in", token: nil)
            #expect(signIn.status == .ok)
            #expect(signIn.headers[.contentType] == "text/html; charset=utf-8")
            let policy = try #require(signIn.headers[.contentSecurityPolicy])
            for directive in ["default-src 'self'", "frame-ancestors 'none'", "form-action 'self'"] {
                #expect(policy.contains(directive))
            }
            #expect(!policy.contains("unsafe-inline"))
            #expect(signIn.headers[.xContentTypeOptions] == "nosniff")
            #expect(signIn.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
            #expect(signIn.text.contains("<title>Sign in · Cooperage</title>"))
        }
    }

    @Test func signingInSetsAStrictHttpOnlyCookieAndABadTokenIsRefused() async throws {
        try await withApp { client in
            let bad = try await ConsoleBrowser(client: client).post("/console/sign-in", [("token", "not-a-token")])
            #expect(bad.status == .unauthorized)
            #expect(bad.text.contains("not valid"))
            #expect(bad.headers[.setCookie] == nil)
            let reply = try await ConsoleBrowser(client: client).post("/console/sign-in", [("token", TestClient.adminToken)])
            #expect(reply.status == .seeOther)
            let cookie = try #require(reply.headers[.setCookie])
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(cookie.contains("Path=/"))
        }
    }

    @Test func failedSignInsAreLimitedPerAddress() async throws {
        try await withApp { client in
            let browser = ConsoleBrowser(client: client)
            for attempt in 1...10 {
                let reply = try await browser.post("/console/sign-in", [("token", "wrong-\(attempt)")])
                #expect(reply.status == .unauthorized, "attempt \(attempt)")
            }
            // The eleventh within the minute is refused before the token is even looked at, a good one included.
            let refused = try await browser.post("/console/sign-in", [("token", TestClient.adminToken)])
            #expect(refused.status == .tooManyRequests)
            #expect(refused.text.contains("Too many sign-ins failed"))
            #expect(refused.headers[.retryAfter] != nil)
        }
    }

    @Test func anAdminCreatesAnAgencyAndItsNameIsShownAsText() async throws {
        try await withApp { client in
            let browser = try await ConsoleBrowser.signIn(client, token: TestClient.adminToken)
            let csrf = try await browser.csrf(on: "/console/agencies/new")
            let hostile = "<script>alert(1)</script> Water District"
            let slug = "x-\(UUID().uuidString.lowercased().prefix(12))"
            let created = try await browser.post(
                "/console/agencies",
                [
                    ("_csrf", csrf), ("legalName", hostile), ("slug", slug), ("entityType", "special-district"), ("state", "TX"),
                    ("fiscalYearStartMonth", "7"),
                ]
            )
            #expect(created.status == .seeOther, "\(created.text)")
            let location = try #require(created.headers[.location])
            let home = try await browser.get("/console")
            #expect(home.text.contains("<a href=\"/console/agencies\">Agencies</a>"))
            let page = try await browser.get(location)
            #expect(page.status == .ok)
            #expect(!page.text.contains("<script>alert(1)</script>"))
            #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt; Water District"))
        }
    }

    @Test func aFormWithoutItsCSRFTokenIsRefused() async throws {
        try await withApp { client in
            let browser = try await ConsoleBrowser.signIn(client, token: TestClient.adminToken)
            let fields = [("legalName", "No Token"), ("slug", "no-token"), ("entityType", "city"), ("state", "TX")]
            let missing = try await browser.post("/console/agencies", fields)
            #expect(missing.status == .forbidden)
            let wrong = try await browser.post("/console/agencies", [("_csrf", String(repeating: "0", count: 64))] + fields)
            #expect(wrong.status == .forbidden)
            // Another session's token is no good either: it is bound to its own session.
            let other = try await ConsoleBrowser.signIn(client, token: TestClient.adminToken)
            let othersToken = try await other.csrf(on: "/console/agencies/new")
            let crossed = try await browser.post("/console/agencies", [("_csrf", othersToken)] + fields)
            #expect(crossed.status == .forbidden)
        }
    }

    @Test func invalidFieldsAreShownNextToTheirInputs() async throws {
        try await withApp { client in
            let browser = try await ConsoleBrowser.signIn(client, token: TestClient.adminToken)
            let csrf = try await browser.csrf(on: "/console/agencies/new")
            let reply = try await browser.post(
                "/console/agencies",
                [("_csrf", csrf), ("legalName", "Bad State"), ("slug", "Not A Slug"), ("entityType", "city"), ("state", "ZZ")]
            )
            #expect(reply.status == .unprocessableContent)
            #expect(reply.text.contains("id=\"state-error\""))
            #expect(reply.text.contains("aria-invalid=\"true\""))
            #expect(reply.text.contains("value=\"Bad State\""))
        }
    }

    @Test func agencyPeopleSeeTheirOwnAgencyOnlyAndNoAdminPages() async throws {
        try await withApp { client in
            let own = try await client.createTenant(name: "Own Agency")
            let other = try await client.createTenant(name: "Other Agency")
            let buyer = try await ConsoleBrowser.signIn(client, token: try await client.token(for: own, role: "agency-buyer"))
            #expect(try await buyer.get("/console/agencies/\(own)").status == .ok)
            #expect(try await buyer.get("/console/agencies/\(other)").status == .notFound)
            #expect(try await buyer.get("/console/agencies").status == .forbidden)
            #expect(try await buyer.get("/console/agencies/new").status == .forbidden)
            let home = try await buyer.get("/console")
            #expect(home.status == .ok)
            #expect(!home.text.contains("/console/agencies\""))
        }
    }

    @Test func signingOutOrRevokingTheTokenEndsTheSession() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let token = try await client.token(for: tenant, role: "agency-admin")
            let browser = try await ConsoleBrowser.signIn(client, token: token)
            #expect(try await browser.get("/console").status == .ok)
            let csrf = try await browser.csrf(on: "/console")
            let out = try await browser.post("/console/sign-out", [("_csrf", csrf)])
            #expect(out.status == .seeOther)
            #expect(try await browser.get("/console").status == .seeOther)

            // A second session of the same token ends when the token is revoked.
            let again = try await ConsoleBrowser.signIn(client, token: token)
            #expect(try await again.get("/console").status == .ok)
            let tokens = try await client.send(.get, "/v1/tenants/\(tenant)/tokens")
            let id = try #require((tokens.json["items"] as? [[String: Any]])?.first?["id"] as? String)
            #expect(try await client.send(.delete, "/v1/tokens/\(id)").status == .noContent)
            #expect(try await again.get("/console").status == .seeOther)
        }
    }

    @Test func suspendingTheAgencyEndsItsSessions() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let browser = try await ConsoleBrowser.signIn(
                client,
                token: try await client.token(for: tenant, role: "agency-buyer")
            )
            #expect(try await browser.get("/console").status == .ok)
            #expect(try await client.send(.post, "/v1/tenants/\(tenant)/suspend").status == .ok)
            #expect(try await browser.get("/console").status == .seeOther)
        }
    }
}
