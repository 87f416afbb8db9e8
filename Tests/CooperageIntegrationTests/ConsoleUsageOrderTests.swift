import CooperageAPI
import Foundation
import Testing

/// `/console/usage/new`: one purchase order from a form, registered by the API's own statement, which checks the
/// session where it writes.
@Suite struct ConsoleUsageOrderTests {
    func fields(_ scene: UsageScene, csrf: String, key: String, po: String, quantity: String = "2", price: String = "1,000.00")
        -> [(String, String)]
    {
        [
            ("_csrf", csrf), ("key", key), ("authorizationId", scene.authorization), ("poNumber", po),
            ("orderDate", "2026-12-02"), ("lineDescription", "Laptop"), ("lineUnspsc", "43211503"),
            ("lineQuantity", quantity), ("lineUnitPrice", price), ("lineDescription", ""), ("lineUnspsc", ""),
            ("lineQuantity", ""), ("lineUnitPrice", ""),
        ]
    }

    @Test func aBuyerRegistersAnOrderOnceEvenWhenTheFormIsSentTwice() async throws {
        try await withApp { client in
            let scene = try await UsageScene.make(client)
            let buyer = try await ConsoleBrowser.signIn(client, token: scene.buyer)
            let form = try await buyer.get("/console/usage/new?authorizationId=\(scene.authorization)")
            #expect(form.status == .ok)
            #expect(form.text.contains("value=\"\(scene.authorization)\""))
            let csrf = try await buyer.csrf(on: "/console/usage/new")
            let key = UUID().uuidString
            let po = "PO-\(UUID().uuidString.prefix(8))"
            let first = try await buyer.post("/console/usage", fields(scene, csrf: csrf, key: key, po: po))
            #expect(first.status == .seeOther, "\(first.text)")
            let second = try await buyer.post("/console/usage", fields(scene, csrf: csrf, key: key, po: po))
            #expect(second.headers[.location] == first.headers[.location])
            let id = try #require(first.headers[.location]?.split(separator: "/").last.map(String.init))
            let order = try await client.send(.get, "/v1/usage/\(id)", token: scene.buyer)
            #expect(order.json["amountCents"] as? Int == 200_000)
            let list = try await client.send(.get, "/v1/usage?poNumber=\(po)", token: scene.buyer)
            #expect((list.json["items"] as? [Any])?.count == 1)
            // Audited as the buyer's token, exactly as through the API.
            let me = try await client.send(.get, "/v1/me", token: scene.buyer)
            let audit = try await client.send(.get, "/v1/audit?tenantId=\(scene.agency)")
            let event = (audit.json["items"] as? [[String: Any]])?.first { $0["action"] as? String == "usage.registered" }
            #expect((event?["actorTokenId"] as? String)?.lowercased() == (me.string("tokenId"))?.lowercased())
        }
    }

    @Test func badLinesAndAnOrderBeyondTheAuthorizationAreShownOnTheForm() async throws {
        try await withApp { client in
            let scene = try await UsageScene.make(client, authorizedCents: 100_000)
            let buyer = try await ConsoleBrowser.signIn(client, token: scene.buyer)
            let csrf = try await buyer.csrf(on: "/console/usage/new")
            let bad = try await buyer.post("/console/usage", fields(scene, csrf: csrf, key: "k1", po: "PO-BAD", quantity: "two"))
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("id=\"lines-error\""))
            #expect(bad.text.contains("value=\"PO-BAD\""))
            let over = try await buyer.post("/console/usage", fields(scene, csrf: csrf, key: "k2", po: "PO-OVER"))
            #expect(over.status == .unprocessableContent, "\(over.text)")
            #expect(over.text.contains("class=\"error\""))
        }
    }

    @Test func theFormNeedsItsTokenAndABuyingRole() async throws {
        try await withApp { client in
            let scene = try await UsageScene.make(client)
            let buyer = try await ConsoleBrowser.signIn(client, token: scene.buyer)
            let noToken = fields(scene, csrf: "", key: "k", po: "PO-NOCSRF").filter { $0.0 != "_csrf" }
            #expect(try await buyer.post("/console/usage", noToken).status == .forbidden)
            let finance = try await ConsoleBrowser.signIn(
                client,
                token: try await client.token(for: scene.agency, role: "agency-finance")
            )
            #expect(try await finance.get("/console/usage/new").status == .forbidden)
            let admin = try await ConsoleBrowser.signIn(client, token: TestClient.adminToken)
            #expect(try await admin.get("/console/usage/new").status == .forbidden)
        }
    }

    @Test func aSessionThatEndedRegistersNothing() async throws {
        try await withApp { client in
            let scene = try await UsageScene.make(client)
            let buyer = try await ConsoleBrowser.signIn(client, token: scene.buyer)
            let csrf = try await buyer.csrf(on: "/console/usage/new")
            // Revoke the token between the page and the post: the statement that writes refuses it.
            let tokens = try await client.send(.get, "/v1/tenants/\(scene.agency)/tokens")
            let id = try #require((tokens.json["items"] as? [[String: Any]])?.first?["id"] as? String)
            #expect(try await client.send(.delete, "/v1/tokens/\(id)").status == .noContent)
            let reply = try await buyer.post("/console/usage", fields(scene, csrf: csrf, key: "k", po: "PO-REVOKED"))
            #expect(reply.status == .seeOther)
            #expect(reply.headers[.location] == "/console/sign-in")
            let list = try await client.send(.get, "/v1/usage?poNumber=PO-REVOKED&tenantId=\(scene.agency)")
            #expect((list.json["items"] as? [Any])?.count == 0)
        }
    }
}
