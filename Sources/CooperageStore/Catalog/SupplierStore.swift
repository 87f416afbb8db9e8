import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// Reads and writes suppliers (cooperative-level data); every change is audited on the cooperative chain.
public struct SupplierStore: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    static let columns = """
        id, name, ein, sam_uei, status, to_char(status_effective_on, 'YYYY-MM-DD') AS status_effective_on, status_reason,
        diversity_certifications::text AS diversity_certifications, created_at, updated_at, seq
        """

    public func create(_ supplier: NewSupplier, by actor: Actor) async throws -> Supplier {
        try await database.withTransaction { connection in
            let rows = try await connection.query(
                """
                INSERT INTO supplier (name, ein, sam_uei, status, status_effective_on, status_reason, diversity_certifications)
                VALUES (\(supplier.name), \(supplier.identifiers?.ein), \(supplier.identifiers?.samUei),
                        \((supplier.status ?? .active).rawValue), \(supplier.statusEffectiveOn?.description)::date,
                        \(supplier.statusReason), \(try CatalogSQL.json(supplier.diversityCertifications ?? []))::jsonb)
                RETURNING id
                """,
                logger: database.logger
            )
            // Columns are formatted by a second read, not in RETURNING: Citus refuses non-immutable functions
            // (to_char) there, on reference tables too.
            let id = try await rows.decode(UUID.self).array().first(or: StoreError.notFound("supplier"))
            let created = try await fetch(id, on: connection)
            try await AuditLog.append(
                on: connection,
                tenant: nil,
                actor: actor,
                action: .supplierCreated,
                subject: .supplier(created.id),
                payload: created,
                logger: database.logger
            )
            return created
        }
    }

    public func get(_ id: UUID) async throws -> Supplier {
        try await database.withTransaction { connection in
            try await fetch(id, on: connection)
        }
    }

    /// A page of suppliers in creation order after `cursor` (a `seq`), optionally by status and name text.
    public func list(
        limit: Int,
        after cursor: Int64?,
        status: AuthorizationContext.SupplierStatus?,
        nameContains text: String?
    ) async throws -> ([Supplier], next: Int64?) {
        let pattern = text.map(CatalogSQL.containsPattern)
        return try await database.withTransaction { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM supplier
                WHERE seq > \(cursor ?? 0)
                  AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue))
                  AND (\(pattern)::text IS NULL OR name ILIKE \(pattern))
                ORDER BY seq LIMIT \(limit + 1)
                """,
                logger: database.logger
            )
            let page = try await Self.decode(rows)
            let next = page.count > limit ? page[limit - 1].seq : nil
            return (page.prefix(limit).map(\.supplier), next)
        }
    }

    /// Applies a merge patch under the row's lock and records it.
    public func update(_ id: UUID, with changes: SupplierChanges, by actor: Actor) async throws -> Supplier {
        try await database.withTransaction { connection in
            let merged = changes.applied(to: try await fetch(id, on: connection, forUpdate: true))
            try await connection.run(
                """
                UPDATE supplier SET
                    name = \(merged.name), ein = \(merged.identifiers.ein), sam_uei = \(merged.identifiers.samUei),
                    status = \(merged.status.rawValue), status_effective_on = \(merged.statusEffectiveOn?.description)::date,
                    status_reason = \(merged.statusReason),
                    diversity_certifications = \(try CatalogSQL.json(merged.diversityCertifications))::jsonb,
                    updated_at = now()
                WHERE id = \(id)
                """,
                logger: database.logger
            )
            let updated = try await fetch(id, on: connection)
            try await AuditLog.append(
                on: connection,
                tenant: nil,
                actor: actor,
                action: .supplierUpdated,
                subject: .supplier(id),
                payload: updated,
                logger: database.logger
            )
            return updated
        }
    }

    // MARK: Helpers

    func fetch(_ id: UUID, on connection: PostgresConnection, forUpdate: Bool = false) async throws -> Supplier {
        let rows = try await connection.query(
            "SELECT \(unescaped: Self.columns) FROM supplier WHERE id = \(id) \(unescaped: forUpdate ? "FOR UPDATE" : "")",
            logger: database.logger
        )
        guard let supplier = try await Self.decode(rows).first?.supplier else { throw StoreError.notFound("supplier") }
        return supplier
    }

    static func decode(_ rows: PostgresRowSequence) async throws -> [(supplier: Supplier, seq: Int64)] {
        var suppliers: [(Supplier, Int64)] = []
        for try await row in rows {
            let row = NamedRow(row)
            let supplier = Supplier(
                id: try row["id"],
                name: try row["name"],
                identifiers: SupplierIdentifiers(
                    ein: try row["ein"],
                    samUei: try row["sam_uei"]
                ),
                status: try CatalogSQL.enumValue(
                    AuthorizationContext.SupplierStatus.self,
                    try (row["status"] as String),
                    column: "status"
                ),
                statusEffectiveOn: try CatalogSQL.date(
                    try (row["status_effective_on"] as String?),
                    column: "status_effective_on"
                ),
                statusReason: try row["status_reason"],
                diversityCertifications: try CatalogSQL.decodeJSON(
                    [DiversityCertification].self,
                    try (row["diversity_certifications"] as String),
                    column: "diversity_certifications"
                ),
                createdAt: try row["created_at"],
                updatedAt: try row["updated_at"]
            )
            suppliers.append((supplier, try (row["seq"] as Int64)))
        }
        return suppliers
    }
}
