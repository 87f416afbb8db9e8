import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// Gathers, in one statement of the caller's transaction (`authorization_decision_facts`, sql/schema.sql), every
/// fact the rule engine needs to decide a request. The statement also sets the transaction's tenant.
///
/// The agreement row is locked (`FOR NO KEY UPDATE`) for the rest of the transaction: decisions on the same
/// agreement run one after the other, so concurrent requests can never together pass its ceiling.
struct DecisionContextLoader {
    let connection: PostgresConnection
    let logger: Logger
    /// ``Database/preparedStatements``: named prepared statements, or unnamed ones behind a transaction pooler.
    let prepared: Bool

    struct Loaded {
        var context: AuthorizationContext
        var policyVersion: Int
        var policy: [PolicyRule]
        /// The version of the agreement's terms the context holds, read from the row the statement locked: the
        /// version the decision is made under, recorded with it.
        var agreementTermsVersion: Int
    }

    enum Result {
        /// A request with the same Idempotency-Key exists: its id and request digest (nothing else was read).
        case replay(UUID, digest: String?)
        case loaded(Loaded)
    }

    /// - Parameters:
    ///   - idempotencyKey: serializes requests with the same key and looks for an earlier one first.
    ///   - excluding: the authorization being re-decided, left out of the history and totals.
    ///   - policyVersion: the version to decide under; nil for the tenant's current policy.
    func load(
        tenantID: UUID,
        idempotencyKey: String?,
        request: AuthorizationContext.Request,
        agreementID: UUID,
        approvals: [AuthorizationContext.RecordedApproval],
        excluding: UUID?,
        policyVersion: Int?
    ) async throws -> Result {
        let statement = DecisionFactsStatement(
            tenantID: tenantID,
            idempotencyKey: idempotencyKey,
            agreementID: agreementID,
            purchaseDate: request.purchaseDate.description,
            category: request.category,
            policyVersion: policyVersion,
            excluding: excluding
        )
        let row = try await firstRow(of: statement)
        return try decode(row, tenantID: tenantID, request: request, agreementID: agreementID, approvals: approvals)
    }

    /// A new request's facts under the tenant's current policy, read in the same statement that checks the agency
    /// token asking for it (`authorization_decision_facts_presented`, sql/schema.sql) rather than in a round trip of
    /// its own. A token that may not ask throws its ``TokenStore/Rejection`` and nothing else is read.
    /// - Returns: the facts and the token that asked, as the audit trail records it.
    func load(
        presenting secretHash: Data,
        roles: [Role],
        tenantID: UUID,
        idempotencyKey: String?,
        request: AuthorizationContext.Request,
        agreementID: UUID
    ) async throws -> (Result, askedBy: Actor) {
        let statement = PresentedDecisionFactsStatement(
            tenantID: tenantID,
            secretHash: secretHash,
            roles: roles,
            idempotencyKey: idempotencyKey,
            agreementID: agreementID,
            purchaseDate: request.purchaseDate.description,
            category: request.category
        )
        let row = try await firstRow(of: statement)
        let status: String = try row["status"]
        if let rejection = try TokenStore.Rejection(status: status, row: row, roles: roles) { throw rejection }
        let askedBy = Actor(tokenID: try (row["token_id"] as UUID), role: try (row["token_role"] as String))
        return (try decode(row, tenantID: tenantID, request: request, agreementID: agreementID, approvals: []), askedBy)
    }

    private func firstRow<Statement: PostgresPreparedStatement>(of statement: Statement) async throws
        -> NamedRow where Statement.Row == PostgresRow
    {
        let rows = try await connection.rows(of: statement, prepared: prepared, logger: logger)
        guard let row = rows.first.map(NamedRow.init) else { throw StoreError.notFound("tenant") }
        return row
    }

    /// The facts' row (the columns of `authorization_decision_facts`) as the engine's context.
    private func decode(
        _ row: NamedRow,
        tenantID: UUID,
        request: AuthorizationContext.Request,
        agreementID: UUID,
        approvals: [AuthorizationContext.RecordedApproval]
    ) throws -> Result {
        if let replay = try (row["replay_id"] as UUID?) {
            return .replay(replay, digest: try (row["replay_digest"] as String?))
        }
        guard try (row["tenant_found"] as Bool?) == true else { throw StoreError.notFound("tenant") }
        guard try (row["agreement_found"] as Bool?) == true else {
            throw StoreError.invalid(pointer: "/agreementId", detail: "no Master Agreement has this id")
        }
        let tenant = AuthorizationContext.Tenant(
            id: tenantID,
            entityType: try CatalogSQL.parse(try (row["entity_type"] as String), column: "entity_type") {
                EntityType(rawValue: $0)
            },
            state: try CatalogSQL.parse(try (row["state"] as String), column: "state", USState.init),
            active: try (row["tenant_status"] as String) == "active",
            fiscalYearStartMonth: try row["fiscal_year_start_month"]
        )
        let rules = try JSONColumn.value([PolicyRule].self, from: try (row["policy_rules"] as String))
        var context = AuthorizationContext(
            request: request,
            approvals: approvals,
            tenant: tenant,
            agreement: try Self.agreement(agreementID, from: row),
            participationInstruments: try JSONColumn.value(
                [AuthorizationContext.ParticipationInstrument].self,
                from: try row["instruments"]
            ),
            committedOnAgreementCents: try row["committed_cents"],
            tenantSpendOnAgreementCents: try row["spend_on_agreement_cents"],
            tenantSpendOnAgreementThisFiscalYearCents: try row["spend_this_fiscal_year_cents"],
            recentOrders: try Self.recentOrders(row),
            accountSpentCents: Dictionary(
                zip(try (row["account_codes"] as [String]), try (row["account_spent"] as [Int])),
                uniquingKeysWith: +
            )
        )
        if let leads = try (row["alternative_leads"] as String?) {
            context.alternativeSources = Self.sources(
                of: try JSONColumn.value([Lead].self, from: leads),
                seenFrom: tenant
            )
        }
        return .loaded(
            Loaded(
                context: context,
                policyVersion: try (row["policy_version"] as Int),
                policy: rules,
                agreementTermsVersion: try row["agreement_terms_version"]
            )
        )
    }

    private static func agreement(_ id: UUID, from row: NamedRow) throws -> AuthorizationContext.Agreement {
        let leadEntity = EntityType(rawValue: try (row["lead_entity_type"] as String))
        let advertisedOn: String? = try row["advertised_on"]
        let advertisedWhere: String? = try row["advertised_where"]
        return AuthorizationContext.Agreement(
            id: id,
            number: try row["number"],
            status: try CatalogSQL.parse(try (row["agreement_status"] as String), column: "agreement_status") {
                .init(rawValue: $0)
            },
            effectiveOn: try row.date("effective_on"),
            expiresOn: try row.date("expires_on"),
            categories: try row["categories"],
            nigpCodes: try row["nigp_codes"],
            eligibleEntityTypes: try (row["eligible_entity_types"] as [String]).compactMap(EntityType.init(rawValue:)),
            eligibleStates: try (row["eligible_states"] as [String]).compactMap(USState.init),
            ceilingCents: try row["ceiling_cents"],
            complianceLetterOnFile: try row["compliance_letter_on_file"],
            telecomAttestation200216: try row["telecom_attestation_200216"],
            leadAgency: .init(
                name: try row["lead_name"],
                state: USState(try (row["lead_state"] as String)),
                entityType: leadEntity,
                isPublic: leadEntity != .nonprofit,
                isFederal: false
            ),
            solicitation: .init(
                number: try row["solicitation_number"],
                method: try CatalogSQL.parse(try (row["solicitation_method"] as String), column: "solicitation_method") {
                    .init(rawValue: $0)
                },
                advertised: advertisedOn != nil || advertisedWhere != nil,
                advertisedWhere: advertisedWhere,
                advertisedOn: advertisedOn.flatMap { LocalDate(iso8601: $0) },
                cooperativeLanguageInSolicitation: try row["cooperative_language_in_solicitation"],
                cooperativeLanguageInContract: try row["cooperative_language_in_contract"],
                awardBasis: try CatalogSQL.parse(try (row["award_basis"] as String), column: "award_basis") {
                    .init(rawValue: $0)
                }
            ),
            supplier: .init(
                id: try row["supplier_id"],
                name: try row["supplier_name"],
                status: try CatalogSQL.parse(try (row["supplier_status"] as String), column: "supplier_status") {
                    .init(rawValue: $0)
                },
                statusEffectiveOn: try (row["supplier_status_effective_on"] as String?).flatMap { LocalDate(iso8601: $0) }
            )
        )
    }

    /// The tenant's approved orders of the two years before the purchase, from their column arrays.
    private static func recentOrders(_ row: NamedRow) throws -> [AuthorizationContext.PriorOrder] {
        let dates: [String] = try row["recent_dates"]
        let amounts: [Int] = try row["recent_amounts"]
        let categories: [String] = try row["recent_categories"]
        let suppliers: [UUID] = try row["recent_suppliers"]
        let agreements: [UUID] = try row["recent_agreements"]
        guard amounts.count == dates.count, categories.count == dates.count, suppliers.count == dates.count,
            agreements.count == dates.count
        else { throw CatalogSQL.UnexpectedValue(column: "recent_*", value: "arrays of different lengths") }
        return try dates.indices.map { index in
            AuthorizationContext.PriorOrder(
                date: try CatalogSQL.requiredDate(dates[index], column: "recent_dates"),
                amountCents: amounts[index],
                category: categories[index],
                supplierId: suppliers[index],
                agreementId: agreements[index]
            )
        }
    }

    /// The lead agency of another agreement that covers the category.
    struct Lead: Decodable {
        var state: String
        var entityType: String
    }

    /// Where other agreements come from, seen from the tenant: the classes source-preference rules rank.
    static func sources(of leads: [Lead], seenFrom tenant: AuthorizationContext.Tenant) -> [AuthorizationContext.AgreementSource]
    {
        let sources = leads.map { lead -> AuthorizationContext.AgreementSource in
            guard lead.state == tenant.state.code else { return .outOfState }
            return lead.entityType == EntityType.stateAgency.rawValue ? .stateContract : .inState
        }
        return Array(Set(sources)).sorted { $0.rawValue < $1.rawValue }
    }
}
