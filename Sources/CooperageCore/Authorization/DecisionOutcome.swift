/// The overall outcome of an authorization request.
public enum DecisionOutcome: String, Codable, CaseIterable, Hashable, Sendable {
    /// Every gate and rule passed, warned, or did not apply.
    case approved
    /// At least one gate or rule failed.
    case denied
    /// Nothing failed, but an approval or evidence is still missing.
    case pending

    /// Combines results as the README says ("Authorizing a piggyback purchase"): any fail denies; any missing approval or
    /// evidence leaves the request pending; otherwise it is approved.
    public init(combining outcomes: some Sequence<RuleOutcome>) {
        var sawMissing = false
        for outcome in outcomes {
            switch outcome {
            case .fail:
                self = .denied
                return
            case .needsApproval, .needsEvidence:
                sawMissing = true
            case .pass, .notApplicable, .warn:
                break
            }
        }
        self = sawMissing ? .pending : .approved
    }
}
