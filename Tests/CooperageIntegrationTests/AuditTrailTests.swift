import CooperageCore
import CooperageStore
import Foundation
import PostgresNIO
import Testing

/// The hash chains detect any edit or removal, on a database of their own (tampering must not disturb other tests).
@Suite struct AuditTrailTests {
    func freshDatabase() async throws -> DatabaseURL {
        try await TestDatabase.fresh(prefix: "audit")
    }

    /// Two tenants with five events each, and three cooperative events.
    func populate(_ url: DatabaseURL) async throws -> [UUID] {
        let connection = try await url.connect(logger: TestDatabase.logger)
        defer { Task { try? await connection.close() } }
        try await connection.query("SET search_path = cooperage, public", logger: TestDatabase.logger)
        var tenants: [UUID] = []
        for name in ["alpha", "beta"] {
            let id = try await connection.query(
                "INSERT INTO tenant (legal_name, slug, entity_type, state) VALUES (\(name), \(name), 'city', 'WA') RETURNING id",
                logger: TestDatabase.logger
            ).decode(UUID.self).array().first!
            for index in 1...5 {
                try await AuditLog.append(
                    on: connection,
                    tenant: id,
                    actor: .system,
                    action: .tenantUpdated,
                    subject: AuditSubject(.tenant, id: "\(index)"),
                    payload: ["index": index],
                    logger: TestDatabase.logger
                )
            }
            tenants.append(id)
        }
        for index in 1...3 {
            try await AuditLog.append(
                on: connection,
                tenant: nil,
                actor: .system,
                action: .tenantUpdated,
                subject: AuditSubject(.tenant, id: "\(index)"),
                payload: ["index": index],
                logger: TestDatabase.logger
            )
        }
        return tenants
    }

    func tamper(_ url: DatabaseURL, _ sql: PostgresQuery) async throws {
        let connection = try await url.connect(logger: TestDatabase.logger)
        defer { Task { try? await connection.close() } }
        try await connection.query("SET search_path = cooperage, public", logger: TestDatabase.logger)
        // Only a superuser can switch the append-only triggers off like this.
        try await connection.query("SET session_replication_role = replica", logger: TestDatabase.logger)
        try await connection.query(sql, logger: TestDatabase.logger)
    }

    @Test func intactChainsVerify() async throws {
        let url = try await freshDatabase()
        _ = try await populate(url)
        let report = try await AuditVerifier(url: url, logger: TestDatabase.logger).verify()
        #expect(report.firstBreak == nil)
        #expect(report.eventsChecked == 13)
        #expect(report.chainsChecked == 3)
    }

    @Test func anAlteredRowIsTheFirstBrokenLink() async throws {
        let url = try await freshDatabase()
        let tenants = try await populate(url)
        try await tamper(url, "UPDATE audit_event SET subject_id = 'forged' WHERE tenant_id = \(tenants[1]) AND seq = 3")
        let report = try await AuditVerifier(url: url, logger: TestDatabase.logger).verify()
        let broken = try #require(report.firstBreak)
        #expect(broken.contains(tenants[1].uuidString.lowercased()))
        #expect(broken.contains("event 3"))
    }

    @Test func oneTenantsStatusRestsOnItsChainAndTheCooperatives() async throws {
        let url = try await freshDatabase()
        let tenants = try await populate(url)
        try await tamper(url, "UPDATE audit_event SET subject_id = 'forged' WHERE tenant_id = \(tenants[1]) AND seq = 2")
        let connection = try await url.connect(logger: TestDatabase.logger)
        defer { Task { try? await connection.close() } }
        try await connection.query("SET search_path = cooperage, public", logger: TestDatabase.logger)
        let intact = try await AuditVerifier.verify(on: connection, chains: .tenant(tenants[0]), logger: TestDatabase.logger)
        #expect(intact.firstBreak == nil)
        #expect(intact.chainsChecked == 2)
        #expect(intact.eventsChecked == 8)
        let broken = try await AuditVerifier.verify(on: connection, chains: .tenant(tenants[1]), logger: TestDatabase.logger)
        #expect(broken.firstBreak?.contains("event 2") == true)
        #expect(broken.brokenChain == .tenant(tenants[1]))
        let all = try await AuditVerifier.verify(on: connection, chains: .all, logger: TestDatabase.logger)
        #expect(all.brokenChain == .tenant(tenants[1]))

        try await tamper(url, "UPDATE cooperative_audit_event SET subject_id = 'forged' WHERE seq = 1")
        let cooperative = try await AuditVerifier.verify(on: connection, chains: .tenant(tenants[0]), logger: TestDatabase.logger)
        #expect(cooperative.brokenChain == .cooperative)
    }

    @Test func aRemovedRowIsDetected() async throws {
        let url = try await freshDatabase()
        let tenants = try await populate(url)
        try await tamper(url, "DELETE FROM audit_event WHERE tenant_id = \(tenants[0]) AND seq = 2")
        let report = try await AuditVerifier(url: url, logger: TestDatabase.logger).verify()
        let broken = try #require(report.firstBreak)
        #expect(broken.contains(tenants[0].uuidString.lowercased()))
        #expect(broken.contains("removed"))
    }

    @Test func aRecomputedHashStillBreaksTheNextLink() async throws {
        let url = try await freshDatabase()
        _ = try await populate(url)
        // A forger who rewrites a row and its own hash still breaks the link to the following event.
        try await tamper(
            url,
            "UPDATE cooperative_audit_event SET subject_id = 'forged', hash = repeat('a', 64) WHERE seq = 1"
        )
        let report = try await AuditVerifier(url: url, logger: TestDatabase.logger).verify()
        #expect(report.firstBreak?.contains("cooperative chain event 1") == true)
    }

    /// The chain's head is read by its index even when the statement was planned on a table that was then
    /// nearly empty: a plan cached with a sequential scan would read the whole log on every append as it grows
    /// (measured: 2.5 ms per usage registration a minute into a benchmark, until autovacuum analyzed the table).
    /// A tenant's head is its row of `audit_chain_head`, so its append does not read the log at all.
    @Test func appendingReadsTheChainHeadByIndexWhateverTheTableWasWhenPlanned() async throws {
        let url = try await freshDatabase()
        let tenant = try #require(try await populate(url).first)
        let connection = try await url.connect(logger: TestDatabase.logger)
        defer { Task { try? await connection.close() } }
        try await connection.query("SET search_path = cooperage, public", logger: TestDatabase.logger)
        let append = { (tenant: UUID?) in
            try await AuditLog.append(
                on: connection,
                tenant: tenant,
                actor: .system,
                action: .tenantUpdated,
                subject: AuditSubject(.tenant, id: "x"),
                payload: ["index": 0],
                logger: TestDatabase.logger
            )
        }
        // Statistics of the small tables, then this connection plans its appends on them.
        try await connection.query("ANALYZE audit_event, audit_chain_head, cooperative_audit_event", logger: TestDatabase.logger)
        try await append(tenant)
        try await append(nil)
        // The log grows (hashes are not checked here) without anything that would make the plans be made again.
        try await connection.query(
            """
            INSERT INTO audit_event (tenant_id, seq, occurred_at, actor_role, action, subject_type, subject_id,
                                     payload_digest, previous_hash, hash)
            SELECT \(tenant), 100 + n, now(), 'system', 'test.filler', 'thing', n::text, '-', '-', '-'
            FROM generate_series(1, 20000) AS n
            """,
            logger: TestDatabase.logger
        )
        try await connection.query(
            """
            INSERT INTO cooperative_audit_event (seq, occurred_at, actor_role, action, subject_type, subject_id,
                                                 payload_digest, previous_hash, hash)
            SELECT 100 + n, now(), 'system', 'test.filler', 'thing', n::text, '-', '-', '-'
            FROM generate_series(1, 20000) AS n
            """,
            logger: TestDatabase.logger
        )
        try await connection.query("BEGIN", logger: TestDatabase.logger)
        try await append(tenant)
        try await append(nil)
        let scans = try await connection.query(
            """
            SELECT relname::text, seq_scan, idx_scan FROM pg_stat_xact_user_tables
            WHERE relname IN ('audit_chain_head', 'audit_event', 'cooperative_audit_event') ORDER BY relname
            """,
            logger: TestDatabase.logger
        ).decode((String, Int, Int).self).array()
        try await connection.query("COMMIT", logger: TestDatabase.logger)
        #expect(scans.map(\.0) == ["audit_chain_head", "audit_event", "cooperative_audit_event"])
        let heads = scans.filter { $0.0 != "audit_event" }
        #expect(heads.allSatisfy { $0.1 == 0 && $0.2 >= 1 }, "sequential and index scans: \(scans)")
        #expect(scans.first { $0.0 == "audit_event" }.map { $0.1 == 0 && $0.2 == 0 } == true, "the log is not read: \(scans)")
    }
}
