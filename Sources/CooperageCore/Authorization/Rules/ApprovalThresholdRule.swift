/// `approval-threshold`: at or above an amount, a named body must approve, with its artifact.
///
/// Parameters:
/// - `amountCents` (required): the threshold.
/// - `approver` (required): who must approve (for example `city-council`, `board-of-trustees`).
/// - `basis` (default `per-order`): `per-order` (this request), `per-contract` (this agency's total on the
///   agreement, including this request) or `12-month-aggregate` (this request plus the agency's orders in
///   the 365 days ending on the purchase date, grouped by `groupBy`).
/// - `groupBy` (default `supplier`, only with `12-month-aggregate`): `supplier`, `category` (UNSPSC class,
///   6 digits) or `agreement`.
/// - `comparison` (default `at-or-above`): or `above`.
/// - `requiresResolution` (default false): the approval must carry a resolution number and date.
///
/// A recorded approval naming this rule (by index or type) turns needs-approval into pass.
/// Example: Palm Coast, FL Code 2-26: council approval for piggyback awards of $30,000 or more.
struct ApprovalThresholdRule: AuthorizationRule {
    enum Basis: String, CaseIterable, Sendable {
        case perOrder = "per-order"
        case perContract = "per-contract"
        case twelveMonthAggregate = "12-month-aggregate"
    }

    let amountCents: Int
    let approver: String
    let basis: Basis
    let groupBy: OrderGrouping
    let comparison: ThresholdComparison
    let requiresResolution: Bool

    init?(parameters: inout ParameterReader) {
        let amount = parameters.required("amountCents", .cents)
        let approver = parameters.required("approver", .text)
        basis = parameters.optional("basis", .choice, default: .perOrder)
        let groupBy: OrderGrouping? = parameters.optional("groupBy", .choice)
        comparison = parameters.optional("comparison", .choice, default: .atOrAbove)
        requiresResolution = parameters.optional("requiresResolution", .bool, default: false)
        if groupBy != nil, basis != .twelveMonthAggregate {
            parameters.report("only applies with basis 12-month-aggregate", at: "groupBy")
            return nil
        }
        guard let amount, let approver else { return nil }
        self.amountCents = amount
        self.approver = approver
        self.groupBy = groupBy ?? .supplier
    }

    func evaluate(_ input: RuleInput) -> RuleEvaluation {
        let (measured, subject) = measure(input)
        let threshold = "the \(formatDollars(amountCents)) \(approver) threshold"
        guard comparison.reaches(measured, threshold: amountCents) else {
            return .pass("\(subject) is \(comparison.negatedPhrase) \(threshold); no \(approver) approval is needed.")
        }
        // A zero threshold "at or above" means every purchase: say so instead of "at or above $0.00".
        let reached =
            amountCents == 0 && comparison == .atOrAbove
            ? "\(subject) needs \(approver) approval at any amount" : "\(subject) is \(comparison.phrase) \(threshold)"
        let artifact = requiresResolution ? " with a resolution number and date" : ""
        switch ApprovalCheck(requiresResolution: requiresResolution).check(input) {
        case .satisfied(let description):
            return .pass("\(reached); \(description).")
        case .incomplete(let reason):
            return .needsApproval("\(reached); \(approver) approval\(artifact) is required, but \(reason).")
        case .missing:
            return .needsApproval("\(reached); \(approver) approval\(artifact) is required.")
        }
    }

    /// The amount compared with the threshold and how to describe it.
    private func measure(_ input: RuleInput) -> (Int, String) {
        switch basis {
        case .perOrder:
            return (input.amountCents, formatDollars(input.amountCents))
        case .perContract:
            let total = saturatingSum([input.context.tenantSpendOnAgreementCents, input.amountCents])
            return (
                total,
                "\(formatDollars(total)) on agreement \(input.context.agreement.number) with this request (\(formatDollars(input.amountCents)))"
            )
        case .twelveMonthAggregate:
            let earlier = groupBy.orders(for: input, windowDays: 365, categoryDigits: 6)
            let total = saturatingSum(earlier.map(\.amountCents) + [input.amountCents])
            return (
                total,
                "\(formatDollars(total)) for \(groupBy.describe(input, categoryDigits: 6)) in the 12 months to \(input.purchaseDate) with this request (\(formatDollars(input.amountCents)))"
            )
        }
    }
}
