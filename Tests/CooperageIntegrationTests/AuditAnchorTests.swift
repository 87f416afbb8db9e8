import CooperageCore
import CooperageStore
import Foundation
import Logging
import PostgresNIO
import Testing

/// Anchors catch what a hash chain alone cannot: its newest events removed (the rest is still a valid chain, so
/// `cooperage audit verify` without an anchor says ok) and a chain rewritten with fresh hashes. Each test has a
/// database of its own, since tampering must not disturb other tests.
@Suite struct AuditAnchorTests {
    func freshDatabase(migrated: Bool = true) async throws -> DatabaseURL {
        try await TestDatabase.fresh(prefix: "anchor", migrated: migrated)
    }

    /// Runs `body` as the administrative user on `url`'s database.
    func admin<T: Sendable>(_ url: DatabaseURL, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await Fixtures.admin(on: url, body)
    }

    /// Two tenants with five events each, and three cooperative events.
    func populate(_ url: DatabaseURL) async throws -> [UUID] {
        try await admin(url) { connection in
            var tenants: [UUID] = []
            for name in ["alpha", "beta"] {
                let id = try #require(
                    try await connection.query(
                        "INSERT INTO tenant (legal_name, slug, entity_type, state) VALUES (\(name), \(name), 'city', 'WA') RETURNING id",
                        logger: TestDatabase.logger
                    ).decode(UUID.self).array().first
                )
                for index in 1...5 { try await append(on: connection, tenant: id, index: index) }
                tenants.append(id)
            }
            for index in 1...3 { try await append(on: connection, tenant: nil, index: index) }
            return tenants
        }
    }

    func append(on connection: PostgresConnection, tenant: UUID?, index: Int) async throws {
        try await AuditLog.append(
            on: connection,
            tenant: tenant,
            actor: .system,
            action: .tenantUpdated,
            subject: AuditSubject(.tenant, id: "\(index)"),
            payload: ["index": index],
            logger: TestDatabase.logger
        )
    }

    /// Runs statements as the administrative user with the append-only triggers off, as an intruder with the
    /// database's superuser could.
    func tamper(_ url: DatabaseURL, _ statements: PostgresQuery...) async throws {
        try await admin(url) { connection in
            try await connection.query("SET session_replication_role = replica", logger: TestDatabase.logger)
            for statement in statements { try await connection.query(statement, logger: TestDatabase.logger) }
        }
    }

    func verify(_ url: DatabaseURL, anchors: [AuditAnchor] = []) async throws -> AuditVerifier.Report {
        try await AuditVerifier(url: url, logger: TestDatabase.logger).verify(anchors: anchors)
    }

    /// The anchor as `cooperage audit anchor` writes it and `verify --anchor` reads it back.
    func anchor(_ url: DatabaseURL) async throws -> AuditAnchor {
        let written = try await AuditAnchor.current(url: url, logger: TestDatabase.logger)
        return try AuditAnchor(json: Data(written.json.utf8), source: "anchor file heads.json")
    }

    /// A pool of the server's role on `url`'s database, run while `body` runs.
    func withDatabase<T: Sendable>(_ url: DatabaseURL, _ body: (Database) async throws -> T) async throws -> T {
        let database = Database(url: url, appPassword: nil, maximumConnections: 2, logger: TestDatabase.logger)
        let running = Task { try? await database.run() }
        defer { running.cancel() }
        return try await body(database)
    }

    @Test func anUntouchedDatabaseReachesItsAnchor() async throws {
        let url = try await freshDatabase()
        let tenants = try await populate(url)
        let written = try await AuditAnchor.current(url: url, logger: TestDatabase.logger)
        #expect(written.chains.map(\.tenantId) == [nil] + tenants.sorted { $0.uuidString < $1.uuidString })
        #expect(written.chains.map(\.seq) == [3, 5, 5])
        #expect(written.json.hasPrefix("{\n  \"format\": \"cooperage-audit-anchor/1\",\n  \"createdAt\": \""))
        #expect(written.json.contains("{\"tenantId\": null, \"seq\": 3, \"hash\": \""))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(written.json.utf8)) as? [String: Any])
        #expect(json["format"] as? String == "cooperage-audit-anchor/1")
        let read = try AuditAnchor(json: Data(written.json.utf8), source: "heads.json")
        #expect(read.chains == written.chains)
        #expect(read.createdAt == written.createdAt)

        let report = try await verify(url, anchors: [read])
        #expect(report.firstBreak == nil)
        #expect(report.eventsChecked == 13)
        #expect(report.anchoredHeadsChecked == 3)
        // An older anchor is reached as well: the chains have only grown since.
        try await admin(url) { try await append(on: $0, tenant: tenants[0], index: 6) }
        #expect(try await verify(url, anchors: [read, try await anchor(url)]).firstBreak == nil)
    }

    @Test func removingAChainsNewestEventFailsOnlyAgainstAnAnchor() async throws {
        let url = try await freshDatabase()
        let tenants = try await populate(url)
        let anchor = try await anchor(url)
        try await tamper(url, "DELETE FROM audit_event WHERE tenant_id = \(tenants[1]) AND seq = 5")

        // What is left is a valid chain: this is why anchors exist.
        let unanchored = try await verify(url)
        #expect(unanchored.firstBreak == nil)
        #expect(unanchored.eventsChecked == 12)

        let report = try await verify(url, anchors: [anchor])
        let broken = try #require(report.firstBreak)
        #expect(broken.hasPrefix("tenant \(tenants[1].uuidString.lowercased()): it ends at event 4"), "\(broken)")
        #expect(broken.contains("anchor file heads.json has its head at event 5: event 5 was removed from its end"), "\(broken)")
    }

    @Test func aChainRewrittenWithFreshHashesFailsAtItsAnchoredHead() async throws {
        let url = try await freshDatabase()
        let tenants = try await populate(url)
        let anchor = try await anchor(url)
        // A forger alters event 3 and recomputes every hash from there, so the chain holds on its own.
        let events = try await admin(url) {
            try await AuditLog.events(on: $0, tenant: tenants[0], logger: TestDatabase.logger)
        }
        var previous = AuditEvent.genesis
        var statements: [PostgresQuery] = []
        for var event in events {
            if event.seq == 3 { event.subjectId = "forged" }
            event.previousHash = previous
            event.hash = event.computedHash
            previous = event.hash
            statements.append(
                """
                UPDATE audit_event SET subject_id = \(event.subjectId), previous_hash = \(event.previousHash), hash = \(event.hash)
                WHERE tenant_id = \(tenants[0]) AND seq = \(event.seq)
                """
            )
        }
        try await admin(url) { connection in
            try await connection.query("SET session_replication_role = replica", logger: TestDatabase.logger)
            for statement in statements { try await connection.query(statement, logger: TestDatabase.logger) }
        }

        #expect(try await verify(url).firstBreak == nil)
        let broken = try #require(try await verify(url, anchors: [anchor]).firstBreak)
        #expect(broken.hasPrefix("tenant \(tenants[0].uuidString.lowercased()) event 5: its hash is "), "\(broken)")
        #expect(broken.contains("but anchor file heads.json has"), "\(broken)")
        #expect(broken.contains("rewritten"), "\(broken)")
    }

    @Test func aChainRemovedWholeFails() async throws {
        let url = try await freshDatabase()
        let tenants = try await populate(url)
        let anchor = try await anchor(url)
        try await tamper(url, "DELETE FROM audit_event WHERE tenant_id = \(tenants[0])")
        #expect(try await verify(url).firstBreak == nil)
        let broken = try #require(try await verify(url, anchors: [anchor]).firstBreak)
        #expect(
            broken
                == "tenant \(tenants[0].uuidString.lowercased()): it has no events, but anchor file heads.json has its head at event 5: the chain was removed"
        )
    }

    @Test func theCooperativeChainIsAnchoredToo() async throws {
        let url = try await freshDatabase()
        _ = try await populate(url)
        let anchor = try await anchor(url)
        try await tamper(url, "DELETE FROM cooperative_audit_event WHERE seq >= 2")
        let broken = try #require(try await verify(url, anchors: [anchor]).firstBreak)
        #expect(broken.hasPrefix("cooperative chain: it ends at event 1"), "\(broken)")
        #expect(broken.contains("events 2…3 were removed from its end"), "\(broken)")
    }

    @Test(arguments: [
        ("not json", "not JSON"),
        ("[]", "the document: expected an object"),
        (#"{"format": "cooperage-audit-anchor/2", "createdAt": "x", "chains": []}"#, "format is \"cooperage-audit-anchor/2\""),
        (#"{"format": "cooperage-audit-anchor/1", "chains": []}"#, "createdAt: missing"),
        (#"{"format": "cooperage-audit-anchor/1", "createdAt": "x", "chains": {}}"#, "chains: expected an array"),
        (
            #"{"format": "cooperage-audit-anchor/1", "createdAt": "x", "chains": [{"tenantId": null, "seq": 1, "at": "x"}]}"#,
            "chains[0].hash: missing"
        ),
        (
            #"{"format": "cooperage-audit-anchor/1", "createdAt": "x", "chains": [{"tenantId": null, "seq": 1, "hash": "abc", "at": "x"}]}"#,
            "chains[0].hash: not 64 lower-case hexadecimal digits"
        ),
        (
            #"{"format": "cooperage-audit-anchor/1", "createdAt": "x", "chains": [{"tenantId": "me", "seq": 1, "hash": "\#(AuditEvent.genesis)", "at": "x"}]}"#,
            "chains[0].tenantId: not a UUID"
        ),
        (
            #"{"format": "cooperage-audit-anchor/1", "createdAt": "x", "chains": [{"tenantId": null, "seq": 0, "hash": "\#(AuditEvent.genesis)", "at": "x"}]}"#,
            "chains[0].seq: must be 1 or more"
        ),
        (
            #"{"format": "cooperage-audit-anchor/1", "createdAt": "x", "chains": [{"tenantId": null, "seq": "1", "hash": "\#(AuditEvent.genesis)", "at": "x"}]}"#,
            "chains[0].seq: expected an integer"
        ),
        (
            #"{"format": "cooperage-audit-anchor/1", "createdAt": "x", "chains": [{"tenantId": null, "seq": 1, "hash": "\#(AuditEvent.genesis)", "at": "x"}, {"tenantId": null, "seq": 2, "hash": "\#(AuditEvent.genesis)", "at": "x"}]}"#,
            "chains[1]: the cooperative chain is anchored twice"
        ),
    ])
    func aMalformedAnchorIsToldInOneLine(text: String, reason: String) {
        let error = #expect(throws: AuditAnchorError.self) {
            try AuditAnchor(json: Data(text.utf8), source: "anchor file bad.json")
        }
        let description = error?.description ?? ""
        #expect(description.hasPrefix("anchor file bad.json is not a valid audit anchor: \(reason)"), "\(description)")
        #expect(!description.contains("\n"), "\(description)")
    }

    @Test func theRecorderAppendsACooperativeEventListingEveryTenantChainsHead() async throws {
        let url = try await freshDatabase()
        let tenants = try await populate(url)
        let seq = try await withDatabase(url) { database in
            let seq = try #require(try await AuditHeadRecorder.record(database: database))
            // Another instance's turn within the window is skipped, not recorded twice.
            #expect(try await AuditHeadRecorder.record(database: database, unlessRecordedWithin: .seconds(3600)) == nil)
            return seq
        }
        #expect(seq == 4)
        let (event, heads) = try await admin(url) { connection in
            let event = try #require(
                try await AuditLog.events(on: connection, tenant: nil, after: seq - 1, limit: 1, logger: TestDatabase.logger)
                    .first
            )
            let heads = try await connection.query(
                "SELECT heads FROM cooperative_audit_heads WHERE seq = \(seq)",
                logger: TestDatabase.logger
            ).decode(String.self).array()
            return (event, heads)
        }
        #expect(event.action == "audit.heads-recorded")
        #expect(event.actorRole == "system")
        #expect(event.subjectId == "2")
        let text = try #require(heads.first)
        #expect(AuditEvent.digest(json: Array(text.utf8)) == event.payloadDigest)
        let recorded = try AuditAnchor(json: Data(text.utf8), source: "recorded")
        let current = try await AuditAnchor.current(url: url, logger: TestDatabase.logger)
        #expect(recorded.chains == current.chains.filter { $0.tenantId != nil })
        #expect(recorded.chains.map(\.tenantId) == tenants.sorted { $0.uuidString < $1.uuidString })

        let report = try await verify(url)
        #expect(report.firstBreak == nil)
        #expect(report.recordedHeadsChecked == 2)
    }

    @Test func recordedHeadsCatchARemovedNewestEventWithoutAFile() async throws {
        let url = try await freshDatabase()
        let tenants = try await populate(url)
        let seq = try await withDatabase(url) { try await AuditHeadRecorder.record(database: $0) }
        try await tamper(url, "DELETE FROM audit_event WHERE tenant_id = \(tenants[0]) AND seq = 5")
        let broken = try #require(try await verify(url).firstBreak)
        #expect(
            broken
                == "tenant \(tenants[0].uuidString.lowercased()): it ends at event 4, but cooperative chain event \(seq ?? 0) (audit.heads-recorded) has its head at event 5: event 5 was removed from its end"
        )
        // A chain removed whole is still named by the recording.
        try await tamper(url, "DELETE FROM audit_event WHERE tenant_id = \(tenants[0])")
        #expect(
            try await verify(url).firstBreak?.hasPrefix("tenant \(tenants[0].uuidString.lowercased()): it has no events") == true
        )
    }

    @Test func recordedHeadsThatWereAlteredOrRemovedBreakTheCooperativeChain() async throws {
        let url = try await freshDatabase()
        _ = try await populate(url)
        let seq = try #require(try await withDatabase(url) { try await AuditHeadRecorder.record(database: $0) })
        try await tamper(url, "UPDATE cooperative_audit_heads SET heads = replace(heads, '\"seq\": 5', '\"seq\": 4')")
        #expect(
            try await verify(url).firstBreak
                == "cooperative chain event \(seq) (audit.heads-recorded): the heads it recorded do not match its digest (they were altered)"
        )
        try await tamper(url, "DELETE FROM cooperative_audit_heads")
        #expect(try await verify(url).firstBreak?.contains("the heads it recorded are missing") == true)
    }

    /// A database that cannot record (here: not migrated yet) is logged and tried again; the service goes on and
    /// records once it can.
    @Test func theRecorderServiceOutlivesADatabaseThatCannotRecordYet() async throws {
        let url = try await freshDatabase(migrated: false)
        try await withDatabase(url) { database in
            // Its warnings are expected here; they would only crowd the test log.
            var quiet = TestDatabase.logger
            quiet.logLevel = max(quiet.logLevel, .error)
            let recorder = AuditHeadRecorder(database: database, interval: .milliseconds(200), logger: quiet)
            #expect(await recorder.recordOnce() == false)
            let service = Task { try await recorder.run() }
            try await Migrator(url: url, logger: TestDatabase.logger).migrate()
            _ = try await populate(url)
            var recorded: [String] = []
            for _ in 0..<300 where recorded.isEmpty {
                recorded = try await admin(url) {
                    try await $0.query(
                        "SELECT subject_id FROM cooperative_audit_event WHERE action = 'audit.heads-recorded'",
                        logger: TestDatabase.logger
                    ).decode(String.self).array()
                }
                if recorded.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
            }
            service.cancel()
            try await service.value
            #expect(!recorded.isEmpty, "no recording within 30 seconds")
        }
        #expect(try await verify(url).firstBreak == nil)
    }

    @Test func intervalsAreWholeNumbersWithAUnit() {
        #expect(AuditHeadRecorder.interval(parsing: "24h") == .seconds(86_400))
        #expect(AuditHeadRecorder.interval(parsing: "1d") == .seconds(86_400))
        #expect(AuditHeadRecorder.interval(parsing: "30m") == .seconds(1800))
        #expect(AuditHeadRecorder.interval(parsing: "90s") == .seconds(90))
        #expect(AuditHeadRecorder.interval(parsing: "3600") == .seconds(3600))
        for bad in ["", "h", "0h", "-1h", "1.5h", "1w", "367d", "99999999999999h", "１h"] {
            #expect(AuditHeadRecorder.interval(parsing: bad) == nil, "\(bad)")
        }
    }
}
