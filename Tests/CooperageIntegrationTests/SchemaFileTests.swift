import CooperageStore
import Foundation
import Testing

/// `sql/schema.sql`, the live schema in one file, is what the migrations add up to.
@Suite struct SchemaFileTests {
    @Test func schemaFileIsTheDumpOfAFreshlyMigratedDatabase() async throws {
        let url = try await TestDatabase.fresh(prefix: "schema")
        let dumped = try await SchemaDump.dump(url)
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("sql/schema.sql").path
        guard let committed = try? String(contentsOfFile: path, encoding: .utf8) else {
            Issue.record("sql/schema.sql is missing: write it with `\(SchemaDump.regenerateCommand)`")
            return
        }
        guard committed != dumped else { return }
        let expected = committed.split(separator: "\n", omittingEmptySubsequences: false)
        let actual = dumped.split(separator: "\n", omittingEmptySubsequences: false)
        let line = expected.indices.first { $0 >= actual.count || expected[$0] != actual[$0] } ?? expected.count
        Issue.record(
            """
            sql/schema.sql is not the schema of a freshly migrated database: regenerate it with
                \(SchemaDump.regenerateCommand)
            and commit it with the migration. First difference at line \(line + 1):
              file:     \(line < expected.count ? String(expected[line]) : "(end of file)")
              database: \(line < actual.count ? String(actual[line]) : "(end of file)")
            """
        )
    }

    /// What differs between machines and pg_dump point releases is left out, the rest kept as it is.
    @Test func normalizationDropsVersionsAndRestrictKeys() {
        let older = """
            --
            -- PostgreSQL database dump
            --

            -- Dumped from database version 15.13 (Debian 15.13-0+deb12u1)
            -- Dumped by pg_dump version 15.13 (Debian 15.13-0+deb12u1)

            SET statement_timeout = 0;

            CREATE SCHEMA cooperage;


            --
            -- PostgreSQL database dump complete
            --


            """
        let newer = """
            --
            -- PostgreSQL database dump
            --

            \\restrict SG9u24s0S88Xzf42tOLkDR03AveCJ6ElUUetchKF3lnNXgZq0HLsM8Jhni5xTGr

            -- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
            -- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

            SET statement_timeout = 0;

            CREATE SCHEMA cooperage;


            --
            -- PostgreSQL database dump complete
            --

            \\unrestrict SG9u24s0S88Xzf42tOLkDR03AveCJ6ElUUetchKF3lnNXgZq0HLsM8Jhni5xTGr

            """
        let normalized = SchemaDump.normalized(newer)
        #expect(normalized == SchemaDump.normalized(older))
        #expect(normalized.hasPrefix(SchemaDump.header))
        #expect(normalized.hasSuffix("--\n-- PostgreSQL database dump complete\n--\n"))
        #expect(normalized.contains("--\n\nSET statement_timeout = 0;\n\nCREATE SCHEMA cooperage;\n\n\n--"))
        #expect(!normalized.contains("restrict") && !normalized.contains("Dumped"))
    }
}
