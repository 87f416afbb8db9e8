import CooperageAPI
import CooperageCore
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

@testable import CooperageStore

/// The server on a real Citus cluster (``TestCitusCluster``: a coordinator and two workers, distributed by the
/// scripts of `deploy/citus`) with `database.citus` on: the core flow works, tenants stay apart, the rows live on the
/// workers, and what must hold across nodes holds (ceiling, Idempotency-Key, audit chains).
///
/// Citus is not packaged for this system, so these run only where it was built from source (`deploy/citus/README.md`);
/// elsewhere they are skipped and say why.
@Suite(
    .serialized,
    .enabled(if: TestCitusCluster.isInstalled, "Citus is not installed (see deploy/citus/README.md to build it)"),
    .timeLimit(.minutes(5))
)
struct CitusClusterTests {
    /// The server's pool on the coordinator, with `database.citus` on, run while `body` runs.
    func withServer(
        on cluster: TestCitusCluster,
        settings: ServerSettings = ServerSettings(),
        _ body: @escaping @Sendable (TestClient, Database) async throws -> Void
    ) async throws {
        let pool = Database(url: cluster.url, appPassword: nil, maximumConnections: 12, citus: true, logger: TestDatabase.logger)
        let running = Task { try? await pool.run() }
        defer { running.cancel() }
        _ = try await TokenStore(database: pool).ensureBootstrapToken(TokenSecret(text: TestClient.adminToken))
        try await withApp(settings: settings, pool: pool) { client in try await body(client, pool) }
    }

    @Test func theCoreFlowRunsOnACitusClusterWithItsRowsOnTheWorkers() async throws {
        let cluster = try await TestCitusCluster.start()
        defer { cluster.remove() }
        try await withServer(on: cluster) { client, _ in
            try await CoreFlow.run(client, direct: cluster.url)
        }
        // The tenant tables are distributed and their rows are on the workers, not the coordinator.
        let placed = try await Fixtures.admin(on: cluster.url) { connection in
            try await connection.query(
                """
                SELECT count(*) FILTER (WHERE partmethod = 'h')::int, count(*) FILTER (WHERE partmethod = 'n')::int
                FROM pg_dist_partition
                """,
                logger: TestDatabase.logger
            ).decode((Int, Int).self).array().first
        }
        #expect(
            (placed?.0 ?? 0) >= 20 && (placed?.1 ?? 0) >= 10,
            "distributed and reference tables: \(String(describing: placed))"
        )
        // Each shard counted where it lives (Citus's own per-shard command), kept to the workers' placements.
        let onWorkers = try await Fixtures.admin(on: cluster.url) { connection in
            try await connection.query(
                """
                SELECT coalesce(sum(r.result::int), 0)::int
                FROM run_command_on_shards('cooperage.usage_record', 'SELECT count(*) FROM %s') r
                JOIN citus_shards s ON s.shardid = r.shardid
                WHERE s.nodeport <> \(cluster.ports[0])
                """,
                logger: TestDatabase.logger
            ).decode(Int.self).array().first
        }
        #expect(onWorkers == 4, "the order, its reversal and two imported orders live in the workers' shards")
        let report = try await AuditVerifier(url: cluster.url, logger: TestDatabase.logger).verify()
        #expect(report.firstBreak == nil, "\(String(describing: report.firstBreak))")
    }

    /// Concurrent decisions on one agreement from agencies on both workers never pass its ceiling; one
    /// Idempotency-Key sent at once through the JSON path and the one-statement path gives one record; the audit
    /// chains stay whole.
    @Test func ceilingIdempotencyAndAuditChainsHoldAcrossNodes() async throws {
        let cluster = try await TestCitusCluster.start()
        defer { cluster.remove() }
        try await withServer(on: cluster) { client, _ in
            let lead = try await client.createTenant(state: "TX", entityType: "state-agency", name: "Texas DIR")
            let agreement = try await Fixtures.agreement(lead: lead, ceilingCents: 3_000_000, on: cluster.url)
            var buyers: [String] = []
            for index in 0..<4 {
                let agency = try await client.createTenant(state: "TX", entityType: "city", name: "City \(index)")
                try await Fixtures.participation(tenant: agency, on: cluster.url)
                buyers.append(try await client.token(for: agency, role: "agency-buyer"))
            }
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for round in 0..<8 {
                    let buyer = buyers[round % buyers.count]
                    group.addTask {
                        let request: [String: Any] = [
                            "agreementId": agreement, "amountCents": 1_000_000, "purchaseDate": "2026-12-01",
                            "category": "43211507", "purpose": "Desktop computers",
                        ]
                        let reply = try await client.send(.post, "/v1/authorizations", token: buyer, json: request)
                        return reply.string("outcome") ?? "\(reply.status.code) \(reply.text)"
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == "approved" }.count == 3, "\(outcomes)")
            #expect(outcomes.filter { $0 == "denied" }.count == 5, "\(outcomes)")
            let committed = try await Fixtures.admin(on: cluster.url) { connection in
                try await connection.query(
                    "SELECT committed_cents FROM agreement_commitment WHERE agreement_id = \(UUID(uuidString: agreement)!)",
                    logger: TestDatabase.logger
                ).decode(Int.self).array().first
            }
            #expect(committed == 3_000_000)

            // One key, sent at once as JSON and as a one-line CSV order... through both usage paths.
            let scene = try await UsageScene.make(client, authorizedCents: 100_000_000, on: cluster.url)
            let key = UsageScene.key()
            let replies = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        let reply = try await client.send(
                            .post,
                            "/v1/usage",
                            token: scene.buyer,
                            json: scene.order(po: "PO-C1", quantity: 2),
                            headers: key
                        )
                        return (reply.status, reply.string("id"))
                    }
                }
                return try await group.reduce(into: [(HTTPResponse.Status, String?)]()) { $0.append($1) }
            }
            #expect(Set(replies.compactMap(\.1)).count == 1, "\(replies)")
            #expect(replies.allSatisfy { $0.0 == .created || $0.0 == .ok }, "\(replies)")
            let orders = try await Fixtures.admin(on: cluster.url) { connection in
                try await connection.query("SELECT count(*)::int FROM usage_record", logger: TestDatabase.logger)
                    .decode(Int.self).array().first
            }
            #expect(orders == 1)
        }
        let report = try await AuditVerifier(url: cluster.url, logger: TestDatabase.logger).verify()
        #expect(report.firstBreak == nil, "\(String(describing: report.firstBreak))")
    }

    /// The outbox on Citus: an agency's events and webhook deliveries are written with its change on its shard; the
    /// cooperative's ceiling and tier alerts come from the scheduler's sweep (02_distribute.sql says so); tenant
    /// status events and the audit chains' heads work across the workers.
    @Test func theOutboxAlertsAndAuditHeadsWorkOnCitus() async throws {
        let cluster = try await TestCitusCluster.start()
        defer { cluster.remove() }
        try await withServer(on: cluster, settings: WebhookAPITests.allowingPrivate) { client, pool in
            let outbox = EventOutboxTests()
            let scene = try await UsageScene.make(client, authorizedCents: 900_000, on: cluster.url)
            let admin = try await client.token(for: scene.agency, role: "agency-admin")
            let hook = try await client.send(
                .post,
                "/v1/webhooks",
                token: admin,
                json: ["url": WebhookAPITests.local, "events": ["usage.registered"]]
            )
            #expect(hook.status == .created, "\(hook.text)")
            try await Fixtures.admin(on: cluster.url) { connection in
                try await connection.query(
                    """
                    UPDATE agreement SET ceiling_cents = 1000000,
                        price_tiers = '[{"minVolumeCents": 100000, "discountBasisPoints": 200}]'
                    WHERE id = \(UUID(uuidString: scene.agreement)!)
                    """,
                    logger: TestDatabase.logger
                )
            }
            let order = try await client.send(
                .post,
                "/v1/usage",
                token: scene.buyer,
                json: scene.order(po: "PO-W1"),
                headers: UsageScene.key()
            )
            #expect(order.status == .created, "\(order.text)")
            let own = try await outbox.events(client, token: admin)
            #expect(outbox.types(own).contains("usage.registered"), "\(own)")
            let deliveries = try await Fixtures.admin(on: cluster.url) { connection in
                try await connection.query(
                    "SELECT count(*)::int FROM webhook_delivery WHERE event_type = 'usage.registered'",
                    logger: TestDatabase.logger
                ).decode(Int.self).array().first
            }
            #expect(deliveries == 1)

            // The cooperative's alerts: none from the agency's transactions, then each once from the sweep.
            #expect(outbox.about(scene.agreement, try await outbox.alerts(client)).isEmpty)
            let scheduler = AlertScheduler(database: pool, logger: TestDatabase.logger)
            _ = try await scheduler.raiseDue(asOf: LocalDate(iso8601: "2026-12-06")!)
            _ = try await scheduler.raiseDue(asOf: LocalDate(iso8601: "2026-12-07")!)
            let raised = outbox.about(scene.agreement, try await outbox.alerts(client))
            #expect(
                outbox.types(raised).sorted() == ["agreement.ceiling", "agreement.ceiling", "agreement.tier-reached"],
                "\(raised)"
            )

            // A tenant's status, published by the cooperative's transaction.
            #expect(try await client.send(.post, "/v1/tenants/\(scene.agency)/suspend").status == .ok)
            #expect(try await client.send(.post, "/v1/tenants/\(scene.agency)/reactivate").status == .ok)
            let statuses = outbox.types(outbox.about(scene.agency, try await outbox.events(client)))
            #expect(statuses == ["tenant.suspended", "tenant.reactivated"])

            // The webhook dispatcher finds the due delivery across the shards and claims it in its scope.
            let webhooks = WebhookStore(database: pool)
            let scopes = try await webhooks.scopesWithDueDeliveries(limit: 10)
            #expect(scopes.map { $0.uuidString.lowercased() } == [scene.agency.lowercased()])
            let claimed = try await webhooks.claim(scope: scopes[0], dispatcher: "citus-test", lease: .seconds(30), limit: 10)
            #expect(claimed.map(\.eventType) == ["usage.registered"])

            // Every report, as JSON, for the cooperative (every shard) and the agency (its own), and the OCDS exports.
            for name in ReportName.allCases {
                let scope = name == .statement ? "?tenantId=\(scene.agency)" : ""
                let cooperative = try await client.send(.get, "/v1/reports/\(name.rawValue)\(scope)")
                #expect(cooperative.status == .ok, "\(name.rawValue): \(cooperative.text)")
                let agency = try await client.send(.get, "/v1/reports/\(name.rawValue)", token: admin)
                #expect(agency.status == .ok, "\(name.rawValue) for the agency: \(agency.text)")
            }
            let release = try await client.send(.get, "/v1/exports/ocds/agreements/\(scene.agreement)")
            #expect(release.status == .ok, "\(release.text)")
            let usage = try #require(order.string("id"))
            let purchase = try await client.send(.get, "/v1/exports/ocds/usage/\(usage)", token: admin)
            #expect(purchase.status == .ok, "\(purchase.text)")
            let agreements = try await client.send(.get, "/v1/agreements?limit=50")
            #expect(agreements.status == .ok && agreements.text.contains("900000"), "\(agreements.text)")

            // Every tenant chain's head, from both workers, recorded in the cooperative's chain.
            let recorded = try await AuditHeadRecorder.record(database: pool)
            #expect(recorded != nil)
        }
        let report = try await AuditVerifier(url: cluster.url, logger: TestDatabase.logger).verify()
        #expect(report.firstBreak == nil, "\(String(describing: report.firstBreak))")
    }
}
