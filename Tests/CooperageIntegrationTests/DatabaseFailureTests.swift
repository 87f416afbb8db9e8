import CooperageStore
import Foundation
import PostgresNIO
import Testing

/// The command line tells database errors as `DatabaseFailure`: what PostgreSQL said, or why it could not be
/// reached, instead of the driver's "Generic description to prevent accidental leakage of sensitive data".
@Suite struct DatabaseFailureTests {
    @Test func aServerErrorIsToldWithItsMessageAndSQLState() async throws {
        let error = try await #require(throws: PSQLError.self) {
            try await Fixtures.admin { connection in
                try await connection.query("SELECT 1 / (SELECT 0)", logger: TestDatabase.logger).collect()
            }
        }
        let failure = try #require(DatabaseFailure(error))
        #expect(failure.description == "PostgreSQL said: division by zero [SQLSTATE 22012]")
        #expect(!"\(failure)".contains("Generic description"))
    }

    @Test func anUnreachableDatabaseIsToldWithTheReason() async throws {
        var url = try await TestDatabase.adminURL()
        url.socketDirectory = "/nonexistent-\(UUID().uuidString.prefix(8))"
        url.host = nil
        let error = await #expect(throws: (any Error).self) { try await url.connect(logger: TestDatabase.logger) }
        let failure = try #require(error.flatMap { DatabaseFailure($0) })
        #expect(failure.description.hasPrefix("The database could not be reached (connectionError): "), "\(failure)")
        #expect(failure.description.contains("No such file or directory"), "\(failure)")
    }

    @Test func otherErrorsAreLeftAlone() {
        #expect(DatabaseFailure(CancellationError()) == nil)
        #expect(DatabaseFailure(StoreError.notFound("tenant")) == nil)
    }
}
