import Foundation
import Logging
import PostgresNIO

/// Serializes requests carrying the same `Idempotency-Key` for a tenant, for the rest of the transaction:
/// the second of two concurrent retries waits, then finds the first one's result and replays it.
enum IdempotencyLock {
    /// Advisory lock class for idempotency keys ("Id").
    static let lockClass: Int32 = 0x4964

    static func acquire(key: String, tenantID: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.run(
            "SELECT pg_advisory_xact_lock(\(lockClass), hashtext(\(tenantID.uuidString + "/" + key)))",
            logger: logger
        )
    }
}
