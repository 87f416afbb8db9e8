public import Foundation
import Logging
public import PostgresNIO

extension Database {
    /// Runs `body` in a transaction that sees only `supplierID`'s rows: the role `cooperage_supplier` (`SET LOCAL
    /// ROLE`, as ``withCooperativeScope(_:)`` does for staff) with `app.supplier_id` set for this transaction only.
    /// Row-level security then shows the supplier its own agreements, sales reports and lines and the usage registered
    /// under its agreements; every other table is out of the role's reach (sql/0024).
    public func withSupplier<Result: Sendable>(
        _ supplierID: UUID,
        _ body: sending @escaping (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let logger = logger
        return try await withTransaction { connection in
            // Bound as text, as the tenant is; transaction-local, so the pooled connection forgets it at the end.
            try await connection.run(
                "SELECT set_config('app.supplier_id', \(supplierID.uuidString.lowercased()), true)",
                logger: logger
            )
            try await connection.run("SET LOCAL ROLE cooperage_supplier", logger: logger)
            return try await body(connection)
        }
    }

    /// Inside ``withSupplier(_:_:)``, after the supplier's own reads and writes: back to the server's role for the rest
    /// of the transaction, to append to the cooperative's audit chain, which the supplier's role may not read.
    static func leaveSupplierScope(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.run("SET LOCAL ROLE NONE", logger: logger)
    }
}
