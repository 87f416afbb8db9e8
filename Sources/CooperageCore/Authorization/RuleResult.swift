/// The result of evaluating one system gate or one policy rule, with the reason in plain words.
public struct RuleResult: Codable, Hashable, Sendable {
    /// Whether the result comes from a system gate or from a rule of the tenant's policy.
    public enum Kind: String, Codable, Hashable, Sendable {
        case gate
        case rule
    }

    /// Gate or rule.
    public var kind: Kind
    /// The gate name (``SystemGate``) or the rule type as written in the policy.
    public var rule: String
    /// The rule's position in the policy; nil for gates.
    public var ruleIndex: Int?
    /// What the gate or rule concluded.
    public var outcome: RuleOutcome
    /// Why, with the figures involved, for example
    /// "$45,000.00 is at or above the $30,000.00 city-council threshold; ...".
    public var message: String
    /// The basis: the rule's citation, or the gate's basis in the design and the Master Agreement.
    public var citation: String?

    public init(
        kind: Kind,
        rule: String,
        ruleIndex: Int? = nil,
        outcome: RuleOutcome,
        message: String,
        citation: String? = nil
    ) {
        self.kind = kind
        self.rule = rule
        self.ruleIndex = ruleIndex
        self.outcome = outcome
        self.message = message
        self.citation = citation
    }
}
