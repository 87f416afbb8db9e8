import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
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
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned: Int32
        if environment.isEmpty {
            spawned = posix_spawn(&pid, command[0], &actions, nil, argv, environ)
        } else {
            let merged = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
            let envp: [UnsafeMutablePointer<CChar>?] = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { envp.forEach { free($0) } }
            spawned = posix_spawn(&pid, command[0], &actions, nil, argv, envp)
        }
        guard spawned == 0 else {
            throw EmbeddedPostgresError("Cannot run \(command[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else {
                throw EmbeddedPostgresError("Lost track of \(command[0]): \(String(cString: strerror(errno)))")
            }
        }
        // WIFEXITED / WEXITSTATUS are C macros that Swift does not import.
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
