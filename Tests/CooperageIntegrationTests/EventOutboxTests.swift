import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

/// The transactional outbox (sql/0022): every change publishes its event in its own transaction, in the scope it
/// belongs to, and alerts are raised once and acknowledged.
@Suite struct EventOutboxTests {
    /// The events of a scope as the API lists them, oldest first.
    func events(_ client: TestClient, token: String = TestClient.adminToken, query: String = "") async throws -> [[String: Any]] {
        let reply = try await client.send(.get, "/v1/events?limit=1000\(query)", token: token)
        try #require(reply.status == .ok, "events: \(reply.text)")
        return (reply.json["items"] as? [[String: Any]] ?? []).reversed()
    }

    func alerts(_ client: TestClient, token: String = TestClient.adminToken, query: String = "") async throws -> [[String: Any]] {
        let reply = try await client.send(.get, "/v1/alerts?limit=1000\(query)", token: token)
        try #require(reply.status == .ok, "alerts: \(reply.text)")
        return reply.json["items"] as? [[String: Any]] ?? []
    }

    func about(_ subject: String, _ items: [[String: Any]]) -> [[String: Any]] {
        items.filter { (($0["subject"] as? [String: Any])?["id"] as? String)?.lowercased() == subject.lowercased() }
    }

    func types(_ items: [[String: Any]]) -> [String] { items.compactMap { $0["type"] as? String } }

    /// Imports a CSV file of three $100 laptop orders, numbered `poPrefix`1 to 3, as the scene's buyer.
    func importThreeOrders(_ client: TestClient, _ scene: UsageScene, poPrefix: String) async throws -> TestClient.Reply {
        let header = "po_number,authorization_id,order_date,description,unspsc,quantity,unit_price_cents,list_price_cents"
        let rows = (1...3).map { "\(poPrefix)\($0),\(scene.authorization),\(scene.validFrom),Laptop,43211503,1,10000," }
        return try await client.send(
            .post,
            "/v1/usage/imports",
            token: scene.buyer,
            raw: ([header] + rows).joined(separator: "\r\n") + "\r\n",
            headers: [.contentType: "text/csv; charset=utf-8"]
        )
    }

    @Test func decisionsAndUsagePublishInTheAgencysScopeOnly() async throws {
        try await withApp { client in
            let scene = try await UsageScene.make(client)
            let finance = try await client.token(for: scene.agency, role: "agency-finance")
            let decided = about(scene.authorization, try await events(client, token: finance))
            #expect(types(decided) == ["authorization.decided", "authorization.approved"])
            let data = try #require(decided.first?["data"] as? [String: Any])
            #expect(data["outcome"] as? String == "approved")
            #expect(data["agreementId"] as? String == scene.agreement)
            #expect(data["authorizedAmountCents"] as? Int == 1_000_000)
            #expect(decided.first?["tenantId"] as? String == scene.agency)

            let order = try await client.send(
                .post,
                "/v1/usage",
                token: scene.buyer,
                json: scene.order(po: "PO-EV"),
                headers: UsageScene.key()
            )
            let usageID = try #require(order.string("id"))
            let reversal = try await client.send(
                .post,
                "/v1/usage/\(usageID)/reversal",
                token: scene.buyer,
                json: ["amountCents": 50_000, "reason": "one returned"],
                headers: UsageScene.key()
            )
            let reversalID = try #require(reversal.string("id"))
            let mine = try await events(client, token: finance, query: "&type=usage.registered")
            #expect(types(about(usageID, mine)) == ["usage.registered"])
            #expect((about(usageID, mine).first?["data"] as? [String: Any])?["amountCents"] as? Int == 200_000)
            #expect(types(about(reversalID, try await events(client, token: finance))) == ["usage.reversed"])

            // Another agency sees none of it, and naming this one answers 404.
            let other = try await client.createTenant()
            let stranger = try await client.token(for: other, role: "agency-admin")
            #expect(about(scene.authorization, try await events(client, token: stranger)).isEmpty)
            let named = try await client.send(.get, "/v1/events?tenantId=\(scene.agency)", token: stranger)
            #expect(named.status == .notFound)
            // The cooperative's own scope holds none of an agency's events; naming the agency shows them.
            #expect(about(usageID, try await events(client)).isEmpty)
            #expect(types(about(usageID, try await events(client, query: "&tenantId=\(scene.agency)"))) == ["usage.registered"])
        }
    }

    @Test func anImportPublishesOneEventNotOnePerOrder() async throws {
        try await withApp { client in
            let scene = try await UsageScene.make(client)
            let reply = try await importThreeOrders(client, scene, poPrefix: "PO-I")
            try #require(reply.status == .created, "import: \(reply.text)")
            let importID = try #require(reply.string("id"))
            let all = try await events(client, query: "&tenantId=\(scene.agency)")
            #expect(types(about(importID, all)) == ["usage-import.completed"])
            #expect((about(importID, all).first?["data"] as? [String: Any])?["orders"] as? Int == 3)
            #expect(types(all).filter { $0 == "usage.registered" }.isEmpty)
        }
    }

    @Test func anAgreementPushedPastItsCeilingThresholdsRaisesEachAlertOnce() async throws {
        try await withApp { client in
            let lead = try await client.createTenant(state: "TX", entityType: "state-agency", name: "Lead Agency")
            let agreement = try await Fixtures.agreement(lead: lead, ceilingCents: 1_000_000)
            let agency = try await client.createTenant()
            try await Fixtures.participation(tenant: agency)
            let buyer = try await client.token(for: agency, role: "agency-buyer")
            func authorize(_ cents: Int) async throws {
                let reply = try await client.send(
                    .post,
                    "/v1/authorizations",
                    token: buyer,
                    json: [
                        "agreementId": agreement, "amountCents": cents, "purchaseDate": "2026-12-01", "category": "43211507",
                        "purpose": "Laptops",
                    ]
                )
                try #require(reply.string("outcome") == "approved", "authorization: \(reply.text)")
            }
            try await authorize(700_000)
            #expect(about(agreement, try await alerts(client)).isEmpty)
            try await authorize(150_000)  // 85%: past 80
            try await authorize(10_000)  // 86%: nothing new
            var raised = about(agreement, try await alerts(client))
            #expect(raised.count == 1)
            #expect((raised.first?["data"] as? [String: Any])?["percent"] as? Int == 80)
            #expect(raised.first?["type"] as? String == "agreement.ceiling")
            #expect(raised.first?["tenantId"] is NSNull)
            try await authorize(100_000)  // 96%: past 90
            raised = about(agreement, try await alerts(client))
            #expect(raised.compactMap { ($0["data"] as? [String: Any])?["percent"] as? Int }.sorted() == [80, 90])
            // The agency does not see the cooperative's alerts.
            let agencyAdmin = try await client.token(for: agency, role: "agency-admin")
            #expect(about(agreement, try await alerts(client, token: agencyAdmin)).isEmpty)

            // Acknowledged, an alert leaves the open list, once, audited; a buyer may not acknowledge.
            let id = try #require(raised.first?["id"] as? String)
            let refused = try await client.send(.post, "/v1/alerts/\(id)/acknowledgement", token: buyer, json: [:])
            #expect(refused.status == .forbidden)
            let hidden = try await client.send(.post, "/v1/alerts/\(id)/acknowledgement", token: agencyAdmin, json: [:])
            #expect(hidden.status == .notFound)
            let done = try await client.send(.post, "/v1/alerts/\(id)/acknowledgement", json: ["note": "renewal planned"])
            #expect(done.status == .ok)
            #expect((done.json["acknowledgement"] as? [String: Any])?["note"] as? String == "renewal planned")
            let again = try await client.send(.post, "/v1/alerts/\(id)/acknowledgement", json: ["note": "twice"])
            #expect((again.json["acknowledgement"] as? [String: Any])?["note"] as? String == "renewal planned")
            #expect(about(agreement, try await alerts(client)).count == 1)
            #expect(about(agreement, try await alerts(client, query: "&status=acknowledged")).count == 1)
            let audited = try await Fixtures.admin { connection in
                try await connection.query(
                    "SELECT count(*) FROM cooperative_audit_event WHERE action = 'alert.acknowledged' AND subject_id = \(id.lowercased())",
                    logger: TestDatabase.logger
                ).decode(Int.self).array().first
            }
            #expect(audited == 1)
        }
    }

    @Test func volumeReachingAPriceTierRaisesOneAlert() async throws {
        try await withApp { client in
            let scene = try await UsageScene.make(client)
            try await Fixtures.admin { connection in
                try await connection.query(
                    """
                    UPDATE agreement SET price_tiers = '[{"minVolumeCents": 300000, "discountBasisPoints": 200},
                                                         {"minVolumeCents": 5000000, "discountBasisPoints": 400}]'
                    WHERE id = \(UUID(uuidString: scene.agreement)!)
                    """,
                    logger: TestDatabase.logger
                )
            }
            for po in ["PO-T1", "PO-T2", "PO-T3"] {
                let reply = try await client.send(
                    .post,
                    "/v1/usage",
                    token: scene.buyer,
                    json: scene.order(po: po),
                    headers: UsageScene.key()
                )
                try #require(reply.status == .created, "usage: \(reply.text)")
            }
            let tiers = about(scene.agreement, try await alerts(client)).filter {
                $0["type"] as? String == "agreement.tier-reached"
            }
            #expect(tiers.count == 1)
            #expect((tiers.first?["data"] as? [String: Any])?["minVolumeCents"] as? Int == 300_000)
        }
    }

    /// Where the database says `cooperage.citus = 'on'` (deploy/citus sets it), an agency's change raises no
    /// cooperative alert itself; the scheduler's sweep raises each one that is due, once. (The Citus form of an
    /// import runs here too.)
    @Test func inSchedulerModeTheSweepRaisesTheCeilingAndTierAlertsOnce() async throws {
        let url = try await TestDatabase.fresh(prefix: "sweep")
        try await Fixtures.admin(on: url) { connection in
            try await connection.query(
                PostgresQuery(unsafeSQL: "ALTER DATABASE \(url.database) SET cooperage.citus = 'on'"),
                logger: TestDatabase.logger
            )
        }
        let pool = Database(url: url, appPassword: nil, maximumConnections: 4, logger: TestDatabase.logger)
        let running = Task { try? await pool.run() }
        defer { running.cancel() }
        _ = try await TokenStore(database: pool).ensureBootstrapToken(TokenSecret(text: TestClient.adminToken))
        try await withApp(pool: pool) { client in
            let scene = try await UsageScene.make(client, authorizedCents: 900_000, on: url)
            try await Fixtures.admin(on: url) { connection in
                try await connection.query(
                    """
                    UPDATE agreement SET ceiling_cents = 2000000,
                        price_tiers = '[{"minVolumeCents": 300000, "discountBasisPoints": 200}]'
                    WHERE id = \(UUID(uuidString: scene.agreement)!)
                    """,
                    logger: TestDatabase.logger
                )
            }
            let decision = try await client.send(
                .post,
                "/v1/authorizations",
                token: scene.buyer,
                json: [
                    "agreementId": scene.agreement, "amountCents": 800_000, "purchaseDate": "2026-12-01",
                    "category": "43211507", "purpose": "Laptops",
                ]
            )
            try #require(decision.string("outcome") == "approved", "\(decision.text)")  // 85% of the ceiling
            for po in ["PO-S1", "PO-S2"] {  // 400,000 cents: past the tier's floor
                let reply = try await client.send(
                    .post,
                    "/v1/usage",
                    token: scene.buyer,
                    json: scene.order(po: po),
                    headers: UsageScene.key()
                )
                try #require(reply.status == .created, "usage: \(reply.text)")
            }
            #expect(about(scene.agreement, try await alerts(client)).isEmpty, "nothing raised inline")
            // An import in its Citus form (an order at a time): whole, once, with its event.
            let imported = try await importThreeOrders(client, scene, poPrefix: "PO-SI")
            try #require(imported.status == .created, "import: \(imported.text)")
            #expect(imported.json["orderCount"] as? Int == 3)
            let orders = try await Fixtures.admin(on: url) { connection in
                try await connection.query(
                    "SELECT count(*)::int, sum(amount_cents)::int FROM usage_record WHERE source = 'import'",
                    logger: TestDatabase.logger
                ).decode((Int, Int).self).array().first
            }
            #expect(orders?.0 == 3 && orders?.1 == 30_000)

            let scheduler = AlertScheduler(database: pool, logger: TestDatabase.logger)
            _ = try await scheduler.raiseDue(asOf: LocalDate(iso8601: "2026-12-06")!)
            _ = try await scheduler.raiseDue(asOf: LocalDate(iso8601: "2026-12-07")!)
            let raised = about(scene.agreement, try await alerts(client))
            #expect(raised.compactMap { $0["type"] as? String }.sorted() == ["agreement.ceiling", "agreement.tier-reached"])
            let ceiling = raised.first { $0["type"] as? String == "agreement.ceiling" }?["data"] as? [String: Any]
            #expect(ceiling?["percent"] as? Int == 80)
            #expect(ceiling?["committedCents"] as? Int == 1_700_000)
        }
    }

    @Test func suspendingAndReactivatingATenantPublishToTheCooperative() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            #expect(try await client.send(.post, "/v1/tenants/\(tenant)/suspend").status == .ok)
            #expect(try await client.send(.post, "/v1/tenants/\(tenant)/reactivate").status == .ok)
            #expect(types(about(tenant, try await events(client))) == ["tenant.suspended", "tenant.reactivated"])
        }
    }

    @Test func eventsAreAppendOnlyAndStayInTheirScope() async throws {
        try await withApp { client in
            let a = try await client.createTenant()
            let b = try await client.createTenant()
            // Published by agency a, into agency b: refused by the database.
            await #expect(throws: PostgresTransactionError.self) {
                try await Fixtures.asAgency(a) { connection in
                    try await connection.query(
                        "SELECT event_publish(\(UUID(uuidString: b)!), 'tenant.suspended', 'tenant', 'x', '{}', false, NULL)",
                        logger: TestDatabase.logger
                    ).collect()
                }
            }
            // A change rolled back leaves no event behind.
            try? await Fixtures.asAgency(a) { connection in
                _ = try await connection.query(
                    "SELECT event_publish(\(UUID(uuidString: a)!), 'tenant.suspended', 'tenant', 'rolled-back', '{}', false, NULL)",
                    logger: TestDatabase.logger
                ).collect()
                throw CancellationError()
            }
            #expect(about("rolled-back", try await events(client, query: "&tenantId=\(a)")).isEmpty)
            // Published and committed, an event cannot be changed or deleted, even by its owner.
            try await Fixtures.asAgency(a) { connection in
                try await connection.query(
                    "SELECT event_publish(\(UUID(uuidString: a)!), 'tenant.suspended', 'tenant', 'kept', '{}', false, NULL)",
                    logger: TestDatabase.logger
                ).collect()
            }
            #expect(about("kept", try await events(client, query: "&tenantId=\(a)")).count == 1)
            await #expect(throws: PSQLError.self) {
                try await Fixtures.admin { connection in
                    try await connection.query(
                        "UPDATE event SET data = '{}' WHERE subject_id = 'kept'",
                        logger: TestDatabase.logger
                    ).collect()
                }
            }
            await #expect(throws: PSQLError.self) {
                try await Fixtures.admin { connection in
                    try await connection.query("DELETE FROM event WHERE subject_id = 'kept'", logger: TestDatabase.logger)
                        .collect()
                }
            }
            // As the server's role, agency b's transaction sees none of agency a's events.
            let seen = try await Fixtures.asAgency(b) { connection in
                try await connection.query("SELECT count(*) FROM event WHERE subject_id = 'kept'", logger: TestDatabase.logger)
                    .decode(Int.self).array().first
            }
            #expect(seen == 0)
        }
    }
}
