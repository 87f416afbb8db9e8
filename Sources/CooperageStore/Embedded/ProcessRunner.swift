import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a helper program (initdb, pg_ctl, psql) to completion and captures its output.
///
/// Uses `posix_spawn` and `waitpid` rather than Foundation's `Process`: `pg_ctl start` leaves a
/// PostgreSQL daemon behind, and `Process` on Linux detects exit through a descriptor that the
/// daemon inherits, so it would wait for the daemon to end.
struct ProcessRunner: Sendable {
    struct Result: Sendable {
        var status: Int32
        var output: String
    }

    /// Runs `arguments[0]` with the rest as its arguments; when `asUser` is set (we are root), the
    /// program runs as that user through `runuser`, since PostgreSQL refuses to run as root.
    /// `environment` is added to this process's environment (a password for `pg_dump`, not on its command line).
    static func run(_ arguments: [String], asUser user: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("cooperage-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let status = try spawnAndWait(arguments, asUser: user, environment: environment, outputPath: outputPath)
        let data = FileManager.default.contents(atPath: outputPath) ?? Data()
        return Result(status: status, output: String(decoding: data, as: UTF8.self))
    }

    /// Starts a program that outlives this call (`setsid -f` detaches it), without waiting for it.
    static func detach(_ arguments: [String]) throws {
        _ = try spawnAndWait(["/usr/bin/setsid", "-f"] + arguments, asUser: nil, environment: [:], outputPath: "/dev/null")
    }

    private static func spawnAndWait(
        _ arguments: [String],
        asUser user: String?,
        environment: [String: String],
        outputPath: String
    ) throws -> Int32 {
        var command = arguments
        if let user {
            let runuser =
                FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser") ? "/usr/sbin/runuser" : "/sbin/runuser"
            // pg_ctl and initdb fail when they cannot read the working directory (say /root as postgres).
            command = [runuser, "-u", user, "--", "/bin/sh", "-c", "cd / && exec \"$0\" \"$@\""] + arguments
        }
        let merged = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
        let pid = try spawn(command, environment: merged, outputPath: outputPath, appending: false)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else {
                throw EmbeddedPostgresError("Lost track of \(command[0]): \(String(cString: strerror(errno)))")
            }
        }
        // WIFEXITED / WEXITSTATUS are C macros that Swift does not import.
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later: Debian 12, Ubuntu 22.04), which Swift's
    /// Glibc module does not declare. On an older glibc it is missing and children inherit descriptors as before
    /// (`ProcessRunnerTests` fails there).
    private static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32)? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(
            symbol,
            to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32).self
        )
    }()

    /// Starts `command` with exactly `environment`, reading /dev/null and writing to `outputPath`, and returns its pid.
    ///
    /// The child gets nothing else of this process:
    /// - No other descriptor. NIO accepts connections without close-on-exec, so a PostgreSQL started here (the embedded
    ///   database's restart, a test's cluster) would otherwise hold every open client connection and the listening
    ///   socket: a connection the server closed would send no FIN, and a port closed here would stay bound.
    /// - No blocked signal and default handlers. A child inherits the mask of the thread that starts it, and this
    ///   process's threads block most signals, so a child would never see the SIGTERM sent to stop it.
    static func spawn(
        _ command: [String],
        environment: [String: String],
        outputPath: String,
        appending: Bool
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | (appending ? O_APPEND : O_TRUNC), 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        closeFrom?(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw EmbeddedPostgresError("Cannot run \(command.joined(separator: " ")): \(String(cString: strerror(spawned)))")
        }
        return pid
    }
}
