import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// Gathers, in one statement of the caller's transaction (`authorization_decision_facts`, sql/0010), every
/// fact the rule engine needs to decide a request. The statement also sets the transaction's tenant.
///
/// The agreement row is locked (`FOR NO KEY UPDATE`) for the rest of the transaction: decisions on the same
/// agreement run one after the other, so concurrent requests can never together pass its ceiling.
struct DecisionContextLoader {
    let connection: PostgresConnection
    let logger: Logger

    struct Loaded {
        var context: AuthorizationContext
        var policyVersion: Int
        var policy: [PolicyRule]
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
    /// token asking for it (`authorization_decision_facts_presented`, sql/0016) rather than in a round trip of
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
        let status = try row["status"].decode(String.self)
        if let rejection = try TokenStore.Rejection(status: status, row: row, roles: roles) { throw rejection }
        let askedBy = Actor(tokenID: try row["token_id"].decode(UUID.self), role: try row["token_role"].decode(String.self))
        return (try decode(row, tenantID: tenantID, request: request, agreementID: agreementID, approvals: []), askedBy)
    }

    private func firstRow<Statement: PostgresPreparedStatement>(of statement: Statement) async throws
        -> PostgresRandomAccessRow where Statement.Row == PostgresRow
    {
        var rows: [PostgresRow] = []
        for try await row in try await connection.execute(statement, logger: logger) { rows.append(row) }
        guard let row = rows.first?.makeRandomAccess() else { throw StoreError.notFound("tenant") }
        return row
    }

    /// The facts' row (the columns of `authorization_decision_facts`) as the engine's context.
    private func decode(
        _ row: PostgresRandomAccessRow,
        tenantID: UUID,
        request: AuthorizationContext.Request,
        agreementID: UUID,
        approvals: [AuthorizationContext.RecordedApproval]
    ) throws -> Result {
        if let replay = try row["replay_id"].decode(UUID?.self) {
            return .replay(replay, digest: try row["replay_digest"].decode(String?.self))
        }
        guard try row["tenant_found"].decode(Bool?.self) == true else { throw StoreError.notFound("tenant") }
        guard try row["agreement_found"].decode(Bool?.self) == true else {
            throw StoreError.invalid(pointer: "/agreementId", detail: "no Master Agreement has this id")
        }
        let tenant = AuthorizationContext.Tenant(
            id: tenantID.uuidString.lowercased(),
            entityType: try CatalogSQL.parse(try row["entity_type"].decode(String.self), column: "entity_type") {
                EntityType(rawValue: $0)
            },
            state: try CatalogSQL.parse(try row["state"].decode(String.self), column: "state", USState.init),
            active: try row["tenant_status"].decode(String.self) == "active",
            fiscalYearStartMonth: try row["fiscal_year_start_month"].decode(Int.self)
        )
        let rules = try JSONColumn.value([PolicyRule].self, from: try row["policy_rules"].decode(String.self))
        var context = AuthorizationContext(
            request: request,
            approvals: approvals,
            tenant: tenant,
            agreement: try Self.agreement(agreementID, from: row),
            participationInstruments: try JSONColumn.value(
                [AuthorizationContext.ParticipationInstrument].self,
                from: try row["instruments"].decode(String.self)
            ),
            committedOnAgreementCents: try row["committed_cents"].decode(Int.self),
            tenantSpendOnAgreementCents: try row["spend_on_agreement_cents"].decode(Int.self),
            tenantSpendOnAgreementThisFiscalYearCents: try row["spend_this_fiscal_year_cents"].decode(Int.self),
            recentOrders: try Self.recentOrders(row),
            accountSpentCents: Dictionary(
                zip(try row["account_codes"].decode([String].self), try row["account_spent"].decode([Int].self)),
                uniquingKeysWith: +
            )
        )
        if let leads = try row["alternative_leads"].decode(String?.self) {
            context.alternativeSources = Self.sources(
                of: try JSONColumn.value([Lead].self, from: leads),
                seenFrom: tenant
            )
        }
        return .loaded(
            Loaded(context: context, policyVersion: try row["policy_version"].decode(Int.self), policy: rules)
        )
    }

    private static func agreement(_ id: UUID, from row: PostgresRandomAccessRow) throws -> AuthorizationContext.Agreement {
        let leadEntity = EntityType(rawValue: try row["lead_entity_type"].decode(String.self))
        let advertisedOn = try row["advertised_on"].decode(String?.self)
        let advertisedWhere = try row["advertised_where"].decode(String?.self)
        return AuthorizationContext.Agreement(
            id: id.uuidString.lowercased(),
            number: try row["number"].decode(String.self),
            status: try CatalogSQL.parse(try row["agreement_status"].decode(String.self), column: "agreement_status") {
                .init(rawValue: $0)
            },
            effectiveOn: try CatalogSQL.requiredDate(try row["effective_on"].decode(String.self), column: "effective_on"),
            expiresOn: try CatalogSQL.requiredDate(try row["expires_on"].decode(String.self), column: "expires_on"),
            categories: try row["categories"].decode([String].self),
            nigpCodes: try row["nigp_codes"].decode([String].self),
            eligibleEntityTypes: try row["eligible_entity_types"].decode([String].self).compactMap(EntityType.init(rawValue:)),
            eligibleStates: try row["eligible_states"].decode([String].self).compactMap(USState.init),
            ceilingCents: try row["ceiling_cents"].decode(Int?.self),
            complianceLetterOnFile: try row["compliance_letter_on_file"].decode(Bool.self),
            telecomAttestation200216: try row["telecom_attestation_200216"].decode(Bool.self),
            leadAgency: .init(
                name: try row["lead_name"].decode(String.self),
                state: USState(try row["lead_state"].decode(String.self)),
                entityType: leadEntity,
                isPublic: leadEntity != .nonprofit,
                isFederal: false
            ),
            solicitation: .init(
                number: try row["solicitation_number"].decode(String.self),
                method: try CatalogSQL.parse(try row["solicitation_method"].decode(String.self), column: "solicitation_method") {
                    .init(rawValue: $0)
                },
                advertised: advertisedOn != nil || advertisedWhere != nil,
                advertisedWhere: advertisedWhere,
                advertisedOn: advertisedOn.flatMap { LocalDate(iso8601: $0) },
                cooperativeLanguageInSolicitation: try row["cooperative_language_in_solicitation"].decode(Bool.self),
                cooperativeLanguageInContract: try row["cooperative_language_in_contract"].decode(Bool.self),
                awardBasis: try CatalogSQL.parse(try row["award_basis"].decode(String.self), column: "award_basis") {
                    .init(rawValue: $0)
                }
            ),
            supplier: .init(
                id: try row["supplier_id"].decode(UUID.self).uuidString.lowercased(),
                name: try row["supplier_name"].decode(String.self),
                status: try CatalogSQL.parse(try row["supplier_status"].decode(String.self), column: "supplier_status") {
                    .init(rawValue: $0)
                },
                statusEffectiveOn: try row["supplier_status_effective_on"].decode(String?.self).flatMap { LocalDate(iso8601: $0) }
            )
        )
    }

    /// The tenant's approved orders of the two years before the purchase, from their column arrays.
    private static func recentOrders(_ row: PostgresRandomAccessRow) throws -> [AuthorizationContext.PriorOrder] {
        let dates = try row["recent_dates"].decode([String].self)
        let amounts = try row["recent_amounts"].decode([Int].self)
        let categories = try row["recent_categories"].decode([String].self)
        let suppliers = try row["recent_suppliers"].decode([UUID].self)
        let agreements = try row["recent_agreements"].decode([UUID].self)
        guard amounts.count == dates.count, categories.count == dates.count, suppliers.count == dates.count,
            agreements.count == dates.count
        else { throw CatalogSQL.UnexpectedValue(column: "recent_*", value: "arrays of different lengths") }
        return try dates.indices.map { index in
            AuthorizationContext.PriorOrder(
                date: try CatalogSQL.requiredDate(dates[index], column: "recent_dates"),
                amountCents: amounts[index],
                category: categories[index],
                supplierId: suppliers[index].uuidString.lowercased(),
                agreementId: agreements[index].uuidString.lowercased()
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
