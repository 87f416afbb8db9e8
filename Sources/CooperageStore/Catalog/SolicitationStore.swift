import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// Reads and records lead agencies' solicitations (cooperative-level data, audited on the cooperative chain).
public struct SolicitationStore: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    static let columns = """
        s.id, s.lead_tenant_id, l.legal_name AS lead_agency_name, s.number, s.title, s.method, s.advertised_where,
        to_char(s.advertised_on, 'YYYY-MM-DD') AS advertised_on, s.cooperative_language_in_solicitation,
        s.cooperative_language_in_contract, s.award_basis, to_char(s.award_date, 'YYYY-MM-DD') AS award_date,
        s.created_at, s.seq
        """

    public func create(_ solicitation: NewSolicitation, by actor: Actor) async throws -> Solicitation {
        try await database.withTransaction { connection in
            let leads = try await connection.query(
                "SELECT count(*) FROM tenant WHERE id = \(solicitation.leadTenantId)",
                logger: database.logger
            ).decode(Int.self).array()
            if leads.first ?? 0 == 0 {
                throw StoreError.invalid(pointer: "/leadTenantId", detail: "no tenant has this id")
            }
            let id = try await CatalogSQL.mapUniqueViolation(
                constraint: "solicitation_number_key",
                pointer: "/number",
                detail: "this lead agency already has a solicitation with this number"
            ) {
                try await connection.query(
                    """
                    INSERT INTO solicitation (lead_tenant_id, number, title, method, advertised_where, advertised_on,
                                              cooperative_language_in_solicitation, cooperative_language_in_contract,
                                              award_basis, award_date)
                    VALUES (\(solicitation.leadTenantId), \(solicitation.number), \(solicitation.title),
                            \(solicitation.method.rawValue), \(solicitation.advertisedWhere),
                            \(solicitation.advertisedOn?.description)::date, \(solicitation.cooperativeLanguageInSolicitation),
                            \(solicitation.cooperativeLanguageInContract), \(solicitation.awardBasis.rawValue),
                            \(solicitation.awardDate?.description)::date)
                    RETURNING id
                    """,
                    logger: database.logger
                ).decode(UUID.self).array().first(or: StoreError.notFound("solicitation"))
            }
            let created = try await fetch(id, on: connection)
            try await AuditLog.append(
                on: connection,
                tenant: nil,
                actor: actor,
                action: .solicitationCreated,
                subject: .solicitation(id),
                payload: created,
                logger: database.logger
            )
            return created
        }
    }

    public func get(_ id: UUID) async throws -> Solicitation {
        try await database.withTransaction { connection in
            try await fetch(id, on: connection)
        }
    }

    /// A page of solicitations in creation order after `cursor` (a `seq`), optionally of one lead agency.
    public func list(limit: Int, after cursor: Int64?, leadTenantId: UUID?) async throws -> ([Solicitation], next: Int64?) {
        try await database.withTransaction { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM solicitation s JOIN tenant l ON l.id = s.lead_tenant_id
                WHERE s.seq > \(cursor ?? 0) AND (\(leadTenantId)::uuid IS NULL OR s.lead_tenant_id = \(leadTenantId))
                ORDER BY s.seq LIMIT \(limit + 1)
                """,
                logger: database.logger
            )
            let page = try await Self.decode(rows)
            let next = page.count > limit ? page[limit - 1].seq : nil
            return (page.prefix(limit).map(\.solicitation), next)
        }
    }

    // MARK: Helpers

    func fetch(_ id: UUID, on connection: PostgresConnection) async throws -> Solicitation {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM solicitation s JOIN tenant l ON l.id = s.lead_tenant_id
            WHERE s.id = \(id)
            """,
            logger: database.logger
        )
        guard let solicitation = try await Self.decode(rows).first?.solicitation else {
            throw StoreError.notFound("solicitation")
        }
        return solicitation
    }

    static func decode(_ rows: PostgresRowSequence) async throws -> [(solicitation: Solicitation, seq: Int64)] {
        var solicitations: [(Solicitation, Int64)] = []
        for try await row in rows {
            let row = NamedRow(row)
            let solicitation = Solicitation(
                id: try row["id"],
                leadTenantId: try row["lead_tenant_id"],
                leadAgencyName: try row["lead_agency_name"],
                number: try row["number"],
                title: try row["title"],
                method: try CatalogSQL.enumValue(
                    AuthorizationContext.SolicitationMethod.self,
                    try (row["method"] as String),
                    column: "method"
                ),
                advertisedWhere: try row["advertised_where"],
                advertisedOn: try row.optionalDate("advertised_on"),
                cooperativeLanguageInSolicitation: try row["cooperative_language_in_solicitation"],
                cooperativeLanguageInContract: try row["cooperative_language_in_contract"],
                awardBasis: try CatalogSQL.enumValue(
                    AuthorizationContext.AwardBasis.self,
                    try (row["award_basis"] as String),
                    column: "award_basis"
                ),
                awardDate: try row.optionalDate("award_date"),
                createdAt: try row["created_at"]
            )
            solicitations.append((solicitation, try (row["seq"] as Int64)))
        }
        return solicitations
    }
}
