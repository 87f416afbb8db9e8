import Foundation

@testable import CooperageStore

#if canImport(Glibc)
    import Glibc
#endif

/// A folder under /tmp for PostgreSQL servers a test starts itself (a standby, a Citus cluster): owned by the user they
/// run as (`postgres` when the tests run as root, since PostgreSQL refuses root), and reachable by that user.
struct ScratchClusterFolder: Sendable {
    let path: String
    let runAsUser: String?

    init(prefix: String) throws {
        runAsUser = geteuid() == 0 ? "postgres" : nil
        path = "/tmp/\(prefix)-\(getpid())-\(UUID().uuidString.prefix(8).lowercased())"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        if let runAsUser { _ = try ProcessRunner.run(["/bin/chown", runAsUser, path]) }
    }

    /// Once this process has exited, however it ends, stops the servers of `dataDirectories` (`-m immediate`) and
    /// removes the folder: a watchdog of its own, detached from this process.
    func cleanUpAfterExit(stopping dataDirectories: [String], pgCtl: String) throws {
        let runuser = runAsUser.map { "runuser -u \($0) -- " } ?? ""
        let stops = dataDirectories.map { "\(runuser)\(pgCtl) stop -D '\($0)' -m immediate >/dev/null 2>&1" }
        try ProcessRunner.detach([
            "/bin/sh", "-c",
            (["while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done"] + stops + ["rm -rf '\(path)'"])
                .joined(separator: "\n"),
        ])
    }
}
