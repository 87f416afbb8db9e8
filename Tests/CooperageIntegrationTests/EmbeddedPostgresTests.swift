import CooperageStore
import Foundation
import PostgresNIO
import Testing

/// The embedded cluster launcher: one process per folder, and a clear error for folders too deep for a socket.
@Suite struct EmbeddedPostgresTests {
    /// A fresh folder under /tmp (reachable by the `postgres` user when the tests run as root).
    func freshDirectory() -> String {
        "/tmp/cooperage-emb-\(UUID().uuidString.lowercased().prefix(8))"
    }

    @Test func aSecondInstanceOnAFolderInUseIsRefused() async throws {
        let directory = freshDirectory()
        let first = try EmbeddedPostgres(directory: directory, durable: false)
        defer {
            try? first.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
        try first.start()

        let second = try EmbeddedPostgres(directory: directory, durable: false)
        let error = try #require(throws: EmbeddedPostgresError.self) { try second.start() }
        #expect(error.description.contains("already in use"), "\(error)")
        #expect(error.description.contains(directory), "\(error)")

        // The refused start left the first cluster serving.
        let connection = try await DatabaseURL(parsing: first.url).connect(logger: TestDatabase.logger)
        let answer = try await connection.query("SELECT 41 + 1", logger: TestDatabase.logger).decode(Int.self).array()
        try await connection.close()
        #expect(answer == [42])

        // Once the first stops, the folder is free again.
        try first.stop()
        try second.start()
        try second.stop()
    }

    @Test func aFolderTooDeepForTheSocketIsRefusedAtOnce() throws {
        let directory = "/tmp/" + String(repeating: "d", count: 100)
        let error = try #require(throws: EmbeddedPostgresError.self) { try EmbeddedPostgres(directory: directory) }
        #expect(error.description.contains("database.embedded.directory"), "\(error)")
        #expect(error.description.contains("DATABASE_EMBEDDED_DIRECTORY"), "\(error)")
        #expect(!FileManager.default.fileExists(atPath: directory), "nothing is created for a refused folder")
    }

    /// The socket path `<folder>/.s.PGSQL.5432` may be up to 100 bytes.
    @Test func theSocketPathLimitIs100Bytes() throws {
        let suffix = "/.s.PGSQL.5432"
        let fits = "/tmp/" + String(repeating: "f", count: 100 - suffix.utf8.count - 5)
        #expect((fits + suffix).utf8.count == 100)
        #expect(try EmbeddedPostgres(directory: fits).directory == fits)
        #expect(throws: EmbeddedPostgresError.self) { try EmbeddedPostgres(directory: fits + "f") }
    }
}
