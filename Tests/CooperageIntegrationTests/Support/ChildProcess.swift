import Foundation
import Synchronization

@testable import CooperageStore

#if canImport(Glibc)
    import Glibc
#endif

/// A program the tests start with ``ProcessRunner/spawn(_:environment:outputPath:appending:)``, not Foundation's
/// `Process`: the child must start with no signal blocked (PgBouncer and the server's SIGTERM handling never saw a
/// signal otherwise) and no descriptor of this process, and `Process` detects an exit through a descriptor that a
/// daemon started by the child inherits (`pgbouncer -d`), so it never saw the exit. Here the child runs in
/// `directory`, with exactly `environment`, its output appended to `output`; its exit is read with `waitpid`.
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
        let pid = try ProcessRunner.spawn(command, environment: environment, outputPath: output, appending: true)
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
