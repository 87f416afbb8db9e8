import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// Publishes, searches and changes Master Agreements (cooperative-level data, audited on the cooperative chain).
public struct AgreementStore: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Filters of an agreement search; nil members do not filter.
    public struct Search: Sendable {
        public var status: AuthorizationContext.AgreementStatus?
        public var supplierId: UUID?
        public var leadTenantId: UUID?
        /// An 8-digit UNSPSC code: agreements listing it or a segment, family or class code covering it.
        public var category: String?
        /// Text found (case-insensitively) in the number, the title or the supplier's name.
        public var text: String?
        /// Only agreements this tenant may use on this day (see ``list(limit:after:search:)``).
        public var usableBy: (tenantID: UUID, on: LocalDate)?

        public init(
            status: AuthorizationContext.AgreementStatus? = nil,
            supplierId: UUID? = nil,
            leadTenantId: UUID? = nil,
            category: String? = nil,
            text: String? = nil,
            usableBy: (tenantID: UUID, on: LocalDate)? = nil
        ) {
            self.status = status
            self.supplierId = supplierId
            self.leadTenantId = leadTenantId
            self.category = category
            self.text = text
            self.usableBy = usableBy
        }
    }

    static let columns = """
        a.id, a.number, a.title, a.lead_tenant_id, l.legal_name AS lead_agency_name, a.solicitation_id, a.supplier_id,
        s.name AS supplier_name, a.categories, a.nigp_codes, to_char(a.effective_on, 'YYYY-MM-DD') AS effective_on,
        to_char(a.expires_on, 'YYYY-MM-DD') AS expires_on, a.renewal_options::text AS renewal_options,
        to_char(a.maximum_term_ends_on, 'YYYY-MM-DD') AS maximum_term_ends_on, a.status, a.ceiling_cents,
        coalesce(c.committed_cents, 0) AS committed_cents, a.eligible_entity_types, a.eligible_states, a.compliance_letter_on_file,
        a.telecom_attestation_200216, a.admin_fee_basis_points, a.price_tiers::text AS price_tiers,
        a.documents::text AS documents, a.supplier_report_due_days, a.created_at, a.updated_at, a.seq, a.terms_version
        """

    static let source = """
        agreement a JOIN supplier s ON s.id = a.supplier_id JOIN tenant l ON l.id = a.lead_tenant_id
        LEFT JOIN agreement_commitment c ON c.agreement_id = a.id
        """

    public func create(_ agreement: NewAgreement, by actor: Actor) async throws -> MasterAgreement {
        try await database.withTransaction { connection in
            try await checkReferences(of: agreement, on: connection)
            let id = try await CatalogSQL.mapUniqueViolation(
                constraint: "agreement_number_key",
                pointer: "/number",
                detail: "another agreement already has this number"
            ) {
                try await connection.query(
                    """
                    INSERT INTO agreement (number, title, lead_tenant_id, solicitation_id, supplier_id, categories, nigp_codes,
                                           effective_on, expires_on, renewal_options, maximum_term_ends_on, status,
                                           ceiling_cents, eligible_entity_types, eligible_states, compliance_letter_on_file,
                                           telecom_attestation_200216, admin_fee_basis_points, price_tiers, documents,
                                           supplier_report_due_days)
                    VALUES (\(agreement.number), \(agreement.title), \(agreement.leadTenantId), \(agreement.solicitationId),
                            \(agreement.supplierId), \(agreement.categories), \(agreement.nigpCodes ?? []),
                            \(agreement.effectiveOn.description)::date, \(agreement.expiresOn.description)::date,
                            \(try CatalogSQL.json(agreement.renewalOptions ?? []))::jsonb,
                            \(agreement.maximumTermEndsOn?.description)::date, \((agreement.status ?? .active).rawValue),
                            \(agreement.ceilingCents), \((agreement.eligibleEntityTypes ?? []).map(\.rawValue)),
                            \((agreement.eligibleStates ?? []).map(\.code)), \(agreement.complianceLetterOnFile ?? false),
                            \(agreement.telecomAttestation200216 ?? false), \(agreement.adminFeeBasisPoints ?? 0),
                            \(try CatalogSQL.json(agreement.priceTiers ?? []))::jsonb,
                            \(try CatalogSQL.json(agreement.documents ?? []))::jsonb,
                            \(agreement.supplierReportDueDays ?? MasterAgreement.defaultSupplierReportDueDays))
                    RETURNING id
                    """,
                    logger: database.logger
                ).decode(UUID.self).array().first(or: StoreError.notFound("agreement"))
            }
            var created = try await fetch(id, on: connection)
            try await insertTerms(
                of: created,
                version: 1,
                effectiveOn: created.effectiveOn,
                by: actor,
                on: connection
            )
            created.amendments = []
            try await AuditLog.append(
                on: connection,
                tenant: nil,
                actor: actor,
                action: .agreementCreated,
                subject: .agreement(id),
                payload: created,
                logger: database.logger
            )
            return created
        }
    }

    /// One agreement with its amendments.
    public func get(_ id: UUID) async throws -> MasterAgreement {
        try await database.withTransaction { connection in
            var agreement = try await fetch(id, on: connection)
            agreement.amendments = try await amendments(of: id, on: connection)
            return agreement
        }
    }

    /// A page of agreements in publication order after `cursor` (a `seq`).
    ///
    /// With `search.usableBy`, only agreements the tenant may use on that day: status `active`, the day within
    /// `effectiveOn...expiresOn`, the tenant's entity type and state eligible, the supplier not suspended or
    /// debarred on that day, and a participation instrument of the tenant in force that day which is general,
    /// for this agreement, or for the tenant's state. Participation rows are tenant data, so that search runs
    /// in the tenant's own transaction (row-level security applies).
    public func list(limit: Int, after cursor: Int64?, search: Search) async throws -> ([MasterAgreement], next: Int64?) {
        let covering = search.category.map(MasterAgreement.coveringCodes(of:))
        let pattern = search.text.map(CatalogSQL.containsPattern)
        let usableTenant = search.usableBy?.tenantID
        let day = search.usableBy?.on.description
        let query: PostgresQuery = """
            SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.source)
            WHERE a.seq > \(cursor ?? 0)
              AND (\(search.status?.rawValue)::text IS NULL OR a.status = \(search.status?.rawValue))
              AND (\(search.supplierId)::uuid IS NULL OR a.supplier_id = \(search.supplierId))
              AND (\(search.leadTenantId)::uuid IS NULL OR a.lead_tenant_id = \(search.leadTenantId))
              AND (\(covering)::text[] IS NULL OR a.categories && \(covering)::text[])
              AND (\(pattern)::text IS NULL
                   OR a.number ILIKE \(pattern) OR a.title ILIKE \(pattern) OR s.name ILIKE \(pattern))
              AND (\(usableTenant)::uuid IS NULL OR (
                  a.status = 'active'
                  AND \(day)::date BETWEEN a.effective_on AND a.expires_on
                  AND NOT (s.status IN ('suspended', 'debarred')
                           AND (s.status_effective_on IS NULL OR s.status_effective_on <= \(day)::date))
                  AND EXISTS (
                      SELECT 1 FROM tenant me
                      WHERE me.id = \(usableTenant)
                        AND (cardinality(a.eligible_entity_types) = 0 OR me.entity_type = ANY (a.eligible_entity_types))
                        AND (cardinality(a.eligible_states) = 0 OR me.state = ANY (a.eligible_states))
                        AND EXISTS (
                            SELECT 1 FROM participation p
                            WHERE p.tenant_id = me.id
                              AND p.effective_on <= \(day)::date
                              AND (p.expires_on IS NULL OR p.expires_on >= \(day)::date)
                              AND (p.agreement_id IS NULL OR p.agreement_id = a.id)
                              AND (p.state IS NULL OR p.state = me.state)))))
            ORDER BY a.seq LIMIT \(limit + 1)
            """
        let body: (PostgresConnection) async throws -> ([MasterAgreement], next: Int64?) = { connection in
            let page = try await Self.decode(try await connection.query(query, logger: database.logger))
            let next = page.count > limit ? page[limit - 1].seq : nil
            return (page.prefix(limit).map(\.agreement), next)
        }
        if let usableTenant {
            return try await database.withTenant(usableTenant, body)
        }
        return try await database.withTransaction(body)
    }

    /// Applies a merge patch under the lock of the agreement's commitment row (`agreement_commitment`), which every
    /// decision on the agreement takes before reading its terms, so the ceiling check and the authorization gate
    /// never interleave.
    ///
    /// A patch that changes the terms (``AgreementTerms``: ceiling, price tiers, eligibility, administrative fee)
    /// is an amendment: the agreement moves to the next terms version, which is kept with the day it takes effect
    /// (`amendmentEffectiveOn`, else `today`, or the current version's day for an agreement not yet started) and
    /// listed among its amendments. Decisions waiting on the row's lock are then made under the new version.
    /// - Parameter today: the day an amendment takes effect when the patch does not say (``LocalDate/today(_:)``).
    public func update(
        _ id: UUID,
        with changes: AgreementChanges,
        by actor: Actor,
        today: LocalDate = .today()
    ) async throws -> MasterAgreement {
        try await database.withTransaction { connection in
            let current = try await fetch(id, on: connection, forUpdate: true)
            var merged = changes.applied(to: current)
            if let issue = merged.termIssues.first {
                throw StoreError.invalid(pointer: issue.pointer, detail: issue.detail)
            }
            if let ceiling = merged.ceilingCents, ceiling < current.committedCents {
                throw StoreError.conflict(
                    pointer: "/ceilingCents",
                    detail:
                        "the ceiling cannot be lowered to \(ceiling) cents: agencies have already committed \(current.committedCents) cents on this agreement"
                )
            }
            let termsChanges = AgreementTerms(of: current).changes(to: AgreementTerms(of: merged))
            var amendmentEffectiveOn: LocalDate?
            if !termsChanges.isEmpty {
                amendmentEffectiveOn = try await effectiveDay(
                    of: changes.amendmentEffectiveOn,
                    amending: current,
                    today: today,
                    on: connection
                )
                merged.termsVersion = current.termsVersion + 1
            }
            try await connection.query(
                """
                UPDATE agreement SET
                    title = \(merged.title), categories = \(merged.categories), nigp_codes = \(merged.nigpCodes),
                    effective_on = \(merged.effectiveOn.description)::date, expires_on = \(merged.expiresOn.description)::date,
                    renewal_options = \(try CatalogSQL.json(merged.renewalOptions))::jsonb,
                    maximum_term_ends_on = \(merged.maximumTermEndsOn?.description)::date, status = \(merged.status.rawValue),
                    ceiling_cents = \(merged.ceilingCents), eligible_entity_types = \(merged.eligibleEntityTypes.map(\.rawValue)),
                    eligible_states = \(merged.eligibleStates.map(\.code)),
                    compliance_letter_on_file = \(merged.complianceLetterOnFile),
                    telecom_attestation_200216 = \(merged.telecomAttestation200216),
                    admin_fee_basis_points = \(merged.adminFeeBasisPoints),
                    price_tiers = \(try CatalogSQL.json(merged.priceTiers))::jsonb,
                    documents = \(try CatalogSQL.json(merged.documents))::jsonb,
                    supplier_report_due_days = \(merged.supplierReportDueDays),
                    terms_version = \(merged.termsVersion),
                    updated_at = now()
                WHERE id = \(id)
                """,
                logger: database.logger
            )
            if let amendmentEffectiveOn {
                try await insertTerms(
                    of: merged,
                    version: merged.termsVersion,
                    effectiveOn: amendmentEffectiveOn,
                    by: actor,
                    on: connection
                )
                try await insertAmendment(
                    of: id,
                    kind: .terms,
                    effectiveOn: amendmentEffectiveOn,
                    rationale: changes.amendmentRationale,
                    changes: termsChanges,
                    termsVersion: merged.termsVersion,
                    by: actor,
                    on: connection
                )
            }
            var updated = try await fetch(id, on: connection)
            updated.amendments = try await amendments(of: id, on: connection)
            try await AuditLog.append(
                on: connection,
                tenant: nil,
                actor: actor,
                action: .agreementUpdated,
                subject: .agreement(id),
                payload: updated,
                logger: database.logger
            )
            return updated
        }
    }

    // MARK: Helpers

    /// The lead exists, the solicitation exists and is the lead's, the supplier exists.
    private func checkReferences(of agreement: NewAgreement, on connection: PostgresConnection) async throws {
        let leads = try await connection.query(
            "SELECT count(*) FROM tenant WHERE id = \(agreement.leadTenantId)",
            logger: database.logger
        ).decode(Int.self).array()
        if leads.first ?? 0 == 0 {
            throw StoreError.invalid(pointer: "/leadTenantId", detail: "no tenant has this id")
        }
        let solicitationLead = try await connection.query(
            "SELECT lead_tenant_id FROM solicitation WHERE id = \(agreement.solicitationId)",
            logger: database.logger
        ).decode(UUID.self).array()
        guard let lead = solicitationLead.first else {
            throw StoreError.invalid(pointer: "/solicitationId", detail: "no solicitation has this id")
        }
        if lead != agreement.leadTenantId {
            throw StoreError.invalid(
                pointer: "/solicitationId",
                detail: "this solicitation was run by another lead agency than leadTenantId"
            )
        }
        let suppliers = try await connection.query(
            "SELECT count(*) FROM supplier WHERE id = \(agreement.supplierId)",
            logger: database.logger
        ).decode(Int.self).array()
        if suppliers.first ?? 0 == 0 {
            throw StoreError.invalid(pointer: "/supplierId", detail: "no supplier has this id")
        }
    }

    /// The agreement; `forUpdate` locks it for a change, and first its commitment row, the lock every decision on it
    /// takes before reading its terms (`agreement_commitment`), so no decision reads terms that are being changed.
    func fetch(_ id: UUID, on connection: PostgresConnection, forUpdate: Bool = false) async throws -> MasterAgreement {
        if forUpdate {
            try await connection.run(
                """
                INSERT INTO agreement_commitment (agreement_id) SELECT a.id FROM agreement a WHERE a.id = \(id)
                ON CONFLICT DO NOTHING
                """,
                logger: database.logger
            )
            try await connection.run(
                "SELECT FROM agreement_commitment WHERE agreement_id = \(id) FOR UPDATE",
                logger: database.logger
            )
        }
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.source)
            WHERE a.id = \(id) \(unescaped: forUpdate ? "FOR UPDATE OF a" : "")
            """,
            logger: database.logger
        )
        guard let agreement = try await Self.decode(rows).first?.agreement else { throw StoreError.notFound("agreement") }
        return agreement
    }

    static func decode(_ rows: PostgresRowSequence) async throws -> [(agreement: MasterAgreement, seq: Int64)] {
        var agreements: [(MasterAgreement, Int64)] = []
        for try await row in rows {
            let row = NamedRow(row)
            let entityTypes = try Self.entityTypes(row)
            let states = try Self.states(row)
            let agreement = MasterAgreement(
                id: try row["id"],
                number: try row["number"],
                title: try row["title"],
                leadTenantId: try row["lead_tenant_id"],
                leadAgencyName: try row["lead_agency_name"],
                solicitationId: try row["solicitation_id"],
                supplierId: try row["supplier_id"],
                supplierName: try row["supplier_name"],
                categories: try row["categories"],
                nigpCodes: try row["nigp_codes"],
                effectiveOn: try row.date("effective_on"),
                expiresOn: try row.date("expires_on"),
                renewalOptions: try CatalogSQL.decodeJSON(
                    [RenewalOption].self,
                    try (row["renewal_options"] as String),
                    column: "renewal_options"
                ),
                maximumTermEndsOn: try CatalogSQL.date(
                    try (row["maximum_term_ends_on"] as String?),
                    column: "maximum_term_ends_on"
                ),
                status: try CatalogSQL.enumValue(
                    AuthorizationContext.AgreementStatus.self,
                    try (row["status"] as String),
                    column: "status"
                ),
                ceilingCents: try row["ceiling_cents"],
                committedCents: try row["committed_cents"],
                eligibleEntityTypes: entityTypes,
                eligibleStates: states,
                complianceLetterOnFile: try row["compliance_letter_on_file"],
                telecomAttestation200216: try row["telecom_attestation_200216"],
                adminFeeBasisPoints: try row["admin_fee_basis_points"],
                priceTiers: try CatalogSQL.decodeJSON(
                    [PriceTier].self,
                    try (row["price_tiers"] as String),
                    column: "price_tiers"
                ),
                documents: try CatalogSQL.decodeJSON(
                    [AgreementDocument].self,
                    try (row["documents"] as String),
                    column: "documents"
                ),
                createdAt: try row["created_at"],
                updatedAt: try row["updated_at"],
                supplierReportDueDays: try row["supplier_report_due_days"],
                termsVersion: try row["terms_version"]
            )
            agreements.append((agreement, try (row["seq"] as Int64)))
        }
        return agreements
    }

    static func entityTypes(_ row: NamedRow) throws -> [EntityType] {
        try (row["eligible_entity_types"] as [String]).map {
            try CatalogSQL.enumValue(EntityType.self, $0, column: "eligible_entity_types")
        }
    }

    static func states(_ row: NamedRow) throws -> [USState] {
        try (row["eligible_states"] as [String]).map { code in
            guard let state = USState(code) else { throw CatalogSQL.UnexpectedValue(column: "eligible_states", value: code) }
            return state
        }
    }
}
