/// `source-preference`: preferred sources come first (state contracts before national cooperatives); using a
/// less preferred source when a more preferred one covers the category needs a justification.
///
/// Parameters:
/// - `order` (required): source classes, most preferred first: `state-contract`, `in-state`,
///   `out-of-state`, `federal`. Unlisted classes rank last.
/// - `whenSkipped` (default `needs-evidence`): `needs-evidence` or `warn`.
/// - `justificationKind` (optional): a written determination of this kind justifies the choice; without
///   it, the request's free-text justification does.
///
/// The alternatives come from ``AuthorizationContext/alternativeSources``.
/// Example: Minnesota State's order (state contracts, University of Minnesota, MHEC, other cooperatives).
struct SourcePreferenceRule: AuthorizationRule {
    enum SkippedOutcome: String, CaseIterable, Sendable {
        case needsEvidence = "needs-evidence"
        case warn
    }

    let order: [AuthorizationContext.AgreementSource]
    let whenSkipped: SkippedOutcome
    let justificationKind: String?

    init?(parameters: inout ParameterReader) {
        let order: [AuthorizationContext.AgreementSource]? = parameters.required(
            "order",
            .list(of: .choice, nonEmpty: true)
        )
        whenSkipped = parameters.optional("whenSkipped", .choice, default: .needsEvidence)
        justificationKind = parameters.optional("justificationKind", .text)
        guard let order else { return nil }
        self.order = order
    }

    func evaluate(_ input: RuleInput) -> RuleEvaluation {
        let source = input.context.agreementSource
        let rank = rank(of: source)
        let better = Set(input.context.alternativeSources.filter { self.rank(of: $0) < rank })
            .sorted { self.rank(of: $0) < self.rank(of: $1) }
        let this = "Agreement \(input.context.agreement.number) is \(withArticle(source.rawValue)) source"
        guard !better.isEmpty else {
            return .pass("\(this); no more preferred source covers this category.")
        }
        let skipped = "\(this), but \(plainList(better.map(\.rawValue))) ranks higher and covers this category"
        if let justificationKind {
            if let determination = input.determination(ofKind: justificationKind) {
                return .pass("\(skipped); justified by \(justificationKind) \(determination.reference).")
            }
        } else if input.evidence.hasJustification {
            return .pass("\(skipped); a justification is on file.")
        }
        let needed = "a written justification" + (justificationKind.map { " (\($0))" } ?? "") + " is required"
        switch whenSkipped {
        case .needsEvidence: return .needsEvidence("\(skipped); \(needed).")
        case .warn: return .warn("\(skipped); no justification is on file.")
        }
    }

    private func rank(of source: AuthorizationContext.AgreementSource) -> Int {
        order.firstIndex(of: source) ?? order.count
    }
}
