import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A private PostgreSQL cluster in a folder of its own, listening on a Unix socket in that folder only.
///
/// Cooperage uses it when no `database.url` is configured, and the tests use it with a throwaway folder.
/// ```swift
/// let embedded = try EmbeddedPostgres(directory: ".cooperage/postgres")
/// try embedded.start()          // initdb on first use, then pg_ctl start
/// let url = embedded.url        // postgresql://postgres@/cooperage?host=/abs/.cooperage/postgres
/// try embedded.stop()
/// ```
/// Layout: `<directory>/data` is the cluster, `<directory>/.s.PGSQL.5432` its socket,
/// `<directory>/postgres.log` its log, `<directory>/cooperage.lock` held while a process uses it.
/// When the process runs as root, `initdb` and `postgres` run as the `postgres` user, which must own
/// the folder and be able to reach it.
public final class EmbeddedPostgres: @unchecked Sendable {
    public let directory: String
    public let databaseName: String
    public let superuser = "postgres"
    let binaries: PostgresBinaries
    let runAsUser: String?
    let settings: [String: String]
    private var lockDescriptor: Int32 = -1

    /// The socket port number; with no TCP listener it only names the socket file.
    static let port = 5432

    /// - Parameters:
    ///   - directory: the folder of the cluster, created if missing; relative paths are resolved against the working directory.
    ///   - databaseName: the database Cooperage uses inside the cluster.
    ///   - durable: false for throwaway test clusters (no fsync), true for real data.
    public init(directory: String, databaseName: String = "cooperage", durable: Bool = true) throws {
        let absolute = URL(fileURLWithPath: directory, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL.path
        self.directory = absolute
        self.databaseName = databaseName
        self.binaries = try PostgresBinaries.locate()
        self.runAsUser = geteuid() == 0 ? "postgres" : nil
        var settings = [
            "listen_addresses": "''",
            "unix_socket_directories": "'\(absolute)'",
            "max_connections": "300",
        ]
        if !durable {
            settings["fsync"] = "off"
            settings["synchronous_commit"] = "off"
            settings["full_page_writes"] = "off"
        }
        self.settings = settings
        let socketPath = "\(absolute)/.s.PGSQL.\(Self.port)"
        // sun_path holds 108 bytes with its terminator on Linux; PostgreSQL adds a lock file name beside it.
        guard socketPath.utf8.count <= 100 else {
            throw EmbeddedPostgresError(
                """
                The embedded database folder \(absolute) is too deep: its socket path would be \
                \(socketPath.utf8.count) bytes, and Unix sockets allow about 100. Set \
                database.embedded.directory (DATABASE_EMBEDDED_DIRECTORY) to a shorter path.
                """
            )
        }
    }

    public var dataDirectory: String { directory + "/data" }
    public var logFile: String { directory + "/postgres.log" }

    /// A URL for the cluster's superuser, which `psql` accepts and the migration runner uses.
    public var url: String { "postgresql://\(superuser)@/\(databaseName)?host=\(directory)" }

    /// Creates the cluster on first use, starts it unless it already runs for us, and creates the database.
    public func start() throws {
        try prepareDirectory()
        try acquireLock()
        if !FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION") {
            try initialize()
        }
        if try !isRunning() {
            try launch()
        }
        try createDatabaseIfMissing()
    }

    /// Starts the cluster again after its postmaster died (killed, or crashed): PostgreSQL replays its
    /// write-ahead log on start, so every committed transaction is there again. For
    /// ``EmbeddedPostgresSupervisor``, which calls it when ``isPostmasterAlive`` turns false.
    public func restartAfterCrash() throws {
        try launch()
    }

    /// The postmaster's process id, from the first line of `data/postmaster.pid`; nil when there is none.
    public var postmasterPID: pid_t? {
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
            let first = text.split(separator: "\n", maxSplits: 1).first,
            let pid = pid_t(first.trimmingCharacters(in: .whitespaces)), pid > 0
        else { return nil }
        return pid
    }

    /// True while the postmaster named in `postmaster.pid` runs.
    public var isPostmasterAlive: Bool {
        postmasterPID.map(Self.isPostgresProcess) ?? false
    }

    /// Whether `pid` is a live process, and on Linux a PostgreSQL one. A postmaster killed while its parent does not
    /// reap children (PID 1 in many containers: `pg_ctl` leaves the postmaster to it) stays a zombie, which
    /// `kill(pid, 0)`, `pg_ctl status` and PostgreSQL's own lock-file check all take for a running server.
    static func isPostgresProcess(_ pid: pid_t) -> Bool {
        if kill(pid, 0) != 0, errno == ESRCH { return false }
        #if os(Linux)
            if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            {
                // "pid (comm) S ...": the state follows the command name, which may itself hold spaces and parentheses.
                let state = stat[stat.index(after: close)...].drop { $0 == " " }.first
                if state == "Z" || state == "X" { return false }
                let command = stat[stat.index(after: stat.firstIndex(of: "(") ?? stat.startIndex)..<close]
                // The pid was reused by another program after the postmaster was reaped.
                if !command.hasPrefix("postgres") { return false }
            }
        #endif
        return true
    }

    /// For command-line tools: uses the cluster when a running server holds it, otherwise starts it.
    /// - Returns: true when this call started the cluster (and so must ``stop()`` it), false when it attached.
    public func attachOrStart() throws -> Bool {
        do {
            try start()
            return true
        } catch let error as EmbeddedPostgresError where error.isFolderInUse {
            // A server holds the folder: its cluster is running, and we only connect to its socket.
            guard try isRunning() else { throw error }
            return false
        }
    }

    /// Stops the cluster (fast shutdown: open transactions are rolled back) and releases the folder.
    public func stop() throws {
        defer { releaseLock() }
        guard try isRunning() else { return }
        let result = try run([binaries.pgCtl, "stop", "-D", dataDirectory, "-m", "fast", "-w", "-t", "60"])
        guard result.status == 0 else {
            throw EmbeddedPostgresError("PostgreSQL did not stop cleanly:\n\(result.output)")
        }
    }

    /// Starts a watchdog that stops the cluster and deletes its folder once this process has exited:
    /// test runs have no global teardown, and a cluster must not outlive them.
    public func removeWhenProcessExits() throws {
        let script = """
            while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done
            \(runAsUser.map { "runuser -u \($0) -- " } ?? "")\(binaries.pgCtl) stop -D '\(dataDirectory)' -m immediate >/dev/null 2>&1
            rm -rf '\(directory)'
            """
        try ProcessRunner.detach(["/bin/sh", "-c", script])
    }

    // MARK: Steps

    private func prepareDirectory() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard let user = runAsUser else { return }
        guard getpwnam(user) != nil else {
            throw EmbeddedPostgresError(
                "Running as root, the embedded database must run as the `\(user)` user, which does not exist. Install PostgreSQL (`apt-get install postgresql`) or run Cooperage as a normal user."
            )
        }
        _ = try ProcessRunner.run(["/bin/chown", user, directory])
        let probe = try ProcessRunner.run(["/usr/bin/test", "-w", directory, "-a", "-x", directory], asUser: user)
        guard probe.status == 0 else {
            throw EmbeddedPostgresError(
                """
                The `\(user)` user cannot reach \(directory): a parent folder is private (for example a home \
                folder with mode 700). PostgreSQL refuses to run as root, so the cluster must live where that \
                user can go. Set database.embedded.directory (DATABASE_EMBEDDED_DIRECTORY) to a reachable \
                folder such as /var/lib/cooperage/postgres or /tmp/cooperage, or run Cooperage as a normal user.
                """
            )
        }
    }

    private func acquireLock() throws {
        let path = directory + "/cooperage.lock"
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw EmbeddedPostgresError("Cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw EmbeddedPostgresError(
                inUse: true,
                """
                The embedded database in \(directory) is already in use by another Cooperage process. \
                Stop that process, or point this one at another folder with database.embedded.directory \
                (DATABASE_EMBEDDED_DIRECTORY).
                """
            )
        }
        lockDescriptor = fd
    }

    private func releaseLock() {
        if lockDescriptor >= 0 {
            flock(lockDescriptor, LOCK_UN)
            close(lockDescriptor)
            lockDescriptor = -1
        }
    }

    /// `pg_ctl start`, waiting until the server accepts connections (after crash recovery, if it needs one).
    private func launch() throws {
        try removeStaleLockFiles()
        let options = settings.sorted { $0.key < $1.key }.map { "-c \($0.key)=\($0.value)" }.joined(separator: " ")
        let result = try run([binaries.pgCtl, "start", "-D", dataDirectory, "-l", logFile, "-w", "-t", "60", "-o", options])
        guard result.status == 0 else {
            throw EmbeddedPostgresError(
                "PostgreSQL did not start in \(dataDirectory):\n\(result.output)\n\(lastLogLines())"
            )
        }
    }

    private func initialize() throws {
        let result = try run([
            binaries.initdb, "-D", dataDirectory, "-U", superuser, "--auth=trust", "--encoding=UTF8",
            "--locale=C", "--no-instructions",
        ])
        guard result.status == 0 else {
            throw EmbeddedPostgresError("initdb failed for \(dataDirectory):\n\(result.output)")
        }
    }

    /// True when a postmaster runs on our data folder. We hold the folder lock, so such a server was
    /// left by a Cooperage process that died; it is ours to reuse.
    private func isRunning() throws -> Bool {
        guard FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION") else { return false }
        // pg_ctl status also answers yes for a zombie postmaster.
        return try run([binaries.pgCtl, "status", "-D", dataDirectory]).status == 0 && isPostmasterAlive
    }

    /// A crash can leave the socket's lock file and `postmaster.pid` behind. PostgreSQL ignores them when their
    /// process is gone, but not when it lingers as a zombie, so they go when no live postmaster owns them. Safe:
    /// PostgreSQL still refuses to start while a backend of the dead postmaster holds its shared memory (that check
    /// is keyed by the data folder, not by these files), and the supervisor tries again a second later.
    private func removeStaleLockFiles() throws {
        if let pid = postmasterPID, !Self.isPostgresProcess(pid) {
            try? FileManager.default.removeItem(atPath: dataDirectory + "/postmaster.pid")
        }
        let lock = "\(directory)/.s.PGSQL.\(Self.port).lock"
        if FileManager.default.fileExists(atPath: lock) { try? FileManager.default.removeItem(atPath: lock) }
    }

    private func createDatabaseIfMissing() throws {
        let psql = binaries.directory + "/psql"
        let query = try run([
            psql, "-h", directory, "-U", superuser, "-d", "postgres", "-tAc",
            "SELECT 1 FROM pg_database WHERE datname = '\(databaseName)'",
        ])
        guard query.status == 0 else { throw EmbeddedPostgresError("Cannot query the embedded cluster:\n\(query.output)") }
        if query.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1" { return }
        let create = try run([
            psql, "-h", directory, "-U", superuser, "-d", "postgres", "-c", "CREATE DATABASE \"\(databaseName)\"",
        ])
        guard create.status == 0 else { throw EmbeddedPostgresError("Cannot create the database:\n\(create.output)") }
    }

    private func run(_ arguments: [String]) throws -> ProcessRunner.Result {
        try ProcessRunner.run(arguments, asUser: runAsUser)
    }

    private func lastLogLines() -> String {
        guard let log = try? String(contentsOfFile: logFile, encoding: .utf8) else { return "" }
        return "Last lines of \(logFile):\n" + log.split(separator: "\n").suffix(10).joined(separator: "\n")
    }
}
