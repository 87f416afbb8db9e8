/// The outcome of one gate or rule.
public enum RuleOutcome: String, Codable, CaseIterable, Hashable, Sendable {
    /// The condition is met.
    case pass
    /// The condition is not met and cannot be cured by an approval or evidence; the request is denied.
    case fail
    /// A named approval (with its artifact, such as a resolution) must be recorded.
    case needsApproval = "needs-approval"
    /// The request must carry more evidence (quotes, determinations, documents, justification).
    case needsEvidence = "needs-evidence"
    /// The rule does not apply to this purchase.
    case notApplicable = "not-applicable"
    /// Worth a look, but does not block.
    case warn

    /// Whether this outcome stops an approval: fail or a missing approval or evidence.
    public var blocksApproval: Bool {
        switch self {
        case .fail, .needsApproval, .needsEvidence: true
        case .pass, .notApplicable, .warn: false
        }
    }
}
