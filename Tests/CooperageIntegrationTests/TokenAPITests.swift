import CooperageStore
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

/// Credentials over HTTP: issuing, listing without secrets, revoking, and who may do which.
@Suite struct TokenAPITests {
    @Test func anAgencyTokenIsShownOnceAndListedWithoutItsSecret() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let issued = try await client.send(
                .post,
                "/v1/tenants/\(tenant)/tokens",
                json: ["role": "agency-buyer", "name": "buyer desk"]
            )
            #expect(issued.status == .created, "\(issued.text)")
            let secret = issued.string("token") ?? "missing-token"
            let id = try #require(issued.string("id"))
            #expect(secret.hasPrefix("cpa_"))
            #expect(secret.count >= 4 + 32 + 1 + 43, "32 random bytes in base64url after the tenant")
            #expect(issued.string("role") == "agency-buyer")
            #expect(issued.string("name") == "buyer desk")
            #expect(issued.string("tenantId") == tenant)

            let listed = try await client.send(.get, "/v1/tenants/\(tenant)/tokens")
            #expect(listed.status == .ok, "\(listed.text)")
            let items = try #require(listed.json["items"] as? [[String: Any]])
            let entry = try #require(items.first { $0["id"] as? String == id })
            #expect(entry["role"] as? String == "agency-buyer")
            #expect(entry["name"] as? String == "buyer desk")
            #expect(entry["tenantId"] as? String == tenant)
            #expect(items.allSatisfy { $0["token"] == nil })
            let randomPart = String(try #require(secret.split(separator: "_", maxSplits: 2).last))  // base64url may hold "_"
            #expect(!listed.text.contains(secret))
            #expect(!listed.text.contains(randomPart))
            // Only this tenant's tokens are listed.
            #expect(items.allSatisfy { $0["tenantId"] as? String == tenant })

            // Two tokens never share a secret.
            let second = try await client.token(for: tenant, role: "agency-buyer")
            #expect(second != secret)
        }
    }

    @Test func meReportsRoleAndTenant() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let token = try await client.token(for: tenant, role: "agency-approver")
            let me = try await client.send(.get, "/v1/me", token: token)
            #expect(me.status == .ok, "\(me.text)")
            #expect(me.string("role") == "agency-approver")
            #expect(me.string("tenantId") == tenant)
            #expect((me.json["tenant"] as? [String: Any])?["id"] as? String == tenant)

            // The bootstrap token that withApp installs is a working cooperative administrator.
            let admin = try await client.send(.get, "/v1/me")
            #expect(admin.status == .ok, "\(admin.text)")
            #expect(admin.string("role") == "cooperative-admin")
            #expect(admin.json["tenantId"] == nil || admin.json["tenantId"] is NSNull)
            #expect(admin.string("tokenName") == "bootstrap")
        }
    }

    @Test func aRevokedTokenStopsWorkingAndRevokingTwiceIsHarmless() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let issued = try await client.send(
                .post,
                "/v1/tenants/\(tenant)/tokens",
                json: ["role": "agency-finance", "name": "finance"]
            )
            let token = issued.string("token") ?? "missing-token"
            let id = try #require(issued.string("id"))
            #expect(try await client.send(.get, "/v1/me", token: token).status == .ok)

            let revoked = try await client.send(.delete, "/v1/tokens/\(id)")
            #expect(revoked.status == .noContent, "\(revoked.text)")
            #expect(revoked.body.isEmpty)
            expectProblem(try await client.send(.get, "/v1/me", token: token), .unauthorized, type: "unauthenticated")

            let again = try await client.send(.delete, "/v1/tokens/\(id)")
            #expect(again.status == .noContent, "\(again.text)")
            expectProblem(try await client.send(.get, "/v1/me", token: token), .unauthorized, type: "unauthenticated")

            let listed = try await client.send(.get, "/v1/tenants/\(tenant)/tokens")
            let entry = (listed.json["items"] as? [[String: Any]])?.first { $0["id"] as? String == id }
            #expect(entry?["revokedAt"] as? String != nil)

            expectProblem(try await client.send(.delete, "/v1/tokens/\(UUID().uuidString)"), .notFound, type: "not-found")
            expectProblem(try await client.send(.delete, "/v1/tokens/not-a-uuid"), .badRequest, type: "bad-request")
        }
    }

    @Test func anAgencyAdminIssuesAgencyTokensForItsOwnTenantOnly() async throws {
        try await withApp { client in
            let mine = try await client.createTenant()
            let other = try await client.createTenant()
            let admin = try await client.token(for: mine, role: "agency-admin")

            let buyer = try await client.send(
                .post,
                "/v1/tenants/\(mine)/tokens",
                token: admin,
                json: ["role": "agency-buyer", "name": "buyer"]
            )
            #expect(buyer.status == .created, "\(buyer.text)")
            let buyerToken = buyer.string("token") ?? "missing-token"
            let me = try await client.send(.get, "/v1/me", token: buyerToken)
            #expect(me.string("role") == "agency-buyer")
            #expect(me.string("tenantId") == mine)

            let foreign = try await client.send(
                .post,
                "/v1/tenants/\(other)/tokens",
                token: admin,
                json: ["role": "agency-buyer", "name": "intruder"]
            )
            expectProblem(foreign, .notFound, type: "not-found")
            let otherTokens = try await client.send(.get, "/v1/tenants/\(other)/tokens")
            #expect((otherTokens.json["items"] as? [Any])?.isEmpty == true)

            for role in ["cooperative-admin", "cooperative-finance"] {
                let escalation = try await client.send(
                    .post,
                    "/v1/tenants/\(mine)/tokens",
                    token: admin,
                    json: ["role": role, "name": "escalate"]
                )
                expectProblem(escalation, .unprocessableContent, type: "validation-failed", pointer: "/role")
            }

            // It lists its own tenant's tokens, not another's.
            #expect(try await client.send(.get, "/v1/tenants/\(mine)/tokens", token: admin).status == .ok)
            expectProblem(try await client.send(.get, "/v1/tenants/\(other)/tokens", token: admin), .notFound)
        }
    }

    @Test func anAgencyBuyerCannotManageTokens() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let buyer = try await client.token(for: tenant, role: "agency-buyer")
            let victim = try await client.send(
                .post,
                "/v1/tenants/\(tenant)/tokens",
                json: ["role": "agency-admin", "name": "admin"]
            )
            let victimID = try #require(victim.string("id"))

            let create = try await client.send(
                .post,
                "/v1/tenants/\(tenant)/tokens",
                token: buyer,
                json: ["role": "agency-buyer", "name": "more"]
            )
            expectProblem(create, .forbidden, type: "forbidden")
            expectProblem(
                try await client.send(.get, "/v1/tenants/\(tenant)/tokens", token: buyer),
                .forbidden,
                type: "forbidden"
            )
            expectProblem(try await client.send(.delete, "/v1/tokens/\(victimID)", token: buyer), .forbidden, type: "forbidden")
            let cooperative = try await client.send(
                .post,
                "/v1/tokens",
                token: buyer,
                json: ["role": "cooperative-finance", "name": "x"]
            )
            expectProblem(cooperative, .forbidden, type: "forbidden")
            #expect(try await client.send(.get, "/v1/me", token: victim.string("token") ?? "missing-token").status == .ok)
        }
    }

    @Test func cooperativeTokensAreIssuedByCooperativeAdminsOnly() async throws {
        try await withApp { client in
            let issued = try await client.send(.post, "/v1/tokens", json: ["role": "cooperative-finance", "name": "ledger"])
            #expect(issued.status == .created, "\(issued.text)")
            let secret = issued.string("token") ?? "missing-token"
            let id = try #require(issued.string("id"))
            #expect(secret.hasPrefix("cpc_"))
            #expect(issued.json["tenantId"] == nil || issued.json["tenantId"] is NSNull)
            let me = try await client.send(.get, "/v1/me", token: secret)
            #expect(me.string("role") == "cooperative-finance")
            #expect(me.json["tenantId"] == nil || me.json["tenantId"] is NSNull)

            let listed = try await client.send(.get, "/v1/tokens")
            #expect(listed.status == .ok)
            let items = listed.json["items"] as? [[String: Any]] ?? []
            #expect(items.contains { $0["id"] as? String == id })
            #expect(items.allSatisfy { $0["token"] == nil })
            #expect(!listed.text.contains(secret))

            // Finance cannot issue or list credentials.
            let byFinance = try await client.send(
                .post,
                "/v1/tokens",
                token: secret,
                json: ["role": "cooperative-finance", "name": "x"]
            )
            expectProblem(byFinance, .forbidden, type: "forbidden")
            expectProblem(try await client.send(.get, "/v1/tokens", token: secret), .forbidden, type: "forbidden")

            let tenant = try await client.createTenant()
            let agencyAdmin = try await client.token(for: tenant, role: "agency-admin")
            let byAgency = try await client.send(
                .post,
                "/v1/tokens",
                token: agencyAdmin,
                json: ["role": "cooperative-finance", "name": "x"]
            )
            expectProblem(byAgency, .forbidden, type: "forbidden")

            let agencyRole = try await client.send(.post, "/v1/tokens", json: ["role": "agency-admin", "name": "x"])
            expectProblem(agencyRole, .unprocessableContent, type: "validation-failed", pointer: "/role")

            // Revoking a cooperative token works the same way.
            #expect(try await client.send(.delete, "/v1/tokens/\(id)").status == .noContent)
            expectProblem(try await client.send(.get, "/v1/me", token: secret), .unauthorized, type: "unauthenticated")
        }
    }

    @Test func aTenantTokenCannotHaveACooperativeRole() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let reply = try await client.send(
                .post,
                "/v1/tenants/\(tenant)/tokens",
                json: ["role": "cooperative-admin", "name": "sneaky"]
            )
            expectProblem(reply, .unprocessableContent, type: "validation-failed", pointer: "/role")
            let listed = try await client.send(.get, "/v1/tenants/\(tenant)/tokens")
            #expect((listed.json["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func anAgencyAdminCannotRevokeAnotherTenantsToken() async throws {
        try await withApp { client in
            let a = try await client.createTenant()
            let b = try await client.createTenant()
            let adminA = try await client.token(for: a, role: "agency-admin")
            let issuedB = try await client.send(.post, "/v1/tenants/\(b)/tokens", json: ["role": "agency-buyer", "name": "b"])
            let tokenB = issuedB.string("token") ?? "missing-token"
            let idB = try #require(issuedB.string("id"))

            expectProblem(try await client.send(.delete, "/v1/tokens/\(idB)", token: adminA), .notFound, type: "not-found")
            #expect(try await client.send(.get, "/v1/me", token: tokenB).status == .ok)

            // A cooperative token is out of an agency admin's reach too.
            let cooperative = try await client.send(.post, "/v1/tokens", json: ["role": "cooperative-finance", "name": "c"])
            let cooperativeID = try #require(cooperative.string("id"))
            expectProblem(
                try await client.send(.delete, "/v1/tokens/\(cooperativeID)", token: adminA),
                .notFound,
                type: "not-found"
            )
            #expect(try await client.send(.get, "/v1/me", token: cooperative.string("token") ?? "missing-token").status == .ok)

            // Its own tenant's token it can revoke.
            let issuedA = try await client.send(.post, "/v1/tenants/\(a)/tokens", json: ["role": "agency-buyer", "name": "a"])
            let idA = try #require(issuedA.string("id"))
            #expect(try await client.send(.delete, "/v1/tokens/\(idA)", token: adminA).status == .noContent)
            expectProblem(
                try await client.send(.get, "/v1/me", token: issuedA.string("token") ?? "missing-token"),
                .unauthorized,
                type: "unauthenticated"
            )
        }
    }

    @Test func aSuspendedTenantsTokensAreRefusedUntilReactivation() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let other = try await client.createTenant()
            let token = try await client.token(for: tenant, role: "agency-admin")
            let bystander = try await client.token(for: other, role: "agency-buyer")
            #expect(try await client.send(.get, "/v1/me", token: token).status == .ok)

            #expect(try await client.send(.post, "/v1/tenants/\(tenant)/suspend").status == .ok)
            for (method, path) in [
                (HTTPRequest.Method.get, "/v1/me"), (.get, "/v1/tenants/\(tenant)"), (.get, "/v1/tenants/\(tenant)/tokens"),
            ] {
                let refused = try await client.send(method, path, token: token)
                expectProblem(refused, .forbidden, type: "tenant-not-active")
            }
            let issue = try await client.send(
                .post,
                "/v1/tenants/\(tenant)/tokens",
                token: token,
                json: ["role": "agency-buyer", "name": "x"]
            )
            expectProblem(issue, .forbidden, type: "tenant-not-active")
            // Another tenant is not affected.
            #expect(try await client.send(.get, "/v1/me", token: bystander).status == .ok)

            #expect(try await client.send(.post, "/v1/tenants/\(tenant)/reactivate").status == .ok)
            let back = try await client.send(.get, "/v1/me", token: token)
            #expect(back.status == .ok, "\(back.text)")
            #expect(back.string("tenantId") == tenant)
        }
    }

    @Test func anExpiredTokenIsUnauthenticated() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let tenantID = try #require(UUID(uuidString: tenant))
            let expiredAgency = TokenSecret.generate(tenantID: tenantID)
            let expiredCooperative = TokenSecret.generate(tenantID: nil)
            let current = TokenSecret.generate(tenantID: tenantID)
            // The API refuses past expiry dates, so these rows are written directly (as the superuser).
            let connection = try await TestDatabase.adminURL().connect(logger: TestDatabase.logger)
            do {
                try await connection.query(
                    """
                    INSERT INTO cooperage.agency_token (tenant_id, name, role, secret_hash, expires_at)
                    VALUES (\(tenantID), 'expired', 'agency-admin', \(expiredAgency.hash), now() - interval '1 minute'),
                           (\(tenantID), 'current', 'agency-admin', \(current.hash), now() + interval '1 hour')
                    """,
                    logger: TestDatabase.logger
                )
                try await connection.query(
                    """
                    INSERT INTO cooperage.cooperative_token (name, role, secret_hash, expires_at)
                    VALUES ('expired', 'cooperative-admin', \(expiredCooperative.hash), now() - interval '1 minute')
                    """,
                    logger: TestDatabase.logger
                )
            } catch {
                try? await connection.close()
                throw error
            }
            try await connection.close()

            #expect(try await client.send(.get, "/v1/me", token: current.text).status == .ok)
            expectProblem(
                try await client.send(.get, "/v1/me", token: expiredAgency.text),
                .unauthorized,
                type: "unauthenticated"
            )
            expectProblem(
                try await client.send(.get, "/v1/tenants", token: expiredCooperative.text),
                .unauthorized,
                type: "unauthenticated"
            )
        }
    }

    @Test func expiryAndNamesAreValidated() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let past = try await client.send(
                .post,
                "/v1/tenants/\(tenant)/tokens",
                json: ["role": "agency-buyer", "name": "late", "expiresAt": "2020-01-01T00:00:00Z"]
            )
            expectProblem(past, .unprocessableContent, type: "validation-failed", pointer: "/expiresAt")
            let pastCooperative = try await client.send(
                .post,
                "/v1/tokens",
                json: ["role": "cooperative-finance", "name": "late", "expiresAt": "2020-01-01T00:00:00Z"]
            )
            expectProblem(pastCooperative, .unprocessableContent, type: "validation-failed", pointer: "/expiresAt")
            let notADate = try await client.send(
                .post,
                "/v1/tenants/\(tenant)/tokens",
                json: ["role": "agency-buyer", "name": "x", "expiresAt": "tomorrow"]
            )
            expectProblem(notADate, .unprocessableContent, type: "validation-failed", pointer: "/expiresAt")

            let future = try await client.send(
                .post,
                "/v1/tenants/\(tenant)/tokens",
                json: ["role": "agency-buyer", "name": "temporary", "expiresAt": "2999-01-01T00:00:00Z"]
            )
            #expect(future.status == .created, "\(future.text)")
            #expect(future.string("expiresAt")?.hasPrefix("2999-01-01T00:00:00") == true)
            #expect(try await client.send(.get, "/v1/me", token: future.string("token") ?? "missing-token").status == .ok)

            let cases: [(String, String)] = [
                (#"{"role":"agency-buyer","name":""}"#, "/name"),
                (#"{"role":"agency-buyer","name":"   "}"#, "/name"),
                (#"{"role":"agency-buyer"}"#, "/name"),
                (#"{"name":"x"}"#, "/role"),
                (#"{"role":"superuser","name":"x"}"#, "/role"),
                (#"{"role":"agency-buyer","name":"x","tenantId":"\#(tenant)"}"#, "/tenantId"),
            ]
            for (raw, pointer) in cases {
                let reply = try await client.send(.post, "/v1/tenants/\(tenant)/tokens", raw: raw)
                expectProblem(reply, .unprocessableContent, type: "validation-failed", pointer: pointer)
            }
            let longName = try await client.send(
                .post,
                "/v1/tenants/\(tenant)/tokens",
                json: ["role": "agency-buyer", "name": String(repeating: "n", count: 201)]
            )
            expectProblem(longName, .unprocessableContent, type: "validation-failed", pointer: "/name")

            let unknownTenant = try await client.send(
                .post,
                "/v1/tenants/\(UUID().uuidString)/tokens",
                json: ["role": "agency-buyer", "name": "x"]
            )
            expectProblem(unknownTenant, .notFound, type: "not-found")
        }
    }
}
