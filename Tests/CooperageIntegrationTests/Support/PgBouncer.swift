import CooperageStore
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A real PgBouncer (Debian's package: 1.18, which keeps no named prepared statement in transaction mode) in front of
/// the test cluster, in transaction pooling mode with a tiny pool of server connections, listening on a free port
/// of 127.0.0.1. `.ci/run` installs it when missing; a test that needs it fails when it is not there.
///
/// It runs as the `postgres` user when the tests run as root (PgBouncer refuses root), from a folder of its own in
/// the temporary directory (configuration, user list, log, pid file), in daemon mode; ``stop()`` ends it, and a
/// watchdog does should the test process end first. Clients are trusted (`auth_type = trust`, the user list names
/// them), as the embedded test cluster trusts its socket; it reaches the cluster over its Unix socket.
final class PgBouncer: Sendable {
    let port: Int
    let directory: URL
    private let pid: Int32

    private init(port: Int, directory: URL, pid: Int32) {
        self.port = port
        self.directory = directory
        self.pid = pid
    }

    var log: String { (try? String(contentsOf: directory.appendingPathComponent("pgbouncer.log"), encoding: .utf8)) ?? "" }

    /// The URL of `database` through this PgBouncer, as `user` (a server's pool replaces it by `cooperage_app`).
    func url(database: String, user: String = "postgres") -> DatabaseURL {
        DatabaseURL(user: user, host: "127.0.0.1", port: port, database: database, tls: .disable)
    }

    /// Starts one in front of the test cluster, runs `body`, and stops it however `body` ends.
    /// - Parameters:
    ///   - poolSize: server connections per database and user (`default_pool_size`); every client shares them.
    ///   - ignoredStartupParameters: PgBouncer's `ignore_startup_parameters` (Debian's default configuration has none).
    static func with<T: Sendable>(
        poolSize: Int = 2,
        ignoredStartupParameters: [String] = [],
        _ body: (PgBouncer) async throws -> T
    ) async throws -> T {
        let bouncer = try await start(poolSize: poolSize, ignoredStartupParameters: ignoredStartupParameters)
        do {
            let result = try await body(bouncer)
            await bouncer.stop()
            return result
        } catch {
            await bouncer.stop()
            throw error
        }
    }

    static func start(poolSize: Int, ignoredStartupParameters: [String]) async throws -> PgBouncer {
        let binary = try executable()
        let cluster = try await TestDatabase.adminURL()
        let runAs = geteuid() == 0 ? "postgres" : nil
        let port = try ServerProcess.freePort()
        let directory = URL(fileURLWithPath: "/tmp/cooperage-pgbouncer-\(UUID().uuidString.prefix(8).lowercased())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let server =
            if let socket = cluster.socketDirectory { "host=\(socket) port=\(cluster.port)" } else {
                "host=\(cluster.host ?? "localhost") port=\(cluster.port)"
            }
        let configuration = """
            [databases]
            * = \(server)

            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = \(port)
            unix_socket_dir =
            auth_type = trust
            auth_file = \(directory.path)/users.txt
            pool_mode = transaction
            default_pool_size = \(poolSize)
            min_pool_size = 0
            reserve_pool_size = 0
            max_client_conn = 200
            logfile = \(directory.path)/pgbouncer.log
            pidfile = \(directory.path)/pgbouncer.pid
            \(ignoredStartupParameters.isEmpty ? "" : "ignore_startup_parameters = \(ignoredStartupParameters.joined(separator: ","))")

            """
        // With trust, PgBouncer still wants each user in its list; the password is what it gives the server.
        let users =
            [(cluster.user, cluster.password ?? ""), ("cooperage_app", "")]
            .map { "\"\($0.0)\" \"\($0.1)\"" }.joined(separator: "\n") + "\n"
        try configuration.write(to: directory.appendingPathComponent("pgbouncer.ini"), atomically: true, encoding: .utf8)
        try users.write(to: directory.appendingPathComponent("users.txt"), atomically: true, encoding: .utf8)
        if let runAs {
            for path in [directory.path, directory.path + "/pgbouncer.ini", directory.path + "/users.txt"] {
                try FileManager.default.setAttributes([.ownerAccountName: runAs], ofItemAtPath: path)
            }
        }
        let launch = try ChildProcess.spawn(
            (runAs.map { ["/usr/sbin/runuser", "-u", $0, "--"] } ?? []) + [binary, "-d", directory.path + "/pgbouncer.ini"],
            environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]
        )
        let launched = await launch.wait(upTo: .seconds(20))
        // In daemon mode the command returns once PgBouncer has forked; its pid file and port follow.
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOf: directory.appendingPathComponent("pgbouncer.pid"), encoding: .utf8),
                let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), accepts(port: port)
            {
                ProcessWatchdog.stopWhenTestsEnd(pid: pid)
                return PgBouncer(port: port, directory: directory, pid: pid)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let log = (try? String(contentsOf: directory.appendingPathComponent("pgbouncer.log"), encoding: .utf8)) ?? ""
        throw HarnessFailure(
            "PgBouncer did not start (exit status \(launched.map(String.init) ?? "none")) on port \(port):\n\(log.suffix(2000))"
        )
    }

    /// Stops PgBouncer (SIGTERM: 1.18 shuts down at once, closing its connections) and removes its folder.
    func stop() async {
        kill(pid, SIGTERM)
        for _ in 0..<100 where kill(pid, 0) == 0 { try? await Task.sleep(for: .milliseconds(20)) }
        if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(at: directory)
    }

    /// PgBouncer's executable: `PGBOUNCER` when set, else Debian's (`/usr/sbin/pgbouncer`) or another usual place.
    static func executable() throws -> String {
        let given = ProcessInfo.processInfo.environment["PGBOUNCER"].map { [$0] } ?? []
        let candidates =
            given + ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer", "/usr/local/bin/pgbouncer", "/usr/local/sbin/pgbouncer"]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw HarnessFailure(
                "PgBouncer is not installed (looked at \(candidates.joined(separator: ", "))): apt-get install pgbouncer (.ci/run does), or set PGBOUNCER"
            )
        }
        return found
    }

    private static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
