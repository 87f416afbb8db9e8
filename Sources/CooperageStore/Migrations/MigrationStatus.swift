import Foundation
import PostgresNIO

/// Which migrations the server's database has: what readiness checks.
public struct MigrationStatus: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The highest migration applied, nil before the first; a 503-worthy error when PostgreSQL does not answer
    /// within `limit`.
    public func latestApplied(answeringWithin limit: Duration) async throws -> Int? {
        try await database.withTransaction(answeringWithin: limit) { connection in
            try await connection.query(
                "SELECT max(version) FROM public.cooperage_schema_migrations",
                logger: database.logger
            ).decode(Int?.self).array().first ?? nil
        }
    }
}
