import Foundation
import Logging
import PostgresNIO

/// Serializes requests carrying the same `Idempotency-Key` for a tenant, for the rest of the transaction:
/// the second of two concurrent retries waits, then finds the first one's result and replays it.
///
/// The lock is `idempotency_lock` (sql/schema.sql), the one the SQL functions that register usage and decide take
/// too: an advisory lock on one PostgreSQL, and on Citus a row of the tenant's shard, where every path reaches it.
enum IdempotencyLock {
    static func acquire(key: String, tenantID: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.run("SELECT idempotency_lock(\(tenantID), \(key))", logger: logger)
    }
}
