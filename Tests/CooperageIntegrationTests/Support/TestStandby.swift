import Foundation
import PostgresNIO

@testable import CooperageStore

#if canImport(Glibc)
    import Glibc
#endif

/// A real streaming standby of the test cluster: `pg_basebackup -R` (with a replication slot, so the primary keeps
/// the WAL it still needs) into a folder of its own under /tmp, started on its own socket. As root it runs as the
/// `postgres` user, like the test cluster. A watchdog removes it when the test process ends, whatever happens.
struct TestStandby: Sendable {
    let directory: String
    /// The standby's superuser, for the test's own checks (pausing replay, its position).
    let url: DatabaseURL
    let slot: String
    private let binaries: PostgresBinaries
    private let runAsUser: String?

    enum Failure: Error, CustomStringConvertible {
        case step(String)
        var description: String {
            switch self {
            case .step(let text): text
            }
        }
    }

    /// Copies the test cluster and starts the copy as a hot standby streaming from it.
    static func start() async throws -> TestStandby {
        let primary = try await TestDatabase.adminURL()
        guard let socket = primary.socketDirectory else {
            throw Failure.step("the standby needs the embedded test cluster (a Unix socket), not TEST_DATABASE_URL")
        }
        let binaries = try PostgresBinaries.locate()
        let folder = try ScratchClusterFolder(prefix: "cooperage-standby")
        let directory = folder.path
        let slot = "test_standby_\(UUID().uuidString.prefix(8).lowercased())"
        let standby = TestStandby(
            directory: directory,
            url: DatabaseURL(user: primary.user, port: primary.port, socketDirectory: directory, database: primary.database),
            slot: slot,
            binaries: binaries,
            runAsUser: folder.runAsUser
        )
        // The test cluster goes with this process too, slot and all.
        try folder.cleanUpAfterExit(stopping: [standby.dataDirectory], pgCtl: binaries.pgCtl)
        // -c fast: an immediate checkpoint rather than a spread one. -R writes primary_conninfo and standby.signal.
        try standby.run(
            "pg_basebackup",
            [
                binaries.directory + "/pg_basebackup", "-h", socket, "-p", String(primary.port), "-U", primary.user,
                "-D", standby.dataDirectory, "-R", "-X", "stream", "-c", "fast", "-C", "-S", slot, "-w",
            ]
        )
        // Its own socket and no TCP; max_connections may not be below the primary's (300) on a hot standby.
        let options = [
            "listen_addresses=''", "unix_socket_directories='\(directory)'", "max_connections=300", "hot_standby=on",
            "fsync=off",
        ].map { "-c \($0)" }.joined(separator: " ")
        try standby.run(
            "pg_ctl start",
            [
                binaries.pgCtl, "start", "-D", standby.dataDirectory, "-l", directory + "/postgres.log", "-w", "-t", "60", "-o",
                options,
            ]
        )
        return standby
    }

    var dataDirectory: String { directory + "/data" }

    /// Stops the standby at once (`-m immediate`: as if its machine went away).
    func stop() throws {
        try run("pg_ctl stop", [binaries.pgCtl, "stop", "-D", dataDirectory, "-m", "immediate", "-w"])
    }

    /// Stops it if it runs, drops its slot on the primary and removes its folder.
    func remove() async throws {
        _ = try? ProcessRunner.run([binaries.pgCtl, "stop", "-D", dataDirectory, "-m", "immediate", "-w"], asUser: runAsUser)
        try FileManager.default.removeItem(atPath: directory)
        // The primary's WAL sender may hold the slot for a moment after the standby went away.
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            let remaining = try await Fixtures.admin { connection in
                _ = try await connection.query(
                    """
                    SELECT count(pg_drop_replication_slot(slot_name))::int FROM pg_replication_slots
                    WHERE slot_name = \(slot) AND NOT active
                    """,
                    logger: TestDatabase.logger
                ).collect()
                return try await connection.query(
                    "SELECT count(*)::int FROM pg_replication_slots WHERE slot_name = \(slot)",
                    logger: TestDatabase.logger
                ).decode(Int.self).array().first ?? 0
            }
            if remaining == 0 { return }
            guard ContinuousClock.now < deadline else { throw Failure.step("the replication slot \(slot) stayed active") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Runs `body` as the standby's superuser.
    func admin<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await url.connect(logger: TestDatabase.logger)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// The primary's WAL flush position once everything committed so far is flushed. The test cluster commits
    /// asynchronously (an answered commit may not be flushed yet, nor sent to the standby), so a transaction that
    /// writes WAL and commits synchronously flushes the WAL up to its own commit record, and every commit before it.
    /// (A transaction that only takes an xid writes no WAL before its commit record and commits asynchronously.)
    static func primaryPosition() async throws -> String {
        try await Fixtures.admin { connection in
            _ = try await connection.query("SET synchronous_commit = on", logger: TestDatabase.logger).collect()
            _ = try await connection.query("CREATE TEMPORARY TABLE flush_marker ()", logger: TestDatabase.logger).collect()
            return try await connection.query("SELECT pg_current_wal_flush_lsn()::text", logger: TestDatabase.logger)
                .decode(String.self).array().first ?? ""
        }
    }

    /// Waits until the standby has replayed the primary's WAL up to `position` (by default, everything committed now).
    func waitForReplay(of position: String? = nil) async throws {
        let target = if let position { position } else { try await Self.primaryPosition() }
        try await waitUntil("replay reaches \(target)") {
            "SELECT coalesce(pg_last_wal_replay_lsn() >= \(target)::pg_lsn, false)"
        }
    }

    /// Pauses replay (WAL still arrives, and is not applied) until ``resumeReplay()``.
    func pauseReplay() async throws {
        _ = try await admin { try await $0.query("SELECT pg_wal_replay_pause()", logger: TestDatabase.logger).collect() }
        try await waitUntil("replay paused") { "SELECT pg_get_wal_replay_pause_state() = 'paused'" }
    }

    func resumeReplay() async throws {
        _ = try await admin { try await $0.query("SELECT pg_wal_replay_resume()", logger: TestDatabase.logger).collect() }
    }

    /// Polls `query` (one boolean) on the standby every 20 ms, for at most 20 s.
    private func waitUntil(_ what: String, _ query: () -> PostgresQuery) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let done = try await admin { connection in
                try await connection.query(query(), logger: TestDatabase.logger).decode(Bool.self).array().first ?? false
            }
            if done { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw Failure.step("the standby did not get there within 20 s: \(what)")
    }

    private func run(_ step: String, _ arguments: [String]) throws {
        let result = try ProcessRunner.run(arguments, asUser: runAsUser)
        guard result.status == 0 else {
            let log = (try? String(contentsOfFile: directory + "/postgres.log", encoding: .utf8)) ?? ""
            throw Failure.step("\(step) failed (\(result.status)):\n\(result.output)\n\(log.suffix(2000))")
        }
    }
}
