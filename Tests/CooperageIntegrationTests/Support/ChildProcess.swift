import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A program the tests start with `posix_spawn`, not Foundation's `Process`, for two reasons found the hard way:
/// a child inherits the signal mask of the thread that starts it, and this process's threads block most signals, so
/// PgBouncer (and the server's SIGTERM handling) never saw a signal sent to it; and `Process` detects an exit
/// through a descriptor that a daemon started by the child inherits (`pgbouncer -d`), so it never saw the exit
/// (see `ProcessRunner`). Here the child starts with no signal blocked and default handlers, in `directory`, with
/// exactly `environment`, its output appended to `output`; its exit is read with `waitpid`.
final class ChildProcess: Sendable {
    let pid: pid_t
    private let exit = Mutex<Int32?>(nil)

    private init(pid: pid_t) { self.pid = pid }

    static func spawn(
        _ arguments: [String],
        environment: [String: String],
        directory: String? = nil,
        output: String = "/dev/null"
    ) throws -> ChildProcess {
        // `env -C` changes the directory and then runs the program in place, keeping its pid.
        let command = (directory.map { ["/usr/bin/env", "-C", $0] } ?? []) + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
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
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, command[0], &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw HarnessFailure("cannot start \(command.joined(separator: " ")): \(String(cString: strerror(spawned)))")
        }
        return ChildProcess(pid: pid)
    }

    /// Nil while it runs; then its exit status (128 + the signal for one killed by a signal).
    var exitStatus: Int32? {
        exit.withLock { known in
            if let known { return known }
            var status: Int32 = 0
            guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
            // WIFEXITED / WEXITSTATUS are C macros that Swift does not import.
            known = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            return known
        }
    }

    var isRunning: Bool { exitStatus == nil }

    /// Waits for the exit, up to `limit`; the status, or nil when it still runs.
    @discardableResult
    func wait(upTo limit: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let status = exitStatus { return status }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return exitStatus
    }

    /// `signal` (SIGTERM), then SIGKILL if it has not ended within `grace`; waits for the exit either way.
    func stop(_ signal: Int32 = SIGTERM, grace: Duration = .seconds(30)) async {
        guard isRunning else { return }
        kill(pid, signal)
        if await wait(upTo: grace) == nil {
            kill(pid, SIGKILL)
            await wait(upTo: .seconds(10))
        }
    }
}
