/// `anti-splitting`: orders for the same category or supplier in a rolling window are added up before a
/// threshold, so a purchase split into small orders still needs what the whole would need.
///
/// Parameters:
/// - `windowDays` (required, 1...730): the window ending on the purchase date (365 for "12 months").
/// - `groupBy` (required): `category`, `supplier` or `agreement`.
/// - `thresholdCents` (required): the threshold the window total is compared with.
/// - `comparison` (default `at-or-above`): or `above` (NY GML 103(1): "more than $20,000").
/// - `categoryDigits` (default 6, the UNSPSC class): 2, 4, 6 or 8 digits compared when grouping by category.
/// - `onExceed` (default `needs-approval`): `needs-approval` or `fail`.
/// - `approver` (default `governing-body`): who must approve when `onExceed` is `needs-approval`.
/// - `requiresResolution` (default false): the approval must carry a resolution number and date.
///
/// The rule reports on its own threshold: it does not apply when this order alone reaches the threshold
/// (per-order rules cover that), passes when the window total stays below it, and otherwise needs approval
/// (or fails). Examples: NY GML 103(1); Tex. Educ. Code 44.031(a); Cal. Pub. Cont. Code 20116.
struct AntiSplittingRule: AuthorizationRule {
    enum ExceedOutcome: String, CaseIterable, Sendable {
        case needsApproval = "needs-approval"
        case fail
    }

    let windowDays: Int
    let groupBy: OrderGrouping
    let thresholdCents: Int
    let comparison: ThresholdComparison
    let categoryDigits: Int
    let onExceed: ExceedOutcome
    let approver: String
    let requiresResolution: Bool

    init?(parameters: inout ParameterReader) {
        let windowDays = parameters.required("windowDays", .integer(in: 1...730))
        let groupBy: OrderGrouping? = parameters.required("groupBy", .choice)
        let threshold = parameters.required("thresholdCents", .cents)
        comparison = parameters.optional("comparison", .choice, default: .atOrAbove)
        let digits = parameters.optional("categoryDigits", .integer(in: 2...8), default: 6)
        onExceed = parameters.optional("onExceed", .choice, default: .needsApproval)
        approver = parameters.optional("approver", .text, default: "governing-body")
        requiresResolution = parameters.optional("requiresResolution", .bool, default: false)
        if !digits.isMultiple(of: 2) {
            parameters.report("must be 2, 4, 6 or 8", at: "categoryDigits")
            return nil
        }
        guard let windowDays, let groupBy, let threshold else { return nil }
        self.windowDays = windowDays
        self.groupBy = groupBy
        self.thresholdCents = threshold
        self.categoryDigits = digits
    }

    func evaluate(_ input: RuleInput) -> RuleEvaluation {
        let threshold = formatDollars(thresholdCents)
        if comparison.reaches(input.amountCents, threshold: thresholdCents) {
            return .notApplicable(
                "\(formatDollars(input.amountCents)) alone is \(comparison.phrase) the \(threshold) threshold; it is not a split order."
            )
        }
        let earlier = groupBy.orders(for: input, windowDays: windowDays, categoryDigits: categoryDigits)
        let total = saturatingSum(earlier.map(\.amountCents) + [input.amountCents])
        let group = groupBy.describe(input, categoryDigits: categoryDigits)
        let window =
            "Orders for \(group) in the \(windowDays) days to \(input.purchaseDate) total \(formatDollars(total)) with this request (\(earlier.count) earlier order\(earlier.count == 1 ? "" : "s"))"
        guard comparison.reaches(total, threshold: thresholdCents) else {
            return .pass("\(window), \(comparison.negatedPhrase) the \(threshold) threshold.")
        }
        let reached = "\(window), \(comparison.phrase) the \(threshold) threshold"
        switch onExceed {
        case .fail:
            return .fail("\(reached); split purchases may not evade it.")
        case .needsApproval:
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
    }
}
