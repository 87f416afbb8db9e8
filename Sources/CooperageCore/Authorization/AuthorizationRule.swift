/// A policy rule parsed into typed parameters, ready to evaluate.
///
/// Each conforming type documents its parameters; ``PolicyValidator`` and ``AuthorizationEngine`` reach
/// them through ``RuleType/model``.
protocol AuthorizationRule: Sendable {
    /// Reads the parameters; returns nil (with issues recorded in `parameters`) when they are unusable.
    init?(parameters: inout ParameterReader)
    /// Evaluates the rule for one request.
    func evaluate(_ input: RuleInput) -> RuleEvaluation
}

extension RuleType {
    /// The typed rule that implements this type.
    var model: any AuthorizationRule.Type {
        switch self {
        case .statutoryAuthority: StatutoryAuthorityRule.self
        case .participationInstrument: ParticipationInstrumentRule.self
        case .leadAgencyQualification: LeadAgencyQualificationRule.self
        case .writtenDetermination: WrittenDeterminationRule.self
        case .categoryRestriction: CategoryRestrictionRule.self
        case .approvalThreshold: ApprovalThresholdRule.self
        case .budgetAvailability: BudgetAvailabilityRule.self
        case .cumulativeCap: CumulativeCapRule.self
        case .quotesAndJustification: QuotesAndJustificationRule.self
        case .antiSplitting: AntiSplittingRule.self
        case .federalFunds: FederalFundsRule.self
        case .vendorRestriction: VendorRestrictionRule.self
        case .sourcePreference: SourcePreferenceRule.self
        case .documentation: DocumentationRule.self
        }
    }
}

/// The outcome and message of one rule, before the engine adds the rule's name, index and citation.
struct RuleEvaluation: Hashable, Sendable {
    let outcome: RuleOutcome
    let message: String

    static func pass(_ message: String) -> RuleEvaluation { RuleEvaluation(outcome: .pass, message: message) }
    static func fail(_ message: String) -> RuleEvaluation { RuleEvaluation(outcome: .fail, message: message) }
    static func warn(_ message: String) -> RuleEvaluation { RuleEvaluation(outcome: .warn, message: message) }
    static func needsApproval(_ message: String) -> RuleEvaluation {
        RuleEvaluation(outcome: .needsApproval, message: message)
    }
    static func needsEvidence(_ message: String) -> RuleEvaluation {
        RuleEvaluation(outcome: .needsEvidence, message: message)
    }
    static func notApplicable(_ message: String) -> RuleEvaluation {
        RuleEvaluation(outcome: .notApplicable, message: message)
    }
}

/// What a rule sees: the whole context plus its own position in the policy.
struct RuleInput {
    let context: AuthorizationContext
    let ruleIndex: Int
    let ruleType: RuleType

    var request: AuthorizationContext.Request { context.request }
    var evidence: AuthorizationContext.Evidence { context.request.evidence }
    var purchaseDate: LocalDate { context.request.purchaseDate }
    var amountCents: Int { context.request.amountCents }

    /// Recorded approvals that name this rule, in the order they were recorded.
    var approvals: [AuthorizationContext.RecordedApproval] {
        context.approvals.filter { $0.names(ruleAt: ruleIndex, type: ruleType.rawValue) }
    }

    /// Whether a funding line of `source` is present.
    func hasFunding(from source: AuthorizationContext.FundingSource) -> Bool {
        request.fundingLines.contains { $0.source == source }
    }

    /// The written determination of `kind` (case-insensitive), optionally dated on or before the purchase.
    func determination(ofKind kind: String, datedByPurchase: Bool = false) -> AuthorizationContext
        .WrittenDetermination?
    {
        evidence.writtenDeterminations.first { determination in
            determination.kind.lowercased() == kind.lowercased()
                && !determination.reference.allSatisfy(\.isWhitespace)
                && (!datedByPurchase || (determination.date.map { $0 <= purchaseDate } ?? false))
        }
    }
}
