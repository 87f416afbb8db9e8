import Foundation
import Testing

@testable import CooperageStore

#if canImport(Glibc)
    import Glibc
#endif

/// A program started by the server or the tests (PostgreSQL, pg_ctl, PgBouncer) takes nothing of this process but
/// its environment: no open descriptor, no blocked signal.
@Suite struct ProcessRunnerTests {
    @Test func aChildHoldsOnlyItsStandardDescriptors() throws {
        // A socket as NIO makes one: without close-on-exec.
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(socket > 2)
        defer { close(socket) }
        let listed = try ProcessRunner.run(["/bin/sh", "-c", "ls /proc/$$/fd"])
        #expect(listed.status == 0, "\(listed.output)")
        #expect(listed.output.split(separator: "\n") == ["0", "1", "2"], "the child holds: \(listed.output)")
    }

    @Test func aChildStartsWithNoSignalBlocked() throws {
        let status = try ProcessRunner.run(["/bin/grep", "SigBlk", "/proc/self/status"])
        #expect(status.output.trimmingCharacters(in: .whitespacesAndNewlines) == "SigBlk:\t0000000000000000")
    }
}
