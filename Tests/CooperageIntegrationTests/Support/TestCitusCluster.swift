import Foundation
import PostgresNIO

@testable import CooperageStore

#if canImport(Glibc)
    import Glibc
#endif

/// A real Citus cluster on this machine: a coordinator and two workers, three PostgreSQL servers with Citus preloaded,
/// each in a folder of its own under /tmp, on free TCP ports of 127.0.0.1 (the coordinator reaches the workers that
/// way). It is made as `deploy/citus/README.md` says an operator makes one: the database migrated while it is still
/// ordinary, then Citus created, the workers added, and the three scripts of `deploy/citus` run in order.
///
/// Citus is not packaged for Debian 12's PostgreSQL 15, so this needs it built from source (`deploy/citus/README.md`
/// says how); ``isInstalled`` tells the suites that need it. As root the servers run as the `postgres` user; a
/// watchdog stops them when the test process ends.
struct TestCitusCluster: Sendable {
    let directory: String
    /// The coordinator's superuser and database.
    let url: DatabaseURL
    let ports: [Int]
    private let binaries: PostgresBinaries
    private let runAsUser: String?

    /// Whether the Citus extension is installed in the PostgreSQL the tests use (its library beside the binaries, in
    /// `lib`, as in Debian's layout and a source build's).
    static let isInstalled: Bool = {
        guard let binaries = try? PostgresBinaries.locate() else { return false }
        let library = URL(fileURLWithPath: binaries.directory).deletingLastPathComponent().appendingPathComponent("lib/citus.so")
        return FileManager.default.fileExists(atPath: library.path)
    }()

    /// Starts the three servers, migrates the coordinator's database and distributes it with `deploy/citus`.
    static func start() async throws -> TestCitusCluster {
        let binaries = try PostgresBinaries.locate()
        let folder = try ScratchClusterFolder(prefix: "cooperage-citus")
        let directory = folder.path
        let ports = try (0..<3).map { _ in try ServerProcess.freePort() }
        let cluster = TestCitusCluster(
            directory: directory,
            url: DatabaseURL(user: "postgres", host: "127.0.0.1", port: ports[0], database: "cooperage", tls: .disable),
            ports: ports,
            binaries: binaries,
            runAsUser: folder.runAsUser
        )
        if ProcessInfo.processInfo.environment["TEST_CITUS_KEEP"] == nil {
            try folder.cleanUpAfterExit(stopping: ports.indices.map { "\(directory)/node\($0)" }, pgCtl: binaries.pgCtl)
        }
        for (node, port) in ports.enumerated() {
            let data = "\(directory)/node\(node)"
            try cluster.run(
                "initdb",
                [binaries.directory + "/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]
            )
            // Two-phase commit for transactions that touch several workers; Citus needs wal_level logical for moves.
            let options = [
                "port=\(port)", "listen_addresses='127.0.0.1'", "unix_socket_directories='\(directory)'",
                "shared_preload_libraries='citus'", "max_connections=200", "max_prepared_transactions=100", "fsync=off",
                "wal_level=logical",
            ].map { "-c \($0)" }.joined(separator: " ")
            try cluster.run(
                "pg_ctl start",
                [binaries.pgCtl, "start", "-D", data, "-l", "\(directory)/node\(node).log", "-w", "-t", "60", "-o", options]
            )
            try cluster.psql(port: port, database: "postgres", command: "CREATE DATABASE cooperage")
        }
        for port in ports.dropFirst() { try cluster.psql(port: port, command: "CREATE EXTENSION citus") }
        // 1. Migrated while ordinary (the migrations' session lock needs a direct connection; README step 1).
        try await Migrator(url: cluster.url, logger: TestDatabase.logger).migrate()
        // 2. Citus on the coordinator, and the workers added.
        try cluster.psql(
            port: ports[0],
            command: """
                CREATE EXTENSION citus;
                SELECT citus_set_coordinator_host('127.0.0.1', \(ports[0]));
                SELECT citus_add_node('127.0.0.1', \(ports[1]));
                SELECT citus_add_node('127.0.0.1', \(ports[2]));
                """
        )
        // 3. The operator's scripts, in order.
        for script in ["01_roles.sql", "02_distribute.sql", "03_functions.sql"] {
            try cluster.psql(port: ports[0], file: Self.deployDirectory + "/" + script)
        }
        return cluster
    }

    /// `deploy/citus` of this checkout.
    static var deployDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("deploy/citus").path
    }

    /// Stops the three servers and removes the folder (unless `TEST_CITUS_KEEP` is set, to read the nodes' logs).
    func remove() {
        if ProcessInfo.processInfo.environment["TEST_CITUS_KEEP"] != nil { return }
        for node in 0..<3 {
            _ = try? ProcessRunner.run(
                [binaries.pgCtl, "stop", "-D", "\(directory)/node\(node)", "-m", "immediate", "-w"],
                asUser: runAsUser
            )
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs SQL (several statements, as psql does) as the superuser of the node on `port`; any error fails.
    func psql(port: Int, database: String = "cooperage", command: String? = nil, file: String? = nil) throws {
        var arguments = [
            binaries.directory + "/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", directory, "-p", String(port), "-U",
            "postgres", "-d", database,
        ]
        if let command { arguments += ["-c", command] }
        if let file { arguments += ["-f", file] }
        try run("psql \(file ?? command ?? "")", arguments)
    }

    private func run(_ step: String, _ arguments: [String]) throws {
        let result = try ProcessRunner.run(arguments, asUser: runAsUser)
        guard result.status == 0 else {
            let logs = (0..<3).map { (try? String(contentsOfFile: "\(directory)/node\($0).log", encoding: .utf8)) ?? "" }
            throw HarnessFailure(
                "Citus cluster: \(step) failed (\(result.status)):\n\(result.output)\n\(logs.map { String($0.suffix(1500)) }.joined(separator: "\n---\n"))"
            )
        }
    }
}
