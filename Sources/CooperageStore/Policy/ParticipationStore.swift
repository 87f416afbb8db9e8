import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// Reads and records a tenant's participation instruments (tenant data: row-level security applies).
///
/// ```swift
/// let recorded = try await participations.create(draft, tenantID: tenantID, by: Actor(principal))
/// let inForce = try await participations.list(tenantID: tenantID).filter { $0.isInForce(on: purchaseDate) }
/// ```
public struct ParticipationStore: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    static let columns = """
        id, tenant_id, kind, agreement_id, state, resolution_number, to_char(resolution_date, 'YYYY-MM-DD') AS resolution_date,
        to_char(effective_on, 'YYYY-MM-DD') AS effective_on, to_char(expires_on, 'YYYY-MM-DD') AS expires_on,
        termination_notice_days, document_reference, created_at
        """

    /// Records an instrument and its audit event (`participation.recorded`) in one tenant transaction.
    /// - Throws: ``StoreError/notFound(_:)`` for an unknown tenant; ``StoreError/invalid(pointer:detail:)`` on
    ///   `/agreementId` when no agreement has that id.
    public func create(_ draft: NewParticipation, tenantID: UUID, by actor: Actor) async throws -> Participation {
        try await database.withTenant(tenantID) { connection in
            try await PolicyQueries.requireTenant(tenantID, on: connection, logger: database.logger)
            if let agreementID = draft.agreementId {
                try await requireAgreement(agreementID, on: connection)
            }
            let rows = try await connection.query(
                """
                INSERT INTO participation (tenant_id, kind, agreement_id, state, resolution_number, resolution_date,
                                           effective_on, expires_on, termination_notice_days, document_reference)
                VALUES (\(tenantID), \(draft.kind.rawValue), \(draft.agreementId), \(draft.state?.code),
                        \(draft.resolutionNumber), \(draft.resolutionDate?.description)::date,
                        \(draft.effectiveOn.description)::date, \(draft.expiresOn?.description)::date,
                        \(draft.terminationNoticeDays), \(draft.documentReference))
                RETURNING id
                """,
                logger: database.logger
            )
            // Dates are formatted by a second read, not in RETURNING: Citus refuses non-immutable functions (to_char)
            // there.
            let id = try await rows.decode(UUID.self).array().first(or: StoreError.notFound("participation"))
            let created = try await Self.decode(
                try await connection.query(
                    "SELECT \(unescaped: Self.columns) FROM participation WHERE tenant_id = \(tenantID) AND id = \(id)",
                    logger: database.logger
                )
            ).first(or: StoreError.notFound("participation"))
            try await AuditLog.append(
                on: connection,
                tenant: tenantID,
                actor: actor,
                action: .participationRecorded,
                subject: .participation(created.id),
                payload: created,
                logger: database.logger
            )
            return created
        }
    }

    /// Every instrument of the tenant, oldest effective date first.
    /// - Throws: ``StoreError/notFound(_:)`` for an unknown tenant.
    public func list(tenantID: UUID) async throws -> [Participation] {
        try await database.withTenant(tenantID) { connection in
            try await PolicyQueries.requireTenant(tenantID, on: connection, logger: database.logger)
            return try await list(tenantID: tenantID, on: connection)
        }
    }

    /// Every instrument of the tenant, inside the caller's tenant transaction (as the authorization gate needs).
    public func list(tenantID: UUID, on connection: PostgresConnection) async throws -> [Participation] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM participation
            WHERE tenant_id = \(tenantID)
            ORDER BY effective_on, created_at, id
            """,
            logger: database.logger
        )
        return try await Self.decode(rows)
    }

    private func requireAgreement(_ id: UUID, on connection: PostgresConnection) async throws {
        let count =
            try await connection.query("SELECT count(*) FROM agreement WHERE id = \(id)", logger: database.logger)
            .decode(Int.self).array().first ?? 0
        if count == 0 { throw StoreError.invalid(pointer: "/agreementId", detail: "no agreement has this id") }
    }

    static func decode(_ rows: PostgresRowSequence) async throws -> [Participation] {
        var participations: [Participation] = []
        for try await row in rows {
            let row = NamedRow(row)
            let state: String? = try row["state"]
            participations.append(
                Participation(
                    id: try row["id"],
                    tenantId: try row["tenant_id"],
                    kind: try row.enumValue("kind", Participation.Kind.self),
                    agreementId: try row["agreement_id"],
                    state: try state.map { try CatalogSQL.parse($0, column: "state", USState.init) },
                    resolutionNumber: try row["resolution_number"],
                    resolutionDate: try row.optionalDate("resolution_date"),
                    effectiveOn: try row.date("effective_on"),
                    expiresOn: try row.optionalDate("expires_on"),
                    terminationNoticeDays: try row["termination_notice_days"],
                    documentReference: try row["document_reference"],
                    createdAt: try row["created_at"]
                )
            )
        }
        return participations
    }
}
