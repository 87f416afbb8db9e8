import Foundation

/// Where the installed PostgreSQL server programs (`initdb`, `pg_ctl`, `postgres`) are.
public struct PostgresBinaries: Sendable {
    public let directory: String

    public var initdb: String { directory + "/initdb" }
    public var pgCtl: String { directory + "/pg_ctl" }
    public var pgDump: String { directory + "/pg_dump" }

    /// Looks in `PG_BINDIR`, then `pg_config --bindir`, then Debian's and the source build's folders.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresBinaries {
        var candidates: [String] = []
        if let explicit = environment["PG_BINDIR"], !explicit.isEmpty { candidates.append(explicit) }
        for pgConfig in ["/usr/bin/pg_config", "/usr/local/bin/pg_config"]
        where FileManager.default.isExecutableFile(atPath: pgConfig) {
            if let result = try? ProcessRunner.run([pgConfig, "--bindir"]), result.status == 0 {
                candidates.append(result.output.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        // Debian keeps server binaries out of PATH, one folder per major version; prefer the newest.
        let debianVersions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in debianVersions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            candidates.append("/usr/lib/postgresql/\(version)/bin")
        }
        candidates += ["/usr/local/pgsql/bin", "/usr/local/bin", "/usr/bin", "/opt/homebrew/bin"]
        for directory in candidates {
            let binaries = PostgresBinaries(directory: directory)
            if FileManager.default.isExecutableFile(atPath: binaries.initdb),
                FileManager.default.isExecutableFile(atPath: binaries.pgCtl)
            {
                return binaries
            }
        }
        throw EmbeddedPostgresError(
            """
            No PostgreSQL server programs (initdb, pg_ctl) were found. Install them, for example \
            `apt-get install postgresql` on Debian or Ubuntu (the package `postgresql-15` or newer), or set \
            PG_BINDIR to their folder, or set database.url (DATABASE_URL) to use an existing PostgreSQL server.
            """
        )
    }
}
