/// The engine's answer to "may we use this agreement for this purchase?".
public struct Decision: Codable, Hashable, Sendable {
    /// Approved, denied or pending, combined from `results`.
    public var outcome: DecisionOutcome
    /// System gates first (in ``SystemGate`` order), then the policy's rules in policy order.
    public var results: [RuleResult]
    /// The request amount when approved; 0 otherwise.
    public var authorizedAmountCents: Int
    /// First day the authorization may be used (the purchase date); nil unless approved.
    public var validFrom: LocalDate?
    /// Last day the authorization may be used; never after the agreement's expiry; nil unless approved.
    public var validUntil: LocalDate?

    public init(
        outcome: DecisionOutcome,
        results: [RuleResult],
        authorizedAmountCents: Int,
        validFrom: LocalDate?,
        validUntil: LocalDate?
    ) {
        self.outcome = outcome
        self.results = results
        self.authorizedAmountCents = authorizedAmountCents
        self.validFrom = validFrom
        self.validUntil = validUntil
    }
}
