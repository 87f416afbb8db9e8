/// Everything the engine needs to decide one authorization request, as plain values.
///
/// The API layer fills it from the request body and the database; the engine does no I/O.
/// All money is integer cents; "this fiscal year" means the tenant's fiscal year that contains
/// the purchase date (``Tenant/fiscalYearStartMonth``).
/// ```swift
/// let decision = AuthorizationEngine.decide(context, policy: policy.rules)
/// ```
public struct AuthorizationContext: Codable, Hashable, Sendable {
    /// What the agency asks to buy, with its evidence.
    public var request: Request
    /// Approvals recorded so far on this authorization request (append-only in the database).
    public var approvals: [RecordedApproval]
    /// The requesting agency.
    public var tenant: Tenant
    /// The Master Agreement the agency wants to use, with its lead agency, solicitation and supplier.
    public var agreement: Agreement
    /// The tenant's participation instruments (MICPA, interlocal agreement, registration, participating
    /// addendum), all of them: the engine picks the ones in force on the purchase date.
    public var participationInstruments: [ParticipationInstrument]

    /// All agencies' open approved authorizations (remaining amount) plus registered usage on this
    /// agreement, excluding this request. Checked against the agreement ceiling. The store computes it
    /// under a lock on the agreement so two concurrent requests cannot both take the last dollars.
    public var committedOnAgreementCents: Int
    /// This tenant's approved authorizations plus registered usage on this agreement over its whole
    /// term, excluding this request: the "per-contract" basis of approval thresholds.
    public var tenantSpendOnAgreementCents: Int
    /// This tenant's approved authorizations plus registered usage on this agreement in the fiscal year
    /// containing the purchase date, excluding this request: for per-fiscal-year caps.
    public var tenantSpendOnAgreementThisFiscalYearCents: Int
    /// This tenant's orders (approved authorizations and registered usage, any agreement), excluding this
    /// request, for at least the 730 days before the purchase date: anti-splitting and 12-month
    /// aggregate thresholds look back through it.
    public var recentOrders: [PriorOrder]
    /// Amount already spent or encumbered per budget account in the fiscal year containing the purchase
    /// date, keyed by account code; an account missing from the map has spent nothing.
    public var accountSpentCents: [String: Int]
    /// Source classes of other agreements in force on the purchase date that cover the request's category
    /// and that this tenant is eligible to use (for source-preference). Empty when none are known.
    public var alternativeSources: [AgreementSource]

    public init(
        request: Request,
        approvals: [RecordedApproval] = [],
        tenant: Tenant,
        agreement: Agreement,
        participationInstruments: [ParticipationInstrument],
        committedOnAgreementCents: Int = 0,
        tenantSpendOnAgreementCents: Int = 0,
        tenantSpendOnAgreementThisFiscalYearCents: Int = 0,
        recentOrders: [PriorOrder] = [],
        accountSpentCents: [String: Int] = [:],
        alternativeSources: [AgreementSource] = []
    ) {
        self.request = request
        self.approvals = approvals
        self.tenant = tenant
        self.agreement = agreement
        self.participationInstruments = participationInstruments
        self.committedOnAgreementCents = committedOnAgreementCents
        self.tenantSpendOnAgreementCents = tenantSpendOnAgreementCents
        self.tenantSpendOnAgreementThisFiscalYearCents = tenantSpendOnAgreementThisFiscalYearCents
        self.recentOrders = recentOrders
        self.accountSpentCents = accountSpentCents
        self.alternativeSources = alternativeSources
    }
}

extension AuthorizationContext {
    /// Where the agreement comes from, seen from this tenant: the class source-preference rules rank.
    public var agreementSource: AgreementSource {
        let lead = agreement.leadAgency
        if lead.isFederal { return .federal }
        guard lead.state == tenant.state else { return .outOfState }
        return lead.entityType == .stateAgency ? .stateContract : .inState
    }

    /// The lead agency's jurisdiction relative to this tenant; nil when the lead's state is not recorded.
    public var leadJurisdiction: LeadJurisdiction? {
        let lead = agreement.leadAgency
        if lead.isFederal { return .federal }
        guard let state = lead.state else { return nil }
        return state == tenant.state ? .inState : .outOfState
    }

    /// Participation instruments in force on the purchase date that can cover this agreement: not
    /// limited to another agreement, and not limited to another state.
    public var participationInstrumentsInForce: [ParticipationInstrument] {
        participationInstruments.filter { instrument in
            instrument.isInForce(on: request.purchaseDate)
                && (instrument.agreementId == nil || instrument.agreementId == agreement.id)
                && (instrument.state == nil || instrument.state == tenant.state)
        }
    }
}
