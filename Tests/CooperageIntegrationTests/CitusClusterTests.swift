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
/// elsewhere, CI included, they are skipped and say why.
@Suite(
    .serialized,
    .enabled(if: TestCitusCluster.isInstalled, "Citus is not installed (see deploy/citus/README.md to build it)"),
    .timeLimit(.minutes(5))
)
struct CitusClusterTests {
    /// The server's pool on the coordinator, with `database.citus` on, run while `body` runs.
    func withServer(
        on cluster: TestCitusCluster,
        _ body: @escaping @Sendable (TestClient, Database) async throws -> Void
    ) async throws {
        let pool = Database(url: cluster.url, appPassword: nil, maximumConnections: 12, citus: true, logger: TestDatabase.logger)
        let running = Task { try? await pool.run() }
        defer { running.cancel() }
        _ = try await TokenStore(database: pool).ensureBootstrapToken(TokenSecret(text: TestClient.adminToken))
        try await withApp(pool: pool) { client in try await body(client, pool) }
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
        var onWorkers = 0
        for worker in 0..<2 {
            onWorkers += try await Fixtures.admin(on: cluster.worker(worker)) { connection in
                // Citus hides the shards from catalog queries unless asked.
                try await connection.query("SET citus.show_shards_for_app_name_prefixes = '*'", logger: TestDatabase.logger)
                return try await connection.query(
                    """
                    SELECT coalesce(sum((xpath('/row/c/text()',
                        query_to_xml(format('SELECT count(*) AS c FROM %s', c.oid::regclass), false, true, '')))[1]::text::int), 0)::int
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = 'cooperage' AND c.relkind = 'r' AND c.relname ~ '^usage_record_[0-9]+$'
                    """,
                    logger: TestDatabase.logger
                ).decode(Int.self).array().first ?? 0
            }
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
}
