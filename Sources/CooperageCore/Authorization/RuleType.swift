/// The catalogue of local-authorization rule types (README, "Authorizing a piggyback purchase").
///
/// Each case's raw value is the `type` written in a policy; the parameters each type accepts are
/// documented on its rule struct (for example ``ApprovalThresholdRule``).
public enum RuleType: String, CaseIterable, Codable, Sendable {
    /// The state lets this entity type piggyback, from these lead-agency jurisdictions, until a sunset date.
    case statutoryAuthority = "statutory-authority"
    /// A named participation instrument (MICPA, interlocal, registration, participating addendum) is in force.
    case participationInstrument = "participation-instrument"
    /// The lead agency and its solicitation meet the agency's standards.
    case leadAgencyQualification = "lead-agency-qualification"
    /// Written findings (substantial equivalence, best interest) are on file.
    case writtenDetermination = "written-determination"
    /// The purchase's UNSPSC category is allowed and not excluded.
    case categoryRestriction = "category-restriction"
    /// At or above an amount a named body must approve, with its artifact.
    case approvalThreshold = "approval-threshold"
    /// Each funding line names an account with enough appropriation left.
    case budgetAvailability = "budget-availability"
    /// Not-to-exceed per order and per agreement per fiscal year.
    case cumulativeCap = "cumulative-cap"
    /// At or above an amount, a number of quotes and/or a written justification.
    case quotesAndJustification = "quotes-and-justification"
    /// Orders in a rolling window for the same category or supplier are added up before a threshold.
    case antiSplitting = "anti-splitting"
    /// The federal-funds overlay (2 CFR 200.317-327) for purchases with a federal funding line.
    case federalFunds = "federal-funds"
    /// Locally blocked suppliers and required vendor forms.
    case vendorRestriction = "vendor-restriction"
    /// Preferred sources (state contracts before national cooperatives) and the justification for skipping them.
    case sourcePreference = "source-preference"
    /// Required documents attached with their SHA-256 digests.
    case documentation
}

extension RuleType {
    /// The rule types whose results depend on the agency's prior orders (``AuthorizationContext/recentOrders``).
    /// The decision's facts statement reads those orders only for a policy with one of these (sql/schema.sql).
    public static let readingRecentOrders: Set<RuleType> = [.antiSplitting, .approvalThreshold]

    /// The rule types whose results depend on the fiscal year's spending per budget account
    /// (``AuthorizationContext/accountSpentCents``), which the facts statement reads only for them (sql/schema.sql).
    public static let readingAccountSpending: Set<RuleType> = [.budgetAvailability]
}
