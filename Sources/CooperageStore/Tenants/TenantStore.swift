import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// Reads and writes the tenant registry (cooperative-level data).
public struct TenantStore: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    static let columns = """
        id, legal_name, slug, entity_type, state, parent_id, ein, sam_uei, cooperative_number,
        fiscal_year_start_month, status, created_at, updated_at, seq
        """

    public func create(_ tenant: NewTenant, by actor: Actor) async throws -> Tenant {
        try await database.withTransaction { connection in
            if let parent = tenant.parentId { try await requireExists(parent, pointer: "/parentId", on: connection) }
            let identifiers = tenant.identifiers ?? TenantIdentifiers()
            let created = try await mapUniqueViolation {
                let rows = try await connection.query(
                    """
                    INSERT INTO tenant (legal_name, slug, entity_type, state, parent_id, ein, sam_uei, cooperative_number,
                                        fiscal_year_start_month, status)
                    VALUES (\(tenant.legalName), \(tenant.slug), \(tenant.entityType.rawValue), \(tenant.state.code),
                            \(tenant.parentId), \(identifiers.ein), \(identifiers.samUei), \(identifiers.cooperativeNumber),
                            \(tenant.fiscalYearStartMonth ?? 7), \((tenant.status ?? .active).rawValue))
                    RETURNING \(unescaped: Self.columns)
                    """,
                    logger: database.logger
                )
                // Rows stream lazily: the unique violation surfaces while reading them.
                return try await Self.decode(rows).first(or: StoreError.notFound("tenant")).tenant
            }
            try await AuditLog.append(
                on: connection,
                tenant: nil,
                actor: actor,
                action: .tenantCreated,
                subject: .tenant(created.id),
                payload: created,
                logger: database.logger
            )
            return created
        }
    }

    public func get(_ id: UUID) async throws -> Tenant {
        try await database.withTransaction { connection in
            try await fetch(id, on: connection)
        }
    }

    /// A page of tenants in creation order, after the tenant at `cursor` (its `seq`).
    public func list(limit: Int, after cursor: Int64?, status: TenantStatus?, only: UUID? = nil) async throws -> (
        [Tenant], next: Int64?
    ) {
        try await database.withTransaction { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM tenant
                WHERE seq > \(cursor ?? 0)
                  AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue))
                  AND (\(only)::uuid IS NULL OR id = \(only))
                ORDER BY seq LIMIT \(limit + 1)
                """,
                logger: database.logger
            )
            let page = try await Self.decode(rows)
            let next = page.count > limit ? page[limit - 1].seq : nil
            return (page.prefix(limit).map(\.tenant), next)
        }
    }

    public func update(_ id: UUID, with changes: TenantChanges, by actor: Actor) async throws -> Tenant {
        try await database.withTransaction { connection in
            _ = try await fetch(id, on: connection, forUpdate: true)
            if case .some(.some(let parent)) = changes.parentId {
                try await requireExists(parent, pointer: "/parentId", on: connection)
                let ancestors = try await connection.query(
                    """
                    WITH RECURSIVE up(id, parent_id) AS (
                        SELECT id, parent_id FROM tenant WHERE id = \(parent)
                        UNION SELECT t.id, t.parent_id FROM tenant t JOIN up ON t.id = up.parent_id)
                    SELECT count(*) FROM up WHERE id = \(id)
                    """,
                    logger: database.logger
                ).decode(Int.self).array()
                if ancestors.first ?? 0 > 0 {
                    throw StoreError.invalid(pointer: "/parentId", detail: "a tenant cannot be its own ancestor")
                }
            }
            let updated = try await mapUniqueViolation {
                let rows = try await connection.query(
                    """
                    UPDATE tenant SET
                        legal_name = COALESCE(\(changes.legalName), legal_name),
                        slug = COALESCE(\(changes.slug), slug),
                        entity_type = COALESCE(\(changes.entityType?.rawValue), entity_type),
                        state = COALESCE(\(changes.state?.code), state),
                        fiscal_year_start_month = COALESCE(\(changes.fiscalYearStartMonth), fiscal_year_start_month),
                        parent_id = CASE WHEN \(changes.parentId != nil) THEN \(changes.parentId ?? nil) ELSE parent_id END,
                        ein = CASE WHEN \(changes.ein != nil) THEN \(changes.ein ?? nil) ELSE ein END,
                        sam_uei = CASE WHEN \(changes.samUei != nil) THEN \(changes.samUei ?? nil) ELSE sam_uei END,
                        cooperative_number = CASE WHEN \(changes.cooperativeNumber != nil)
                            THEN \(changes.cooperativeNumber ?? nil) ELSE cooperative_number END,
                        updated_at = now()
                    WHERE id = \(id)
                    RETURNING \(unescaped: Self.columns)
                    """,
                    logger: database.logger
                )
                // Rows stream lazily: the unique violation surfaces while reading them.
                return try await Self.decode(rows).first(or: StoreError.notFound("tenant")).tenant
            }
            try await AuditLog.append(
                on: connection,
                tenant: nil,
                actor: actor,
                action: .tenantUpdated,
                subject: .tenant(id),
                payload: updated,
                logger: database.logger
            )
            return updated
        }
    }

    public func setStatus(_ id: UUID, to status: TenantStatus, by actor: Actor) async throws -> Tenant {
        try await database.withTransaction { connection in
            let previous = try await fetch(id, on: connection, forUpdate: true).status
            let rows = try await connection.query(
                """
                UPDATE tenant SET status = \(status.rawValue), updated_at = now() WHERE id = \(id)
                RETURNING \(unescaped: Self.columns)
                """,
                logger: database.logger
            )
            guard let tenant = try await Self.decode(rows).first?.tenant else { throw StoreError.notFound("tenant") }
            // tenant.suspended / tenant.reactivated, in this transaction (the outbox).
            try await connection.run(
                "SELECT tenant_status_publish(\(id), \(previous.rawValue))",
                logger: database.logger
            )
            try await AuditLog.append(
                on: connection,
                tenant: nil,
                actor: actor,
                action: status == .suspended ? .tenantSuspended : .tenantStatusChanged,
                subject: .tenant(id),
                payload: tenant,
                logger: database.logger
            )
            return tenant
        }
    }

    // MARK: Helpers

    func fetch(_ id: UUID, on connection: PostgresConnection, forUpdate: Bool = false) async throws -> Tenant {
        let rows = try await connection.query(
            "SELECT \(unescaped: Self.columns) FROM tenant WHERE id = \(id) \(unescaped: forUpdate ? "FOR UPDATE" : "")",
            logger: database.logger
        )
        guard let tenant = try await Self.decode(rows).first?.tenant else { throw StoreError.notFound("tenant") }
        return tenant
    }

    private func requireExists(_ id: UUID, pointer: String, on connection: PostgresConnection) async throws {
        let count =
            try await connection.query("SELECT count(*) FROM tenant WHERE id = \(id)", logger: database.logger)
            .decode(Int.self).array().first ?? 0
        if count == 0 { throw StoreError.invalid(pointer: pointer, detail: "no tenant has this id") }
    }

    private func mapUniqueViolation<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PSQLError where error.sqlState == .uniqueViolation {
            throw StoreError.conflict(pointer: "/slug", detail: "another tenant already uses this slug")
        }
    }

    static func decode(_ rows: PostgresRowSequence) async throws -> [(tenant: Tenant, seq: Int64)] {
        var tenants: [(Tenant, Int64)] = []
        for try await row in rows {
            let row = NamedRow(row)
            let tenant = Tenant(
                id: try row["id"],
                legalName: try row["legal_name"],
                slug: try row["slug"],
                entityType: try row.enumValue("entity_type", EntityType.self),
                state: try CatalogSQL.parse(try row["state"], column: "state", USState.init),
                parentId: try row["parent_id"],
                identifiers: TenantIdentifiers(
                    ein: try row["ein"],
                    samUei: try row["sam_uei"],
                    cooperativeNumber: try row["cooperative_number"]
                ),
                fiscalYearStartMonth: try row["fiscal_year_start_month"],
                status: try row.enumValue("status", TenantStatus.self),
                createdAt: try row["created_at"],
                updatedAt: try row["updated_at"]
            )
            let seq: Int64 = try row["seq"]
            tenants.append((tenant, seq))
        }
        return tenants
    }
}
