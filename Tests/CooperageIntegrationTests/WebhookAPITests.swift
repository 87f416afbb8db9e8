import CooperageAPI
import CooperageWebhooks
import Foundation
import HTTPTypes
import Testing

/// `/v1/webhooks`: who may manage endpoints, what a body must hold, which addresses are refused, and that another
/// scope's endpoint does not exist for the caller. No dispatcher runs here: nothing is sent.
@Suite struct WebhookAPITests {
    /// The server's settings with private addresses allowed, so endpoints can name 127.0.0.1 (never called here).
    static let allowingPrivate: ServerSettings = {
        var settings = ServerSettings()
        settings.webhooks.allowPrivateAddresses = true
        return settings
    }()

    static let local = "http://127.0.0.1:9/hooks"

    @Test func anAgencyAdminSubscribesAndTheSecretIsShownOnce() async throws {
        try await withApp(settings: Self.allowingPrivate) { client in
            let tenant = try await client.createTenant()
            let admin = try await client.token(for: tenant, role: "agency-admin")
            let reply = try await client.send(
                .post,
                "/v1/webhooks",
                token: admin,
                json: ["url": Self.local, "events": ["usage.registered", "authorization.decided"], "description": "ERP"]
            )
            #expect(reply.status == .created)
            let id = try #require(reply.string("id"))
            #expect(reply.headers[.location] == "/v1/webhooks/\(id.lowercased())")
            let secret = try #require(reply.string("secret"))
            #expect(secret.hasPrefix("whsec_"))
            #expect(WebhookSecret.key(of: secret)?.count ?? 0 >= 24)
            #expect(reply.string("tenantId") == tenant)
            #expect(reply.json["events"] as? [String] == ["usage.registered", "authorization.decided"])
            #expect(reply.json["enabled"] as? Bool == true)

            let list = try await client.send(.get, "/v1/webhooks", token: admin)
            #expect(list.status == .ok)
            let items = try #require(list.json["items"] as? [[String: Any]])
            #expect(items.map { $0["id"] as? String } == [id])
            #expect(!list.text.contains(secret) && !list.text.contains("secret"))
            let one = try await client.send(.get, "/v1/webhooks/\(id)", token: admin)
            #expect(one.string("description") == "ERP" && one.json["secret"] == nil)

            let audited = try await client.send(.get, "/v1/audit?tenantId=\(tenant)", token: admin)
            #expect(audited.text.contains("webhook.created"))
        }
    }

    @Test func theCooperativeHasEndpointsOfItsOwn() async throws {
        try await withApp(settings: Self.allowingPrivate) { client in
            let created = try await client.send(
                .post,
                "/v1/webhooks",
                json: ["url": Self.local, "events": ["agreement.ceiling"]]
            )
            #expect(created.status == .created)
            #expect(created.json["tenantId"] == nil)
            let id = try #require(created.string("id"))
            let tenant = try await client.createTenant()
            let agencyAdmin = try await client.token(for: tenant, role: "agency-admin")
            // An agency does not see the cooperative's endpoints, nor the cooperative an agency's.
            #expect(try await client.send(.get, "/v1/webhooks/\(id)", token: agencyAdmin).status == .notFound)
            let agencyHook = try await client.createWebhook(url: Self.local, events: ["usage.registered"], token: agencyAdmin)
            #expect(try await client.send(.get, "/v1/webhooks/\(agencyHook.id)").status == .notFound)
            let list = try await client.send(.get, "/v1/webhooks")
            let ids = (list.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(ids.contains(id) && !ids.contains(agencyHook.id))
        }
    }

    @Test func otherRolesMayNotManageWebhooks() async throws {
        try await withApp(settings: Self.allowingPrivate) { client in
            let tenant = try await client.createTenant()
            let admin = try await client.token(for: tenant, role: "agency-admin")
            let hook = try await client.createWebhook(url: Self.local, events: ["usage.registered"], token: admin)
            let finance = try await client.send(.post, "/v1/tokens", json: ["role": "cooperative-finance", "name": "f"])
            let cooperativeFinance = try #require(finance.string("token"))
            for role in ["agency-buyer", "agency-approver", "agency-finance"] {
                let token = try await client.token(for: tenant, role: role)
                for (method, path) in [
                    (HTTPRequest.Method.get, "/v1/webhooks"), (.get, "/v1/webhooks/\(hook.id)"),
                    (.delete, "/v1/webhooks/\(hook.id)"), (.post, "/v1/webhooks/\(hook.id)/rotate-secret"),
                    (.get, "/v1/webhooks/\(hook.id)/deliveries"),
                ] {
                    #expect(try await client.send(method, path, token: token).status == .forbidden, "\(role) \(method) \(path)")
                }
                let create = try await client.send(
                    .post,
                    "/v1/webhooks",
                    token: token,
                    json: ["url": Self.local, "events": ["usage.registered"]]
                )
                #expect(create.status == .forbidden)
            }
            #expect(try await client.send(.get, "/v1/webhooks", token: cooperativeFinance).status == .forbidden)
            // A supplier's token reaches none of it either.
            let agreement = try await Fixtures.agreement(lead: tenant)
            let supplier = try await SupplierScene.supplier(of: agreement, client)
            let supplierToken = try await SupplierScene.token(client, supplier: supplier).token
            #expect(try await client.send(.get, "/v1/webhooks", token: supplierToken).status == .forbidden)
            #expect(try await client.send(.get, "/v1/webhooks/\(hook.id)", token: supplierToken).status == .forbidden)
            let supplierCreate = try await client.send(
                .post,
                "/v1/webhooks",
                token: supplierToken,
                json: ["url": Self.local, "events": ["usage.registered"]]
            )
            #expect(supplierCreate.status == .forbidden)
            #expect(try await client.send(.get, "/v1/webhooks", token: nil).status == .unauthorized)
        }
    }

    @Test func anotherAgencysWebhookIsNotFound() async throws {
        try await withApp(settings: Self.allowingPrivate) { client in
            let a = try await client.createTenant()
            let b = try await client.createTenant()
            let adminA = try await client.token(for: a, role: "agency-admin")
            let adminB = try await client.token(for: b, role: "agency-admin")
            let hook = try await client.createWebhook(url: Self.local, events: ["usage.registered"], token: adminA)
            let delivery = UUID().uuidString.lowercased()
            let attempts: [(HTTPRequest.Method, String, [String: Any]?)] = [
                (.get, "/v1/webhooks/\(hook.id)", nil),
                (.patch, "/v1/webhooks/\(hook.id)", ["description": "mine now"]),
                (.delete, "/v1/webhooks/\(hook.id)", nil),
                (.post, "/v1/webhooks/\(hook.id)/rotate-secret", nil),
                (.get, "/v1/webhooks/\(hook.id)/deliveries", nil),
                (.post, "/v1/webhooks/\(hook.id)/deliveries/\(delivery)/retry", nil),
            ]
            for (method, path, body) in attempts {
                let reply = try await client.send(method, path, token: adminB, json: body)
                #expect(reply.status == .notFound, "\(method) \(path): \(reply.text)")
                #expect(reply.problemType == "not-found")
            }
            // Still there, untouched, for its owner.
            let mine = try await client.send(.get, "/v1/webhooks/\(hook.id)", token: adminA)
            #expect(mine.status == .ok && mine.string("description") == "test" && mine.json["deletedAt"] == nil)
        }
    }

    @Test func privateAddressesAreRefusedUnlessAllowed() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let admin = try await client.token(for: tenant, role: "agency-admin")
            for url in [
                "http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.0.0.8/hook", "https://192.168.1.20/hook",
                "http://172.20.0.1/", "http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/", "http://0.0.0.0/",
                "http://[::1]/hook", "http://[fd00::1]/hook", "http://[fe80::1]/hook", "http://[::ffff:127.0.0.1]/hook",
                "http://224.0.0.1/", "http://2130706433/",
            ] {
                let reply = try await client.send(
                    .post,
                    "/v1/webhooks",
                    token: admin,
                    json: ["url": url, "events": ["usage.registered"]]
                )
                #expect(reply.status == .unprocessableContent, "\(url): \(reply.text)")
                #expect(reply.pointers == ["/url"], "\(url): \(reply.text)")
            }
            let list = try await client.send(.get, "/v1/webhooks", token: admin)
            #expect((list.json["items"] as? [Any])?.isEmpty == true)
        }
        // The same address is accepted with webhooks.allowPrivateAddresses on, and a change of URL is checked too.
        try await withApp(settings: Self.allowingPrivate) { client in
            let tenant = try await client.createTenant()
            let admin = try await client.token(for: tenant, role: "agency-admin")
            let hook = try await client.createWebhook(
                url: "http://127.0.0.1:8080/hook",
                events: ["usage.registered"],
                token: admin
            )
            #expect(!hook.id.isEmpty)
        }
        try await withApp { client in
            let tenant = try await client.createTenant()
            let admin = try await client.token(for: tenant, role: "agency-admin")
            let created = try await client.send(
                .post,
                "/v1/webhooks",
                token: admin,
                json: ["url": "http://host.invalid/hook", "events": ["usage.registered"]]
            )
            #expect(created.status == .unprocessableContent && created.pointers == ["/url"])
        }
    }

    @Test func bodiesAreValidatedNamingTheField() async throws {
        try await withApp(settings: Self.allowingPrivate) { client in
            let tenant = try await client.createTenant()
            let admin = try await client.token(for: tenant, role: "agency-admin")
            let cases: [([String: Any], String)] = [
                (["url": Self.local, "events": ["usage.registered", "invoice.paid"]], "/events/1"),
                (["url": Self.local, "events": ["usage.registered", "usage.registered"]], "/events/1"),
                (["url": Self.local, "events": [String]()], "/events"),
                (["url": "ftp://127.0.0.1/x", "events": ["usage.registered"]], "/url"),
                (["url": "http://user:pw@127.0.0.1/x", "events": ["usage.registered"]], "/url"),
                (["url": "/relative", "events": ["usage.registered"]], "/url"),
                (["url": "http://127.0.0.1/x#frag", "events": ["usage.registered"]], "/url"),
                (["url": "http://127.0.0.1/" + String(repeating: "a", count: 2100), "events": ["usage.registered"]], "/url"),
                (
                    ["url": Self.local, "events": ["usage.registered"], "description": String(repeating: "d", count: 501)],
                    "/description"
                ),
                (["url": Self.local, "events": ["usage.registered"], "secret": "whsec_x"], "/secret"),
                (["events": ["usage.registered"]], "/url"),
            ]
            for (body, pointer) in cases {
                let reply = try await client.send(.post, "/v1/webhooks", token: admin, json: body)
                #expect(reply.status == .unprocessableContent, "\(body): \(reply.text)")
                #expect(reply.pointers == [pointer], "\(body): \(reply.text)")
            }
            let unknown = try await client.send(
                .post,
                "/v1/webhooks",
                token: admin,
                json: ["url": Self.local, "events": ["invoice.paid"]]
            )
            #expect(unknown.text.contains("invoice.paid") && unknown.text.contains("not a known event type"))
        }
    }

    @Test func anEndpointIsChangedPausedAndDeletedWithItsHistoryKept() async throws {
        try await withApp(settings: Self.allowingPrivate) { client in
            let tenant = try await client.createTenant()
            let admin = try await client.token(for: tenant, role: "agency-admin")
            let hook = try await client.createWebhook(url: Self.local, events: ["usage.registered"], token: admin)
            let changed = try await client.send(
                .patch,
                "/v1/webhooks/\(hook.id)",
                token: admin,
                json: ["url": "http://127.0.0.1:10/v2", "events": ["usage.reversed"], "description": nil]
            )
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(changed.string("url") == "http://127.0.0.1:10/v2")
            #expect(changed.json["events"] as? [String] == ["usage.reversed"])
            #expect(changed.string("description") == "")
            let paused = try await client.send(.patch, "/v1/webhooks/\(hook.id)", token: admin, json: ["enabled": false])
            #expect(paused.json["enabled"] as? Bool == false)
            #expect(paused.string("disabledReason") == "disabled by an administrator")
            let empty = try await client.send(.patch, "/v1/webhooks/\(hook.id)", token: admin, json: [String: Any]())
            #expect(empty.status == .unprocessableContent)
            let badEvents = try await client.send(.patch, "/v1/webhooks/\(hook.id)", token: admin, json: ["events": ["nope"]])
            #expect(badEvents.status == .unprocessableContent && badEvents.pointers == ["/events/0"])

            #expect(try await client.send(.delete, "/v1/webhooks/\(hook.id)", token: admin).status == .noContent)
            #expect(try await client.send(.delete, "/v1/webhooks/\(hook.id)", token: admin).status == .noContent)
            // Gone from the list, still readable with its deliveries, and no longer changeable.
            let list = try await client.send(.get, "/v1/webhooks", token: admin)
            #expect((list.json["items"] as? [Any])?.isEmpty == true)
            let withDeleted = try await client.send(.get, "/v1/webhooks?includeDeleted=true", token: admin)
            #expect((withDeleted.json["items"] as? [Any])?.count == 1)
            let deleted = try await client.send(.get, "/v1/webhooks/\(hook.id)", token: admin)
            #expect(deleted.status == .ok && deleted.string("deletedAt") != nil && deleted.json["enabled"] as? Bool == false)
            #expect(try await client.send(.get, "/v1/webhooks/\(hook.id)/deliveries", token: admin).status == .ok)
            #expect(try await client.send(.post, "/v1/webhooks/\(hook.id)/rotate-secret", token: admin).status == .conflict)
            let revived = try await client.send(.patch, "/v1/webhooks/\(hook.id)", token: admin, json: ["enabled": true])
            #expect(revived.status == .conflict)
            let secret = try await Fixtures.admin { connection in
                try await connection.query(
                    "SELECT secret FROM webhook_endpoint WHERE id = \(UUID(uuidString: hook.id)!)",
                    logger: TestDatabase.logger
                ).decode(String?.self).array()
            }
            #expect(secret == [nil], "deleting wipes the secret")
        }
    }

    @Test func unknownIdsAndParametersAreClientErrors() async throws {
        try await withApp(settings: Self.allowingPrivate) { client in
            let missing = UUID().uuidString
            #expect(try await client.send(.get, "/v1/webhooks/\(missing)").status == .notFound)
            #expect(try await client.send(.get, "/v1/webhooks/not-a-uuid").status == .badRequest)
            #expect(try await client.send(.get, "/v1/webhooks?includeDeleted=maybe").status == .badRequest)
            let hook = try await client.createWebhook(url: Self.local, events: ["tenant.suspended"])
            #expect(try await client.send(.get, "/v1/webhooks/\(hook.id)/deliveries?status=lost").status == .badRequest)
            #expect(try await client.send(.get, "/v1/webhooks/\(hook.id)/deliveries?limit=0").status == .badRequest)
            #expect(
                try await client.send(.post, "/v1/webhooks/\(hook.id)/deliveries/\(missing)/retry").status == .notFound
            )
        }
    }
}
