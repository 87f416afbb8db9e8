import CooperageStore
import Foundation
import Logging
import PostgresNIO
import Testing

/// The migration runner against real, freshly created databases of the test cluster.
///
/// Serialized: migration 1 alters cluster-wide roles, and the advisory lock only serializes runners
/// of the same database.
@Suite(.serialized) struct MigrationTests {
    let logger = TestDatabase.logger

    @Test func runningTwiceAppliesEverythingThenNothing() async throws {
        try await withFreshDatabase { url in
            let bundled = try Migration.bundled()
            let first = try await Migrator(url: url, logger: logger).migrate()
            #expect(first.map(\.version) == bundled.map(\.version))
            let second = try await Migrator(url: url, logger: logger).migrate()
            #expect(second.isEmpty)

            let recorded = try await query(
                "SELECT version, name, checksum FROM public.cooperage_schema_migrations ORDER BY version",
                on: url,
                as: (Int, String, String).self
            )
            #expect(recorded.map(\.0) == bundled.map(\.version))
            #expect(recorded.map(\.1) == bundled.map(\.name))
            #expect(recorded.map(\.2) == bundled.map(\.checksum))

            // Every table of the schema exists and belongs to the owner role, not the migrating superuser.
            let owners = try await query(
                "SELECT tableowner::text FROM pg_tables WHERE schemaname = 'cooperage'",
                on: url,
                as: String.self
            )
            #expect(owners.count >= 3)
            #expect(Set(owners) == ["cooperage_owner"])
        }
    }

    /// sql/0008 starts the agreement rollups from the monthly aggregates a database already has.
    @Test func agreementRollupsStartFromTheUsageAlreadyRecorded() async throws {
        try await withFreshDatabase { url in
            let bundled = try Migration.bundled()
            let beforeRollups = Array(bundled.prefix { $0.version < 8 })
            try await Migrator(url: url, migrations: beforeRollups, logger: logger).migrate()
            let lead = UUID().uuidString.lowercased()
            let a = UUID().uuidString.lowercased()
            let b = UUID().uuidString.lowercased()
            let agreement = UUID().uuidString.lowercased()
            for statement in [
                """
                INSERT INTO cooperage.tenant (id, legal_name, slug, entity_type, state) VALUES
                    ('\(lead)', 'Lead', 'lead-\(lead)', 'state-agency', 'TX'),
                    ('\(a)', 'A', 'a-\(a)', 'city', 'TX'), ('\(b)', 'B', 'b-\(b)', 'county', 'OK')
                """,
                "INSERT INTO cooperage.supplier (id, name) VALUES ('\(agreement)', 'Supplier')",
                """
                INSERT INTO cooperage.solicitation (id, lead_tenant_id, number, title, method,
                    cooperative_language_in_solicitation, cooperative_language_in_contract, award_basis)
                VALUES ('\(agreement)', '\(lead)', 'RFP-1', 'Solicitation', 'rfp', true, true, 'best-value')
                """,
                """
                INSERT INTO cooperage.agreement (id, number, title, lead_tenant_id, solicitation_id, supplier_id, categories,
                    effective_on, expires_on)
                VALUES ('\(agreement)', 'MA-1', 'Agreement', '\(lead)', '\(agreement)', '\(agreement)', '{43210000}',
                    '2026-01-01', '2028-12-31')
                """,
                """
                INSERT INTO cooperage.usage_monthly (tenant_id, agreement_id, category, month, amount_cents, order_count,
                    list_cents, listed_paid_cents) VALUES
                    ('\(a)', '\(agreement)', '43211503', '2026-11-01', 1000, 2, 1200, 1000),
                    ('\(a)', '\(agreement)', '43211507', '2026-12-01', 500, 1, 0, 0),
                    ('\(b)', '\(agreement)', '43211503', '2026-12-01', 700, 1, 0, 0),
                    ('\(b)', '\(agreement)', '43211503', '2027-01-01', -300, 0, 0, 0)
                """,
            ] {
                try await execute(statement, on: url)
            }
            try await Migrator(url: url, logger: logger).migrate()
            let rollup = try await query(
                """
                SELECT period, coalesce(period_start::text, ''), amount_cents, order_count, list_cents, agency_count
                FROM cooperage.agreement_rollup ORDER BY period, period_start
                """,
                on: url,
                as: (String, String, Int, Int, Int, Int).self
            )
            // B's January row holds only a reversal: its amount counts, it adds no order and no agency.
            #expect(rollup.map(\.0) == ["all", "month", "month", "month", "quarter", "quarter"])
            #expect(rollup.map(\.1) == ["-infinity", "2026-11-01", "2026-12-01", "2027-01-01", "2026-10-01", "2027-01-01"])
            #expect(rollup.map(\.2) == [1900, 1000, 1200, -300, 2200, -300])
            #expect(rollup.map(\.3) == [4, 2, 2, 0, 4, 0])
            #expect(rollup.map(\.4) == [1200, 1200, 0, 0, 1200, 0])
            #expect(rollup.map(\.5) == [2, 1, 2, 0, 2, 0])
        }
    }

    @Test func concurrentRunnersDoNotRace() async throws {
        try await withFreshDatabase { url in
            let bundled = try Migration.bundled()
            async let one = Migrator(url: url, logger: logger).migrate()
            async let two = Migrator(url: url, logger: logger).migrate()
            let (a, b) = try await (one, two)
            // One runner applied everything while the other waited for the lock, then found nothing to do.
            #expect(a.count + b.count == bundled.count)
            #expect(a.isEmpty || b.isEmpty)
            let counts = try await query(
                "SELECT version, count(*)::int FROM public.cooperage_schema_migrations GROUP BY version ORDER BY version",
                on: url,
                as: (Int, Int).self
            )
            #expect(counts.map(\.0) == bundled.map(\.version))
            #expect(counts.allSatisfy { $0.1 == 1 })
        }
    }

    /// Two servers of one cluster, each with its own database, starting together: migration 1 alters
    /// cluster-wide roles (`ALTER ROLE cooperage_app SET ...`), which the per-database advisory lock does
    /// not serialize; the migrator retries such a collision.
    @Test func concurrentRunnersOnTwoDatabasesOfOneCluster() async throws {
        try await withFreshDatabase { first in
            try await withFreshDatabase { second in
                // A few rounds: the race does not show every time.
                for _ in 0..<4 {
                    async let one = Migrator(url: first, logger: logger).migrate()
                    async let two = Migrator(url: second, logger: logger).migrate()
                    _ = try await (one, two)
                }
            }
        }
    }

    @Test func aChangedAppliedMigrationStopsTheRunner() async throws {
        try await withFreshDatabase { url in
            let bundled = try Migration.bundled()
            try #require(bundled.count >= 2)
            try await Migrator(url: url, logger: logger).migrate()
            var edited = bundled
            edited[1] = Migration(version: bundled[1].version, name: bundled[1].name, sql: bundled[1].sql + "\n-- changed")
            let error = try await #require(throws: MigrationError.self) {
                try await Migrator(url: url, migrations: edited, logger: logger).migrate()
            }
            #expect(error.description.contains("changed"), "\(error)")
            #expect(error.description.contains("\(bundled[1].name).sql"), "\(error)")
            // Nothing was re-applied or re-recorded.
            let checksum = try await query(
                "SELECT checksum FROM public.cooperage_schema_migrations WHERE version = \(bundled[1].version)",
                on: url,
                as: String.self
            )
            #expect(checksum == [bundled[1].checksum])
        }
    }

    /// The error tells the operator which file to restore: it must name the file as it is on disk.
    @Test func aChangedMigrationErrorNamesTheFileOnDisk() async throws {
        try await withFreshDatabase { url in
            let bundled = try Migration.bundled()
            try await Migrator(url: url, logger: logger).migrate()
            let sqlFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("sql").path
            let file = try #require(
                try FileManager.default.contentsOfDirectory(atPath: sqlFolder).first {
                    $0.hasSuffix("_\(bundled[1].name).sql") && Int($0.prefix { $0.isNumber }) == bundled[1].version
                }
            )
            var edited = bundled
            edited[1] = Migration(version: bundled[1].version, name: bundled[1].name, sql: "SELECT 1 -- changed")
            let error = try await #require(throws: MigrationError.self) {
                try await Migrator(url: url, migrations: edited, logger: logger).migrate()
            }
            #expect(error.description.contains(file), "expected the file name \(file) in: \(error)")
        }
    }

    @Test func aDatabaseMigratedByANewerBuildIsRefused() async throws {
        try await withFreshDatabase { url in
            let bundled = try Migration.bundled()
            try await Migrator(url: url, logger: logger).migrate()

            // A build that knows fewer migrations than were applied.
            let older = try await #require(throws: MigrationError.self) {
                try await Migrator(url: url, migrations: [bundled[0]], logger: logger).migrate()
            }
            #expect(older.description.contains("\(bundled.last!.version)"), "\(older)")
            #expect(older.description.contains(bundled.last!.name), "\(older)")

            try await execute(
                "INSERT INTO public.cooperage_schema_migrations (version, name, checksum) VALUES (9999, 'from_the_future', 'x')",
                on: url
            )
            let newer = try await #require(throws: MigrationError.self) {
                try await Migrator(url: url, logger: logger).migrate()
            }
            #expect(newer.description.contains("9999"), "\(newer)")
            #expect(newer.description.contains("from_the_future"), "\(newer)")
        }
    }

    @Test func aFailingMigrationIsRolledBackAndLaterOnesRunAsTheOwner() async throws {
        try await withFreshDatabase { url in
            let bundled = try Migration.bundled()
            let next = bundled.last!.version + 1
            let broken =
                bundled + [
                    Migration(version: next, name: "broken", sql: "CREATE TABLE half_done (x int);\nSELECT * FROM no_such_table;")
                ]
            let error = try await #require(throws: MigrationError.self) {
                try await Migrator(url: url, migrations: broken, logger: logger).migrate()
            }
            #expect(error.description.contains("broken"), "\(error)")
            #expect(try await query("SELECT to_regclass('cooperage.half_done') IS NULL", on: url, as: Bool.self) == [true])
            let versions = try await query(
                "SELECT version FROM public.cooperage_schema_migrations ORDER BY version",
                on: url,
                as: Int.self
            )
            #expect(versions == bundled.map(\.version), "the earlier migrations stay applied, the broken one is not recorded")

            let fixed = bundled + [Migration(version: next, name: "fixed", sql: "CREATE TABLE half_done (x int);")]
            let applied = try await Migrator(url: url, migrations: fixed, logger: logger).migrate()
            #expect(applied.map(\.version) == [next])
            let owner = try await query(
                "SELECT tableowner::text FROM pg_tables WHERE schemaname = 'cooperage' AND tablename = 'half_done'",
                on: url,
                as: String.self
            )
            #expect(owner == ["cooperage_owner"])
        }
    }

    // MARK: Helpers

    /// Creates an empty database in the test cluster, runs `body` with its URL, and drops it.
    func withFreshDatabase(_ body: (DatabaseURL) async throws -> Void) async throws {
        let admin = try await TestDatabase.adminURL()
        let name = "mig_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        try await execute("CREATE DATABASE \(name)", on: admin)
        var url = admin
        url.database = name
        do {
            try await body(url)
        } catch {
            try? await execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", on: admin)
            throw error
        }
        try await execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", on: admin)
    }

    func execute(_ sql: String, on url: DatabaseURL) async throws {
        let connection = try await url.connect(logger: logger)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    func query<each T: PostgresDecodable & Sendable>(_ sql: String, on url: DatabaseURL, as type: (repeat each T).Type)
        async throws
        -> [(repeat each T)]
    {
        let connection = try await url.connect(logger: logger)
        do {
            var rows: [(repeat each T)] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(type) {
                rows.append(row)
            }
            try await connection.close()
            return rows
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

/// Reading migration files from a folder.
@Suite struct MigrationLoadingTests {
    func folder(_ files: [String: String]) throws -> String {
        let path = NSTemporaryDirectory() + "cooperage-mig-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: "\(path)/\(name)", atomically: true, encoding: .utf8) }
        return path
    }

    @Test func filesLoadInNumericOrder() throws {
        let path = try folder([
            "0010_ten.sql": "SELECT 10;", "0002_two.sql": "SELECT 2;", "0001_one.sql": "SELECT 1;", "README.md": "not sql",
        ])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let migrations = try Migration.load(directory: path)
        #expect(migrations.map(\.version) == [1, 2, 10])
        #expect(migrations.map(\.name) == ["one", "two", "ten"])
        #expect(migrations[1].sql == "SELECT 2;")
        #expect(migrations[0].checksum != migrations[1].checksum)
        #expect(migrations[0].checksum == Migration(version: 1, name: "other", sql: "SELECT 1;").checksum)
        #expect(migrations[0].checksum.count == 64)
    }

    @Test func badNamesAndDuplicateNumbersAreRefused() throws {
        let misnamed = try folder(["0001_one.sql": "SELECT 1;", "schema.sql": "SELECT 2;"])
        defer { try? FileManager.default.removeItem(atPath: misnamed) }
        let error = try #require(throws: MigrationError.self) { try Migration.load(directory: misnamed) }
        #expect(error.description.contains("schema.sql"))

        let duplicated = try folder(["0001_one.sql": "SELECT 1;", "1_uno.sql": "SELECT 1;"])
        defer { try? FileManager.default.removeItem(atPath: duplicated) }
        #expect(throws: MigrationError.self) { try Migration.load(directory: duplicated) }
    }

    @Test func bundledMigrationsAreNumberedFromOneWithoutGaps() throws {
        let bundled = try Migration.bundled()
        #expect(bundled.map(\.version) == Array(1...bundled.count))
        #expect(bundled.allSatisfy { !SQLScript.statements(in: $0.sql).isEmpty })
    }
}

/// Splitting SQL files into statements.
@Suite struct SQLScriptTests {
    /// Collapses runs of whitespace, since comments are replaced by a space.
    func normalized(_ statements: [String]) -> [String] {
        statements.map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
    }

    @Test func splitsOnSemicolons() {
        #expect(SQLScript.statements(in: "CREATE TABLE a (x int);\nSELECT 1;") == ["CREATE TABLE a (x int)", "SELECT 1"])
        #expect(SQLScript.statements(in: "SELECT 1") == ["SELECT 1"])
    }

    @Test func semicolonsInsideQuotesDoNotSplit() {
        let script = #"SELECT ';'; SELECT 'it''s; fine'; SELECT "odd;name" FROM t; SELECT '-- not; a comment'"#
        #expect(
            SQLScript.statements(in: script) == [
                "SELECT ';'", "SELECT 'it''s; fine'", #"SELECT "odd;name" FROM t"#, "SELECT '-- not; a comment'",
            ]
        )
    }

    @Test func dollarQuotedBodiesKeepTheirSemicolons() {
        let script = """
            CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;
            DO $body$ BEGIN PERFORM 1; RAISE NOTICE 'a;b'; END $body$;
            CREATE FUNCTION g() RETURNS text LANGUAGE sql AS $fn$ SELECT $$inner; text$$ $fn$;
            SELECT $1;
            SELECT 2
            """
        #expect(
            SQLScript.statements(in: script) == [
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$",
                "DO $body$ BEGIN PERFORM 1; RAISE NOTICE 'a;b'; END $body$",
                "CREATE FUNCTION g() RETURNS text LANGUAGE sql AS $fn$ SELECT $$inner; text$$ $fn$",
                "SELECT $1",
                "SELECT 2",
            ]
        )
    }

    @Test func commentsAreDropped() {
        let script = """
            -- leading; comment
            SELECT 1; -- trailing; comment
            /* block; comment */ SELECT 2;
            SELECT /* inline; */ 3;
            /* outer /* nested; */ still comment; */ SELECT 4;
            -- a final comment without newline;
            """
        #expect(normalized(SQLScript.statements(in: script)) == ["SELECT 1", "SELECT 2", "SELECT 3", "SELECT 4"])
    }

    @Test func emptyStatementsAreSkipped() {
        #expect(SQLScript.statements(in: "") == [])
        #expect(SQLScript.statements(in: ";;; ;\n\t;") == [])
        #expect(SQLScript.statements(in: "-- only a comment\n/* and another */;") == [])
        #expect(SQLScript.statements(in: "SELECT 1;;;SELECT 2;\n;") == ["SELECT 1", "SELECT 2"])
    }
}

/// Parsing `database.url`.
@Suite struct DatabaseURLTests {
    @Test func socketFolderInTheHostQuery() throws {
        let url = try DatabaseURL(parsing: "postgresql://postgres@/cooperage?host=/tmp/coop-sock")
        #expect(url.user == "postgres")
        #expect(url.password == nil)
        #expect(url.socketDirectory == "/tmp/coop-sock")
        #expect(url.host == nil)
        #expect(url.database == "cooperage")
        #expect(url.port == 5432)
        #expect(url.tls == .disable)
        #expect(url.redacted == "postgresql://postgres@/cooperage?host=/tmp/coop-sock")
    }

    @Test func userPasswordHostAndPort() throws {
        let url = try DatabaseURL(parsing: "postgresql://alice:s%40cr%3At@db.example.com:6543/coop")
        #expect(url.user == "alice")
        #expect(url.password == "s@cr:t")
        #expect(url.host == "db.example.com")
        #expect(url.port == 6543)
        #expect(url.socketDirectory == nil)
        #expect(url.database == "coop")
        #expect(url.tls == .prefer, "a remote server gets TLS when it offers it")
        #expect(url.redacted == "postgresql://alice:****@db.example.com:6543/coop")
        #expect(!url.redacted.contains("s@cr"))
    }

    /// A password is percent-decoded once: `%2541` is the three characters `%41`, not `A`.
    @Test func passwordsAreDecodedExactlyOnce() throws {
        let url = try DatabaseURL(parsing: "postgresql://alice:x%2541y@db.example.com/coop")
        #expect(url.password == "x%41y")
    }

    @Test func sslModes() throws {
        let base = "postgresql://u@db.example.com/coop?sslmode="
        for (mode, tls) in [
            ("disable", DatabaseURL.TLSMode.disable), ("allow", .disable), ("prefer", .prefer), ("require", .require),
            ("verify-ca", .require), ("verify-full", .require),
        ] {
            #expect(try DatabaseURL(parsing: base + mode).tls == tls, "sslmode=\(mode)")
        }
        #expect(throws: DatabaseURLError.self) { try DatabaseURL(parsing: base + "sometimes") }
        // Local servers default to no TLS.
        #expect(try DatabaseURL(parsing: "postgres://bob@localhost/coop").tls == .disable)
        #expect(try DatabaseURL(parsing: "postgres://bob@127.0.0.1/coop").tls == .disable)
    }

    @Test func defaultsAndQueryParameters() throws {
        let bare = try DatabaseURL(parsing: "postgresql:///coop")
        #expect(bare.user == "postgres")
        #expect(bare.host == "localhost")
        #expect(bare.port == 5432)
        #expect(bare.database == "coop")

        let queried = try DatabaseURL(parsing: "postgresql:///?dbname=coop&user=carol&host=/run/postgresql&port=5433")
        #expect(queried.database == "coop")
        #expect(queried.user == "carol")
        #expect(queried.socketDirectory == "/run/postgresql")
        #expect(queried.port == 5433)

        let tcpHost = try DatabaseURL(parsing: "postgresql:///coop?host=db.internal")
        #expect(tcpHost.host == "db.internal")
        #expect(tcpHost.socketDirectory == nil)
    }

    @Test func invalidURLsAreRefused() {
        for text in ["mysql://u@h/db", "not a url", "postgresql://u@db.example.com", "postgresql://u@db.example.com/"] {
            #expect(throws: DatabaseURLError.self, "\(text)") { try DatabaseURL(parsing: text) }
        }
    }

    @Test func anotherRoleOnTheSameServer() throws {
        let url = try DatabaseURL(parsing: "postgresql://admin:pw@db.example.com:6000/coop?sslmode=require")
        let app = url.with(user: "cooperage_app", password: nil)
        #expect(app.user == "cooperage_app")
        #expect(app.password == nil)
        #expect(app.host == url.host)
        #expect(app.port == 6000)
        #expect(app.database == "coop")
        #expect(app.tls == .require)
    }
}

/// Token texts and their hashes.
@Suite struct TokenSecretTests {
    @Test func agencyTokensCarryTheirTenant() {
        let tenant = UUID()
        let token = TokenSecret.generate(tenantID: tenant)
        #expect(token.text.hasPrefix("cpa_"))
        #expect(token.tenantID == tenant)
        #expect(TokenSecret(text: token.text).tenantID == tenant)
        let secret = String(token.text.dropFirst(4 + 32 + 1))
        #expect(secret.count == 43, "32 bytes in unpadded base64url")
        #expect(secret.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" })
    }

    @Test func cooperativeAndOtherTokensHaveNoTenant() {
        let token = TokenSecret.generate(tenantID: nil)
        #expect(token.text.hasPrefix("cpc_"))
        #expect(token.tenantID == nil)
        #expect(TokenSecret(text: "an-operator-chosen-bootstrap-token").tenantID == nil)
        #expect(TokenSecret(text: "cpa_tooshort_secret").tenantID == nil)
        #expect(TokenSecret(text: "cpa_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz_secret").tenantID == nil)
    }

    @Test func theHashIsAStableSHA256() {
        let token = TokenSecret(text: "abc")
        #expect(token.hash == TokenSecret(text: "abc").hash)
        #expect(token.hash.count == 32)
        #expect(
            token.hash.map { String(format: "%02x", $0) }.joined()
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )
        #expect(token.hash != TokenSecret(text: "abd").hash)
    }

    @Test func generatedTokensDiffer() {
        let tenant = UUID()
        let tokens = (0..<200).map { _ in TokenSecret.generate(tenantID: tenant).text }
        #expect(Set(tokens).count == tokens.count)
        #expect(TokenSecret.generate(tenantID: nil) != TokenSecret.generate(tenantID: nil))
    }
}
