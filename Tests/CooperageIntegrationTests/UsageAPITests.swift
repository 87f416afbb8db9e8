import CooperageStore
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

/// Usage registration: only under approved authorizations, counted once, corrected by reversals, never edited.
@Suite struct UsageAPITests {
    func post(_ client: TestClient, _ scene: UsageScene, _ body: [String: Any], key: String = UUID().uuidString) async throws
        -> TestClient.Reply
    {
        try await client.send(.post, "/v1/usage", token: scene.buyer, json: body, headers: UsageScene.key(key))
    }

    func monthlyTotal(agreement: String) async throws -> Int {
        try await Fixtures.admin { connection in
            try await connection.query(
                "SELECT coalesce(sum(amount_cents), 0)::bigint FROM usage_monthly WHERE agreement_id = \(UUID(uuidString: agreement)!)",
                logger: TestDatabase.logger
            ).decode(Int.self).array().first ?? -1
        }
    }

    @Test func anOrderWithinTheAuthorizationIsRegisteredAndReportsWhatRemains() async throws {
        try await withApp { client in
            let scene = try await UsageScene.make(client)
            let reply = try await post(client, scene, scene.order(po: "PO-1"))
            #expect(reply.status == .created)
            #expect(reply.string("kind") == "order")
            #expect(reply.json["amountCents"] as? Int == 200_000)
            #expect(reply.json["authorizationRemainingCents"] as? Int == 800_000)
            let id = try #require(reply.string("id"))
            let read = try await client.send(.get, "/v1/usage/\(id)", token: scene.buyer)
            #expect(read.string("poNumber") == "PO-1")
            #expect(try await monthlyTotal(agreement: scene.agreement) == 200_000)
        }
    }

    @Test func ordersThatBreakAConditionAreRefusedNamingIt() async throws {
        try await withApp { client in
            let scene = try await UsageScene.make(client, authorizedCents: 300_000)
            let tooMuch = try await post(client, scene, scene.order(po: "PO-BIG", quantity: 4))
            #expect(tooMuch.status == .unprocessableContent)
            #expect(tooMuch.pointers == ["/amountCents"])
            let late = try await post(client, scene, scene.order(po: "PO-LATE", date: "2029-01-01"))
            #expect(late.pointers == ["/orderDate"])
            var unbalanced = scene.order(po: "PO-SUM")
            unbalanced["amountCents"] = 199_999
            #expect(try await post(client, scene, unbalanced).pointers == ["/amountCents"])
            // Another agency's authorization is not this agency's to use.
            let other = try await UsageScene.make(client)
            var foreign = other.order(po: "PO-FOREIGN")
            foreign["authorizationId"] = other.authorization
            let stolen = try await post(client, scene, foreign)
            #expect(stolen.status == .unprocessableContent)
            #expect(stolen.pointers == ["/authorizationId"])
            // Nothing of the refused orders was counted.
            #expect(try await monthlyTotal(agreement: scene.agreement) == 0)
            // Missing key: refused before anything is written.
            let unkeyed = try await client.send(.post, "/v1/usage", token: scene.buyer, json: scene.order(po: "PO-NOKEY"))
            #expect(unkeyed.status == .badRequest)
            // A duplicate purchase order number.
            #expect(try await post(client, scene, scene.order(po: "PO-DUP", quantity: 1)).status == .created)
            #expect(try await post(client, scene, scene.order(po: "PO-DUP", quantity: 1)).pointers == ["/poNumber"])
        }
    }

    @Test func aPendingAuthorizationCannotBeUsed() async throws {
        try await withApp { client in
            let lead = try await client.createTenant(state: "TX", entityType: "state-agency")
            let agreement = try await Fixtures.agreement(lead: lead)
            let agency = try await client.createTenant()
            try await Fixtures.participation(tenant: agency)
            try await Fixtures.policy(tenant: agency, rules: AuthorizationAPITests.councilThreshold)
            let buyer = try await client.token(for: agency, role: "agency-buyer")
            let pending = try await client.send(
                .post,
                "/v1/authorizations",
                token: buyer,
                json: [
                    "agreementId": agreement, "amountCents": 5_000_000, "purchaseDate": "2026-12-01", "category": "43211507",
                    "purpose": "x",
                ]
            )
            #expect(pending.string("outcome") == "pending")
            let reply = try await client.send(
                .post,
                "/v1/usage",
                token: buyer,
                json: [
                    "authorizationId": pending.string("id")!, "poNumber": "PO-P", "orderDate": "2026-12-02", "amountCents": 100,
                    "lines": [["description": "x", "unspsc": "43211503", "quantity": 1, "unitPriceCents": 100]],
                ],
                headers: UsageScene.key()
            )
            #expect(reply.status == .unprocessableContent)
            #expect((reply.json["detail"] as? String)?.contains("pending") == true)
        }
    }

    @Test func aRetryWithTheSameKeyIsCountedOnceEvenConcurrently() async throws {
        try await withApp { client in
            let scene = try await UsageScene.make(client)
            let key = UUID().uuidString
            let body = String(
                decoding: try JSONSerialization.data(withJSONObject: scene.order(po: "PO-RETRY")),
                as: UTF8.self
            )
            let replies = try await withThrowingTaskGroup(of: (Int, String?, String?).self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let reply = try await client.send(
                            .post,
                            "/v1/usage",
                            token: scene.buyer,
                            raw: body,
                            headers: UsageScene.key(key)
                        )
                        return (Int(reply.status.code), reply.string("id"), reply.headers[HTTPField.Name("Idempotent-Replayed")!])
                    }
                }
                return try await group.reduce(into: [(Int, String?, String?)]()) { $0.append($1) }
            }
            #expect(replies.allSatisfy { $0.0 == 201 })
            #expect(Set(replies.compactMap(\.1)).count == 1)
            #expect(replies.filter { $0.2 == "true" }.count == 7)
            let list = try await client.send(.get, "/v1/usage?poNumber=PO-RETRY", token: scene.buyer)
            #expect((list.json["items"] as? [Any])?.count == 1)
            #expect(try await monthlyTotal(agreement: scene.agreement) == 200_000)
            // The same key with another body is a conflict.
            let conflict = try await post(client, scene, scene.order(po: "PO-OTHER"), key: key)
            #expect(conflict.status == .conflict)
        }
    }

    @Test func reversalsRestoreTheAuthorizedAmountAndNeverDelete() async throws {
        try await withApp { client in
            let scene = try await UsageScene.make(client)
            let order = try await post(client, scene, scene.order(po: "PO-R", quantity: 3, listPriceCents: 120_000))
            let id = try #require(order.string("id"))
            #expect(order.json["authorizationRemainingCents"] as? Int == 700_000)

            let partial = try await client.send(
                .post,
                "/v1/usage/\(id)/reversal",
                token: scene.buyer,
                json: ["amountCents": 100_000, "reason": "one returned"],
                headers: UsageScene.key()
            )
            #expect(partial.status == .created)
            #expect(partial.string("kind") == "reversal")
            #expect(partial.json["amountCents"] as? Int == -100_000)
            #expect(partial.string("reversesId") == id)
            #expect(partial.json["authorizationRemainingCents"] as? Int == 800_000)

            let tooMuch = try await client.send(
                .post,
                "/v1/usage/\(id)/reversal",
                token: scene.buyer,
                json: ["amountCents": 250_000, "reason": "oops"],
                headers: UsageScene.key()
            )
            #expect(tooMuch.pointers == ["/amountCents"])
            let rest = try await client.send(
                .post,
                "/v1/usage/\(id)/reversal",
                token: scene.buyer,
                json: ["reason": "cancelled"],
                headers: UsageScene.key()
            )
            #expect(rest.json["amountCents"] as? Int == -200_000)
            #expect(rest.json["authorizationRemainingCents"] as? Int == 1_000_000)
            let reversalID = try #require(rest.string("id"))
            let ofReversal = try await client.send(
                .post,
                "/v1/usage/\(reversalID)/reversal",
                token: scene.buyer,
                json: ["reason": "x"],
                headers: UsageScene.key()
            )
            #expect(ofReversal.status == .unprocessableContent)
            let again = try await client.send(
                .post,
                "/v1/usage/\(id)/reversal",
                token: scene.buyer,
                json: ["reason": "again"],
                headers: UsageScene.key()
            )
            #expect(again.status == .unprocessableContent)

            // The order is still there; history is three rows that net to zero.
            #expect(try await client.send(.get, "/v1/usage/\(id)", token: scene.buyer).json["amountCents"] as? Int == 300_000)
            let history = try await client.send(.get, "/v1/usage?poNumber=PO-R", token: scene.buyer)
            let amounts = (history.json["items"] as? [[String: Any]] ?? []).compactMap { $0["amountCents"] as? Int }
            #expect(amounts.sorted() == [-200_000, -100_000, 300_000])
            #expect(try await monthlyTotal(agreement: scene.agreement) == 0)
            // Savings figures shrink with the reversals: nothing left of 360,000 list vs 300,000 paid.
            let listed = try await Fixtures.admin { connection in
                try await connection.query(
                    "SELECT sum(list_cents)::bigint, sum(listed_paid_cents)::bigint FROM usage_monthly WHERE agreement_id = \(UUID(uuidString: scene.agreement)!)",
                    logger: TestDatabase.logger
                ).decode((Int, Int).self).array().first
            }
            #expect(listed?.0 == 0)
            #expect(listed?.1 == 0)
        }
    }

    @Test func anotherAgencysUsageAnswers404() async throws {
        try await withApp { client in
            let scene = try await UsageScene.make(client)
            let order = try await post(client, scene, scene.order(po: "PO-MINE"))
            let id = try #require(order.string("id"))
            let stranger = try await UsageScene.make(client)
            #expect(try await client.send(.get, "/v1/usage/\(id)", token: stranger.buyer).status == .notFound)
            let reversal = try await client.send(
                .post,
                "/v1/usage/\(id)/reversal",
                token: stranger.buyer,
                json: ["reason": "x"],
                headers: UsageScene.key()
            )
            #expect(reversal.status == .notFound)
            #expect(try await client.send(.get, "/v1/usage/\(id)?tenantId=\(scene.agency)").status == .ok)
        }
    }

    @Test func theServerRoleCannotUpdateOrDeleteUsage() async throws {
        try await withApp { client in
            let scene = try await UsageScene.make(client)
            let order = try await post(client, scene, scene.order(po: "PO-IMMUTABLE"))
            let id = try #require(order.string("id").flatMap(UUID.init(uuidString:)))
            for statement: PostgresQuery in [
                "UPDATE usage_record SET amount_cents = 1 WHERE id = \(id)",
                "DELETE FROM usage_record WHERE id = \(id)",
            ] {
                var state: String?
                do {
                    try await Fixtures.asAgency(scene.agency) { try await $0.query(statement, logger: TestDatabase.logger) }
                } catch let error as PostgresTransactionError {
                    state = (error.closureError as? PSQLError)?.serverInfo?[.sqlState]
                }
                #expect(state == "42501", "\(statement.sql): refused for want of the privilege")
            }
        }
    }

    /// usage_record's references are checked per statement (sql/0007): a row must carry its authorization's own
    /// agreement, supplier and category, and what it points at can never be deleted.
    @Test func usageRowsMustMatchTheirAuthorizationAndWhatTheyPointAtStays() async throws {
        try await withApp { client in
            let scene = try await UsageScene.make(client)
            let other = try await UsageScene.make(client)
            let order = try await post(client, scene, scene.order(po: "PO-ANCHOR"))
            #expect(order.status == .created, "\(order.text)")
            let authorization = try #require(UUID(uuidString: scene.authorization))
            // One statement as the agency's server role, in a transaction of its tenant.
            func asAgency(_ statement: PostgresQuery) async throws {
                try await Fixtures.asAgency(scene.agency) { try await $0.query(statement, logger: TestDatabase.logger) }
            }
            func insert(agreement: String, authorization: UUID, reverses: UUID? = nil) async throws {
                try await asAgency(
                    """
                    INSERT INTO usage_record (tenant_id, kind, authorization_id, agreement_id, supplier_id, category,
                                              po_number, order_date, amount_cents, source, reverses_id)
                    SELECT tenant_id, CASE WHEN \(reverses)::uuid IS NULL THEN 'order' ELSE 'reversal' END, id,
                           \(UUID(uuidString: agreement)!), supplier_id, category, 'PO-FORGED-' || gen_random_uuid(),
                           date '2026-12-15', CASE WHEN \(reverses)::uuid IS NULL THEN 100 ELSE -100 END, 'agency',
                           \(reverses)
                    FROM authorization_request WHERE id = \(authorization)
                    """
                )
            }
            func refusal(_ body: () async throws -> Void) async -> PSQLError? {
                do {
                    try await body()
                    return nil
                } catch let error as PostgresTransactionError {
                    return error.closureError as? PSQLError
                } catch {
                    return error as? PSQLError
                }
            }
            func sqlState(_ body: () async throws -> Void) async -> String? {
                await refusal(body)?.serverInfo?[.sqlState]
            }
            // The row as the writer builds it passes; another agreement than the authorization's does not.
            #expect(await sqlState { try await insert(agreement: scene.agreement, authorization: authorization) } == nil)
            #expect(await sqlState { try await insert(agreement: other.agreement, authorization: authorization) } == "23503")
            // A reversal must point at an order of the same authorization.
            let stranger = UUID()
            #expect(
                await sqlState { try await insert(agreement: scene.agreement, authorization: authorization, reverses: stranger) }
                    == "23503"
            )
            // A row of an import must name an import of its tenant.
            let unknownImport = await refusal {
                try await asAgency(
                    """
                    INSERT INTO usage_record (tenant_id, kind, authorization_id, agreement_id, supplier_id, category,
                                              po_number, order_date, amount_cents, source, import_id)
                    SELECT tenant_id, 'order', id, agreement_id, supplier_id, category, 'PO-IMPORTED-' || gen_random_uuid(),
                           date '2026-12-15', 100, 'import', \(UUID())
                    FROM authorization_request WHERE id = \(authorization)
                    """
                )
            }
            #expect(unknownImport?.serverInfo?[.sqlState] == "23503")
            #expect(
                unknownImport?.serverInfo?[.message]?.contains("their import") == true,
                "\(String(describing: unknownImport))"
            )
            // In a statement of many rows (as a bulk import writes them) one row naming another agreement refuses
            // them all, and the error names that row's purchase order.
            let many = await refusal {
                try await asAgency(
                    """
                    INSERT INTO usage_record (tenant_id, kind, authorization_id, agreement_id, supplier_id, category,
                                              po_number, order_date, amount_cents, source)
                    SELECT r.tenant_id, 'order', r.id, CASE WHEN g = 250 THEN \(UUID(uuidString: other.agreement)!)
                                                            ELSE r.agreement_id END,
                           r.supplier_id, r.category, 'PO-MANY-' || g, date '2026-12-15', 100, 'agency'
                    FROM authorization_request r, generate_series(1, 400) AS g WHERE r.id = \(authorization)
                    """
                )
            }
            #expect(many?.serverInfo?[.sqlState] == "23503")
            #expect(
                many?.serverInfo?[.message]?.contains("(purchase order PO-MANY-250)") == true,
                "\(String(describing: many))"
            )
            // Even the administrator cannot delete an authorization or an import that usage points at.
            let refused = await sqlState {
                try await Fixtures.admin { connection in
                    _ = try await connection.query(
                        "DELETE FROM authorization_request WHERE id = \(authorization)",
                        logger: TestDatabase.logger
                    )
                }
            }
            #expect(refused == "42501")
        }
    }
}
