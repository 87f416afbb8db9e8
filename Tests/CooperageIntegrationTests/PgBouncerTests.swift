import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

/// The server behind a real PgBouncer (Debian's 1.18, ``PgBouncer``) in transaction pooling mode with a pool of one
/// or two server connections, as `database.preparedStatements: false` runs it: every transaction may land on any
/// server connection, and no tenant, role or statement survives from one to the next.
@Suite struct PgBouncerTests {
    /// A pool of the server's role through `url`, run while `body` runs, with the bootstrap admin token in place.
    func withPool<T: Sendable>(
        _ url: DatabaseURL,
        preparedStatements: Bool = false,
        connections: Int = 8,
        _ body: (Database) async throws -> T
    ) async throws -> T {
        let database = Database(
            url: url,
            appPassword: nil,
            maximumConnections: connections,
            preparedStatements: preparedStatements,
            logger: TestDatabase.logger
        )
        let running = Task { try? await database.run() }
        defer { running.cancel() }
        _ = try await TokenStore(database: database).ensureBootstrapToken(TokenSecret(text: TestClient.adminToken))
        return try await body(database)
    }

    /// Server connections of the server's role to `database` open now: PgBouncer's pool, whatever the server's.
    func serverConnections(_ direct: DatabaseURL) async throws -> Int {
        try await Fixtures.admin(on: direct) { connection in
            try await connection.query(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = 'cooperage_app' AND datname = current_database()",
                logger: TestDatabase.logger
            ).decode(Int.self).array().first ?? -1
        }
    }

    @Test func theCoreFlowRunsThroughPgBouncerInTransactionMode() async throws {
        let direct = try await TestDatabase.fresh(prefix: "bouncer")
        try await PgBouncer.with(poolSize: 2) { bouncer in
            try await withPool(bouncer.url(database: direct.database)) { pool in
                try await withApp(pool: pool) { client in
                    try await CoreFlow.run(client, direct: direct)
                    // All of it over PgBouncer's two server connections, and every chain whole.
                    #expect(try await serverConnections(direct) <= 2)
                }
            }
        }
        let report = try await AuditVerifier(url: direct, logger: TestDatabase.logger).verify()
        #expect(report.firstBreak == nil, "\(String(describing: report.firstBreak))")
    }

    /// Two agencies' requests interleaved over one server connection: every answer shows its own agency's data only,
    /// and no transaction sees the tenant, or the cooperative role, of the one before it.
    @Test func twoAgenciesInterleavedOverOneServerConnectionNeverSeeEachOther() async throws {
        let direct = try await TestDatabase.fresh(prefix: "bouncer")
        try await PgBouncer.with(poolSize: 1) { bouncer in
            try await withPool(bouncer.url(database: direct.database)) { pool in
                try await withApp(pool: pool) { client in
                    let scenes = [
                        try await UsageScene.make(client, authorizedCents: 100_000_000, on: direct),
                        try await UsageScene.make(client, authorizedCents: 100_000_000, on: direct),
                    ]
                    // The buyer registers; the agency's administrator reads (the statement is not a buyer's).
                    let readers = [
                        try await client.token(for: scenes[0].agency, role: "agency-admin"),
                        try await client.token(for: scenes[1].agency, role: "agency-admin"),
                    ]
                    let failures = try await withThrowingTaskGroup(of: [String].self) { group in
                        for round in 0..<12 {
                            for (index, scene) in scenes.enumerated() {
                                let other = scenes[1 - index]
                                group.addTask {
                                    try await Self.ownDataOnly(client, scene, reader: readers[index], other: other, round: round)
                                }
                            }
                        }
                        return try await group.reduce(into: [String]()) { $0 += $1 }
                    }
                    #expect(failures.isEmpty, "\(failures.prefix(10))")
                    let orders = try await Fixtures.admin(on: direct) { connection in
                        try await connection.query(
                            "SELECT tenant_id, count(*) FROM usage_record GROUP BY tenant_id ORDER BY 1",
                            logger: TestDatabase.logger
                        ).decode((UUID, Int).self).array()
                    }
                    #expect(orders.map(\.1) == [12, 12], "each agency's orders under its own tenant")
                }

                // The same over the pool directly: each kind of transaction sees its own setting, or none.
                let tenants = [UUID(), UUID()]
                let seen = try await withThrowingTaskGroup(of: (expected: String, seen: String).self) { group in
                    for round in 0..<40 {
                        group.addTask {
                            switch round % 4 {
                            case 0, 1:
                                let tenant = tenants[round % 2]
                                let value = try await pool.withTenant(tenant) { try await Self.setting(on: $0) }
                                return ("\(tenant.uuidString.lowercased())|cooperage_app", value)
                            case 2:
                                return ("|cooperage_app", try await pool.withTransaction { try await Self.setting(on: $0) })
                            default:
                                return ("|cooperage_coop", try await pool.withCooperativeScope { try await Self.setting(on: $0) })
                            }
                        }
                        group.addTask {
                            // A statement in its own implicit transaction, as the hottest calls run.
                            let rows = try await pool.statement(
                                "SELECT coalesce(current_setting('app.tenant_id', true), ''), current_user::text"
                            )
                            let (tenant, role) = try rows[0].decode((String, String).self)
                            return ("|cooperage_app", "\(tenant)|\(role)")
                        }
                    }
                    return try await group.reduce(into: [(expected: String, seen: String)]()) { $0.append($1) }
                }
                #expect(seen.count == 80)
                for (expected, value) in seen { #expect(value == expected) }
                #expect(try await serverConnections(direct) <= 1)
            }
        }
    }

    /// The transaction's tenant setting and role, as `tenant|role`.
    static func setting(on connection: PostgresConnection) async throws -> String {
        let rows = try await connection.query(
            "SELECT coalesce(current_setting('app.tenant_id', true), ''), current_user::text",
            logger: TestDatabase.logger
        ).decode((String, String).self).array()
        return rows.first.map { "\($0.0)|\($0.1)" } ?? "no row"
    }

    /// One agency's round: an order, then reads of its own data; what it must not see is the other's ids.
    static func ownDataOnly(
        _ client: TestClient,
        _ scene: UsageScene,
        reader: String,
        other: UsageScene,
        round: Int
    ) async throws -> [String] {
        var failures: [String] = []
        let order = try await client.send(
            .post,
            "/v1/usage",
            token: scene.buyer,
            json: scene.order(po: "PO-\(round)", quantity: 1, unitPriceCents: 1_000 + round),
            headers: UsageScene.key()
        )
        if order.status != .created || order.string("tenantId") != scene.agency {
            failures.append("order \(round): \(order.status.code) \(order.text.prefix(300))")
        }
        for path in ["/v1/me", "/v1/usage", "/v1/authorizations", "/v1/reports/statement", "/v1/audit"] {
            let reply = try await client.send(.get, path, token: reader)
            if reply.status != .ok {
                failures.append("\(path): \(reply.status.code) \(reply.text.prefix(300))")
            } else if reply.text.contains(other.agency) || reply.text.contains(other.authorization) {
                failures.append("\(path) of \(scene.agency) shows the other agency's data: \(reply.text.prefix(300))")
            } else if path == "/v1/me" && reply.string("tenantId") != scene.agency {
                failures.append("/v1/me answered \(reply.text.prefix(300))")
            }
        }
        return failures
    }

    /// Migrations hold a session lock: pointed at PgBouncer they refuse to run, and the command names the setting.
    @Test func migrationsThroughPgBouncerAreRefusedNamingTheSetting() async throws {
        let direct = try await TestDatabase.fresh(prefix: "bouncer")
        try await PgBouncer.with { bouncer in
            let pooled = bouncer.url(database: direct.database)
            await #expect(throws: MigrationNeedsDirectConnection.self) {
                try await Migrator(url: pooled, logger: TestDatabase.logger).migrate()
            }
            #expect(await pooled.leadsToPgBouncer(logger: TestDatabase.logger) == true)
            #expect(await direct.leadsToPgBouncer(logger: TestDatabase.logger) == false)

            let alone = try await CooperageExecutable.run(["migrate"], environment: ["DATABASE_URL": pooled.text])
            #expect(alone.status != 0)
            #expect(
                alone.output.contains("Set database.migrationURL (DATABASE_MIGRATION_URL) to PostgreSQL itself"),
                "\(alone.output)"
            )
            let named = try await CooperageExecutable.run(
                ["migrate"],
                environment: ["DATABASE_URL": direct.text, "DATABASE_MIGRATION_URL": pooled.text]
            )
            #expect(named.status != 0)
            #expect(
                named.output.contains("Point database.migrationURL (DATABASE_MIGRATION_URL) at PostgreSQL"),
                "\(named.output)"
            )
            let verify = try await CooperageExecutable.run(
                ["audit", "verify"],
                environment: ["DATABASE_URL": direct.text, "DATABASE_MIGRATION_URL": pooled.text]
            )
            #expect(verify.status != 0 && verify.output.contains("leads to PgBouncer"), "\(verify.output)")
        }
    }

    /// `cooperage serve` with its settings: the pool on PgBouncer, migrations direct, no named statements. Left with
    /// prepared statements on, it refuses to start and says which setting to change.
    @Test func aServerProcessRunsBehindPgBouncerWithItsSettings() async throws {
        let direct = try await TestDatabase.fresh(prefix: "bouncer")
        try await PgBouncer.with { bouncer in
            let pooled = bouncer.url(database: direct.database)
            var environment = [
                "DATABASE_URL": pooled.text, "DATABASE_MIGRATION_URL": direct.text,
                "BOOTSTRAP_ADMIN_TOKEN": TestClient.adminToken,
            ]
            let refused = try ServerProcess.start(environment)
            #expect(try await refused.exitStatus() != 0)
            #expect(refused.log.contains("DATABASE_PREPARED_STATEMENTS=false"), "\(refused.log.suffix(2000))")
            refused.remove()

            environment["DATABASE_PREPARED_STATEMENTS"] = "false"
            try await ServerProcess.with(environment) { server in
                let scene = try await UsageScene.make(server.client, on: direct)
                let order = try await server.client.send(
                    .post,
                    "/v1/usage",
                    token: scene.buyer,
                    json: scene.order(po: "PO-PROCESS"),
                    headers: UsageScene.key()
                )
                #expect(order.status == .created, "\(order.text)\n\(server.log.suffix(2000))")
            }
        }
    }

    /// Without startup settings the sessions take the role's timeouts (30 s and 60 s, sql/0001): the defaults agree,
    /// and a configured value that differs is named with the statement that aligns the role.
    @Test func sessionTimeoutsBehindPgBouncerComeFromTheRole() async throws {
        let direct = try await TestDatabase.fresh(prefix: "bouncer")
        try await PgBouncer.with { bouncer in
            let pooled = bouncer.url(database: direct.database)
            try await withPool(pooled) { pool in
                let differences = try await pool.sessionTimeoutDifferences()
                #expect(differences.isEmpty, "\(differences)")
            }
            let shorter = Database(
                url: pooled,
                appPassword: nil,
                maximumConnections: 1,
                timeouts: .init(statement: .seconds(10)),
                preparedStatements: false,
                logger: TestDatabase.logger
            )
            let running = Task { try? await shorter.run() }
            defer { running.cancel() }
            let differences = try await shorter.sessionTimeoutDifferences()
            #expect(differences.count == 1, "\(differences)")
            #expect(
                differences.first?.contains(
                    "statement_timeout of the server's sessions is 30000 ms, but database.timeouts.statementSeconds asks for 10000 ms"
                ) == true,
                "\(differences)"
            )
            #expect(
                differences.first?.hasSuffix(
                    "ALTER ROLE cooperage_app IN DATABASE \"\(direct.database)\" SET statement_timeout = 10000"
                ) == true,
                "\(differences)"
            )
        }
    }

    /// With named prepared statements behind PgBouncer in transaction mode (told to ignore the session settings, as
    /// an operator might), the second client to prepare a statement on the one server connection fails: answered 500,
    /// logged naming `database.preparedStatements`. The same request without them is answered.
    @Test func namedPreparedStatementsBehindPgBouncerFailLoudly() async throws {
        let direct = try await TestDatabase.fresh(prefix: "bouncer")
        let ignored = ["statement_timeout", "idle_in_transaction_session_timeout"]
        try await PgBouncer.with(poolSize: 1, ignoredStartupParameters: ignored) { bouncer in
            let pooled = bouncer.url(database: direct.database)
            try await withPool(pooled, preparedStatements: true, connections: 1) { first in
                try await withApp(pool: first) { client in
                    let agency = try await client.createTenant()
                    let token = try await client.token(for: agency, role: "agency-buyer")
                    // The first client prepares the agency token's statement on PgBouncer's one server connection.
                    #expect(try await client.send(.get, "/v1/me", token: token).status == .ok)
                    try await withPool(pooled, preparedStatements: true, connections: 1) { second in
                        try await withApp(pool: second) { client in
                            let reply = try await client.send(.get, "/v1/me", token: token)
                            #expect(reply.status == .internalServerError, "\(reply.text)")
                            #expect(reply.problemType == "internal")
                        }
                        await #expect(throws: PreparedStatementLost.self) {
                            _ = try await TokenStore(database: second).authenticate(TokenSecret(text: token))
                        }
                    }
                    try await withPool(pooled, preparedStatements: false, connections: 1) { unnamed in
                        try await withApp(pool: unnamed) { client in
                            let reply = try await client.send(.get, "/v1/me", token: token)
                            #expect(reply.status == .ok, "\(reply.text)")
                        }
                    }
                }
            }
        }
    }
}
