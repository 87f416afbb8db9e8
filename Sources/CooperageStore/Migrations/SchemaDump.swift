import Foundation
import Logging

/// `sql/schema.sql`: the live schema in one file (every table, index, policy, function, grant and owner), as
/// `pg_dump --schema-only` prints a freshly migrated database. The numbered migrations stay the history the
/// database applies; this file is what they add up to, is never applied, and is kept equal to them by a test.
///
/// ```swift
/// let schema = try await SchemaDump.ofFreshDatabase(logger: logger)  // `cooperage db schema`
/// let same = try await SchemaDump.dump(migratedURL)                    // SchemaFileTests
/// ```
/// Both go through ``dump(_:binaries:)``, so the file and the test's dump are normalized alike.
public enum SchemaDump {
    /// The command that writes `sql/schema.sql`, as the test that compares it names it.
    public static let regenerateCommand = "swift run cooperage db schema --output sql/schema.sql"

    /// Migrates a new database in a throwaway cluster of its own (never the configured one, so nothing but the
    /// migrations shapes it) and dumps it.
    public static func ofFreshDatabase(logger: Logger) async throws -> String {
        let cluster = try EmbeddedPostgres(directory: "/tmp/cooperage-schema-\(UUID().uuidString.prefix(8))", durable: false)
        try cluster.start()
        // Stops and removes it even if this process is interrupted.
        try cluster.removeWhenProcessExits()
        defer {
            try? cluster.stop()
            try? FileManager.default.removeItem(atPath: cluster.directory)
        }
        let url = try DatabaseURL(parsing: cluster.url)
        try await Migrator(url: url, logger: logger).migrate()
        return try await dump(url, binaries: cluster.binaries)
    }

    /// The normalized schema of the database at `url`, which is expected to be freshly migrated.
    ///
    /// Left out, so the text is the same on every machine with PostgreSQL 15: the migration runner's bookkeeping
    /// table, the server and pg_dump version lines, the random key of the `\restrict` lines that newer point
    /// releases add, and column compression (lz4 where PostgreSQL was built with it, sql/0017).
    public static func dump(_ url: DatabaseURL, binaries: PostgresBinaries? = nil) async throws -> String {
        // pg_dump is waited for on a dispatch thread, not on one of the few that Swift concurrency runs tasks on.
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String, any Error>) in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try dumpWaiting(url, binaries: binaries) })
            }
        }
    }

    private static func dumpWaiting(_ url: DatabaseURL, binaries: PostgresBinaries?) throws -> String {
        let binaries = try binaries ?? PostgresBinaries.locate()
        guard FileManager.default.isExecutableFile(atPath: binaries.pgDump) else {
            throw EmbeddedPostgresError("pg_dump was not found in \(binaries.directory), beside initdb and pg_ctl.")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cooperage-schema-\(UUID().uuidString).sql")
            .path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = try ProcessRunner.run(
            [
                binaries.pgDump, "--schema-only", "--encoding=UTF8", "--no-toast-compression",
                "--exclude-table=public.cooperage_schema_migrations", "--file=\(file)", "--dbname=\(connectionString(url))",
            ],
            environment: url.password.map { ["PGPASSWORD": $0] } ?? [:]
        )
        guard result.status == 0, let raw = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw EmbeddedPostgresError("pg_dump of \(url.redacted) failed:\n\(result.output)")
        }
        return normalized(raw)
    }

    /// Says what the file is and how it is made, at its top.
    public static let header =
        [
            "-- The live schema: what the numbered migrations beside this file add up to, as `pg_dump --schema-only` prints",
            "-- a freshly migrated database (tables, indexes, row-level security policies, functions, triggers, owners and",
            "-- grants). Generated and never applied: do not edit it. After adding a migration, regenerate it with",
            "--     \(regenerateCommand)",
            "-- (SchemaFileTests fails until it matches).",
            "", "",
        ].joined(separator: "\n")

    /// pg_dump's text without what differs between machines and runs; a line dropped takes the blank line after it
    /// along, so dumps with and without `\restrict` lines come out the same.
    public static func normalized(_ raw: String) -> String {
        var kept: [Substring] = []
        var droppedLast = false
        for line in raw.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("-- Dumped from database version ") || line.hasPrefix("-- Dumped by pg_dump version ")
                || line.hasPrefix("\\restrict ") || line.hasPrefix("\\unrestrict ")
            {
                droppedLast = true
                continue
            }
            if droppedLast && line.isEmpty {
                droppedLast = false
                continue
            }
            droppedLast = false
            kept.append(line)
        }
        while kept.last?.isEmpty == true { kept.removeLast() }
        return header + kept.joined(separator: "\n") + "\n"
    }

    /// libpq's `keyword='value'` form of `url`, without the password (pg_dump gets it from its environment).
    static func connectionString(_ url: DatabaseURL) -> String {
        let parts = [
            ("host", url.socketDirectory ?? url.host ?? "localhost"), ("port", String(url.port)), ("user", url.user),
            ("dbname", url.database), ("sslmode", url.tls.rawValue),
        ]
        return parts.map { key, value in
            "\(key)='" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        }.joined(separator: " ")
    }
}
