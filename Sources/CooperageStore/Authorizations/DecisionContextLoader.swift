import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// Gathers, inside one tenant transaction, every fact the rule engine needs to decide a request.
///
/// The agreement row is locked (`FOR UPDATE`) for the rest of the transaction: decisions on the same
/// agreement run one after the other, so concurrent requests can never together pass its ceiling.
struct DecisionContextLoader {
    let connection: PostgresConnection
    let participations: ParticipationStore
    let logger: Logger

    struct Loaded {
        var context: AuthorizationContext
        var policyVersion: Int
        var policy: [PolicyRule]
    }

    /// - Parameters:
    ///   - excluding: the authorization being re-decided, left out of the history and totals.
    ///   - policyVersion: the version to decide under; nil for the tenant's current policy.
    func load(
        tenantID: UUID,
        request: AuthorizationContext.Request,
        agreementID: UUID,
        approvals: [AuthorizationContext.RecordedApproval],
        excluding: UUID?,
        policyVersion: Int?
    ) async throws -> Loaded {
        let tenant = try await loadTenant(tenantID)
        let agreement = try await lockAgreement(agreementID)
        let instruments = try await participations.list(tenantID: tenantID, on: connection).map(\.instrument)
        let (version, rules) = try await loadPolicy(tenantID, version: policyVersion)
        var context = AuthorizationContext(
            request: request,
            approvals: approvals,
            tenant: tenant,
            agreement: agreement.agreement,
            participationInstruments: instruments,
            committedOnAgreementCents: agreement.committedCents
        )
        try await loadHistory(into: &context, tenantID: tenantID, agreementID: agreementID, excluding: excluding)
        // Only source-preference rules look at other agreements; the query is the costliest of a decision.
        if rules.contains(where: { $0.type == RuleType.sourcePreference.rawValue }) {
            context.alternativeSources = try await loadAlternativeSources(
                tenant: tenant,
                agreementID: agreementID,
                category: request.category,
                on: request.purchaseDate
            )
        }
        return Loaded(context: context, policyVersion: version, policy: rules)
    }

    private func loadTenant(_ id: UUID) async throws -> AuthorizationContext.Tenant {
        let rows = try await connection.query(
            "SELECT entity_type, state, status, fiscal_year_start_month FROM tenant WHERE id = \(id)",
            logger: logger
        ).decode((String, String, String, Int).self).array()
        guard let (entityType, state, status, month) = rows.first else { throw StoreError.notFound("tenant") }
        return AuthorizationContext.Tenant(
            id: id.uuidString.lowercased(),
            entityType: EntityType(rawValue: entityType)!,
            state: USState(state)!,
            active: status == "active",
            fiscalYearStartMonth: month
        )
    }

    private func lockAgreement(_ id: UUID) async throws -> (agreement: AuthorizationContext.Agreement, committedCents: Int) {
        let rows = try await connection.query(
            """
            SELECT a.number, a.status, a.effective_on::text, a.expires_on::text, a.categories, a.nigp_codes,
                   a.eligible_entity_types, a.eligible_states, a.ceiling_cents, a.compliance_letter_on_file,
                   a.telecom_attestation_200216, a.committed_cents,
                   l.legal_name, l.state, l.entity_type,
                   s.number, s.method, s.advertised_where, s.advertised_on::text, s.cooperative_language_in_solicitation,
                   s.cooperative_language_in_contract, s.award_basis,
                   p.id, p.name, p.status, p.status_effective_on::text
            FROM agreement a
            JOIN tenant l ON l.id = a.lead_tenant_id
            JOIN solicitation s ON s.id = a.solicitation_id
            JOIN supplier p ON p.id = a.supplier_id
            WHERE a.id = \(id)
            FOR UPDATE OF a
            """,
            logger: logger
        ).decode(
            (
                String, String, String, String, [String], [String], [String], [String], Int?, Bool, Bool, Int,
                String, String, String, String, String, String?, String?, Bool, Bool, String, UUID, String, String, String?
            ).self
        ).array()
        guard
            let (
                number, status, effectiveOn, expiresOn, categories, nigp, entityTypes, states, ceiling, letter, attestation,
                committed, leadName, leadState, leadType, solicitationNumber, method, advertisedWhere, advertisedOn,
                languageInSolicitation, languageInContract, awardBasis, supplierID, supplierName, supplierStatus,
                supplierStatusOn
            ) = rows.first
        else {
            throw StoreError.invalid(pointer: "/agreementId", detail: "no Master Agreement has this id")
        }
        let leadEntity = EntityType(rawValue: leadType)
        let agreement = AuthorizationContext.Agreement(
            id: id.uuidString.lowercased(),
            number: number,
            status: .init(rawValue: status)!,
            effectiveOn: LocalDate(iso8601: effectiveOn)!,
            expiresOn: LocalDate(iso8601: expiresOn)!,
            categories: categories,
            nigpCodes: nigp,
            eligibleEntityTypes: entityTypes.compactMap(EntityType.init(rawValue:)),
            eligibleStates: states.compactMap(USState.init),
            ceilingCents: ceiling,
            complianceLetterOnFile: letter,
            telecomAttestation200216: attestation,
            leadAgency: .init(
                name: leadName,
                state: USState(leadState),
                entityType: leadEntity,
                isPublic: leadEntity != .nonprofit,
                isFederal: false
            ),
            solicitation: .init(
                number: solicitationNumber,
                method: .init(rawValue: method)!,
                advertised: advertisedOn != nil || advertisedWhere != nil,
                advertisedWhere: advertisedWhere,
                advertisedOn: advertisedOn.flatMap { LocalDate(iso8601: $0) },
                cooperativeLanguageInSolicitation: languageInSolicitation,
                cooperativeLanguageInContract: languageInContract,
                awardBasis: .init(rawValue: awardBasis)!
            ),
            supplier: .init(
                id: supplierID.uuidString.lowercased(),
                name: supplierName,
                status: .init(rawValue: supplierStatus)!,
                statusEffectiveOn: supplierStatusOn.flatMap { LocalDate(iso8601: $0) }
            )
        )
        return (agreement, committed)
    }

    /// The policy version to decide under (the latest when `version` is nil); version 0 is the empty policy.
    private func loadPolicy(_ tenantID: UUID, version: Int?) async throws -> (Int, [PolicyRule]) {
        let rows = try await connection.query(
            """
            SELECT version, rules::text FROM policy_version
            WHERE tenant_id = \(tenantID) AND (\(version)::int IS NULL OR version = \(version))
            ORDER BY version DESC LIMIT 1
            """,
            logger: logger
        ).decode((Int, String).self).array()
        guard let (found, rules) = rows.first else { return (0, []) }
        return (found, try JSONColumn.value([PolicyRule].self, from: rules))
    }

    private func loadHistory(into context: inout AuthorizationContext, tenantID: UUID, agreementID: UUID, excluding: UUID?)
        async throws
    {
        let date = context.request.purchaseDate
        let fiscalStart = date.fiscalYearStart(startMonth: context.tenant.fiscalYearStartMonth)
        let fiscalEnd = LocalDate(year: fiscalStart.year + 1, month: fiscalStart.month, day: 1)!.adding(days: -1)
        let lookBack = date.adding(days: -730)
        let excluded = excluding ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        let totals = try await connection.query(
            """
            SELECT coalesce(sum(authorized_amount_cents) FILTER (WHERE agreement_id = \(agreementID)), 0)::bigint,
                   coalesce(sum(authorized_amount_cents) FILTER (WHERE agreement_id = \(agreementID)
                       AND purchase_date BETWEEN \(fiscalStart.description)::date AND \(fiscalEnd.description)::date), 0)::bigint
            FROM authorization_request
            WHERE tenant_id = \(tenantID) AND outcome = 'approved' AND id <> \(excluded)
            """,
            logger: logger
        ).decode((Int, Int).self).array()
        context.tenantSpendOnAgreementCents = totals.first?.0 ?? 0
        context.tenantSpendOnAgreementThisFiscalYearCents = totals.first?.1 ?? 0
        context.recentOrders = try await connection.query(
            """
            SELECT purchase_date::text, authorized_amount_cents, category, supplier_id, agreement_id
            FROM authorization_request
            WHERE tenant_id = \(tenantID) AND outcome = 'approved' AND id <> \(excluded)
              AND purchase_date >= \(lookBack.description)::date
            """,
            logger: logger
        ).decode((String, Int, String, UUID, UUID).self).array().map { day, amount, category, supplier, agreement in
            AuthorizationContext.PriorOrder(
                date: LocalDate(iso8601: day)!,
                amountCents: amount,
                category: category,
                supplierId: supplier.uuidString.lowercased(),
                agreementId: agreement.uuidString.lowercased()
            )
        }
        let accounts = try await connection.query(
            """
            SELECT line->>'account', sum((line->>'amountCents')::bigint)::bigint
            FROM authorization_request, jsonb_array_elements(funding_lines) AS line
            WHERE tenant_id = \(tenantID) AND outcome = 'approved' AND id <> \(excluded)
              AND purchase_date BETWEEN \(fiscalStart.description)::date AND \(fiscalEnd.description)::date
              AND line->>'account' IS NOT NULL
            GROUP BY 1
            """,
            logger: logger
        ).decode((String, Int).self).array()
        context.accountSpentCents = Dictionary(accounts, uniquingKeysWith: +)
    }

    /// Other agreements in force that cover the category and that this tenant may use, by where they come from.
    private func loadAlternativeSources(
        tenant: AuthorizationContext.Tenant,
        agreementID: UUID,
        category: String,
        on date: LocalDate
    ) async throws -> [AuthorizationContext.AgreementSource] {
        let leads = try await connection.query(
            """
            SELECT DISTINCT l.state, l.entity_type FROM agreement a JOIN tenant l ON l.id = a.lead_tenant_id
            WHERE a.id <> \(agreementID) AND a.status = 'active'
              AND \(date.description)::date BETWEEN a.effective_on AND a.expires_on
              AND (cardinality(a.eligible_entity_types) = 0 OR \(tenant.entityType.rawValue) = ANY (a.eligible_entity_types))
              AND (cardinality(a.eligible_states) = 0 OR \(tenant.state.code) = ANY (a.eligible_states))
              AND EXISTS (SELECT 1 FROM unnest(a.categories) AS c WHERE \(category) LIKE rtrim(c, '0') || '%')
            """,
            logger: logger
        ).decode((String, String).self).array()
        let sources = leads.map { state, entityType -> AuthorizationContext.AgreementSource in
            guard state == tenant.state.code else { return .outOfState }
            return entityType == EntityType.stateAgency.rawValue ? .stateContract : .inState
        }
        return Array(Set(sources)).sorted { $0.rawValue < $1.rawValue }
    }
}
