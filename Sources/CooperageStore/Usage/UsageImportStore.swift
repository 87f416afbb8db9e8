import CooperageCore
import Crypto
import Foundation
import Logging
import PostgresNIO

/// Bulk usage files: read as ``UsageCSV``, written with ``UsageStore/importOrders(_:fileDigest:fileName:lineCount:tenantID:by:)``
/// (all or nothing, once per file digest). Shared by `POST /v1/usage/imports` and `cooperage import usage`.
public struct UsageImportStore: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Imports a CSV file's orders, or none of them.
    /// - Parameter parsed: the file already read with ``UsageCSV/parse(_:parts:)``, if the caller has read it.
    /// - Returns: the import and whether this call created it (false: the same file was imported before).
    /// - Throws: ``UsageCSV/Failure`` listing every bad row, whether the file cannot be read or the database
    ///   refuses some of its orders (a refused order is placed on its first row).
    public func importCSV(
        _ bytes: [UInt8],
        parsed: UsageCSV.Parsed? = nil,
        fileName: String?,
        tenantID: UUID,
        by actor: Actor
    ) async throws -> (UsageImport, created: Bool) {
        let digest = Self.digest(of: bytes)
        let store = UsageStore(database: database)
        // A file sent again (a retried upload) is answered from its first import without being read again.
        if let existing = try await store.existingImport(digest: digest, tenantID: tenantID) {
            return (existing, false)
        }
        let parsed = try parsed ?? UsageCSV.parse(bytes)
        do {
            return try await store.importOrders(
                parsed.orders,
                fileDigest: digest,
                fileName: fileName,
                lineCount: parsed.lineCount,
                tenantID: tenantID,
                by: actor
            )
        } catch let rejection as UsageRejection {
            throw UsageCSV.Failure(
                issues: rejection.reasons.map { parsed.issue(order: $0.index, pointer: $0.pointer, detail: $0.detail) }
            )
        }
    }

    /// One import of the tenant; another tenant's is not found.
    public func get(_ id: UUID, tenantID: UUID) async throws -> UsageImport {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                SELECT file_digest, file_name, order_count, line_count, total_cents, created_at FROM usage_import
                WHERE tenant_id = \(tenantID) AND id = \(id)
                """,
                logger: database.logger
            ).decode((String, String?, Int, Int, Int, Date).self).array()
            guard let (digest, name, orders, lines, total, createdAt) = rows.first else {
                throw StoreError.notFound("usage import")
            }
            return UsageImport(
                id: id,
                tenantId: tenantID,
                fileDigest: digest,
                fileName: name,
                orderCount: orders,
                lineCount: lines,
                totalCents: total,
                createdAt: createdAt
            )
        }
    }

    /// The file digest: SHA-256 of the file's bytes, lowercase hex.
    public static func digest(of bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}
