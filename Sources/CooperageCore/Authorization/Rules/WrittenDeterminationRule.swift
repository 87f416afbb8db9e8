/// `written-determination`: written findings of the named kinds are on file before the contract is used.
///
/// Parameters:
/// - `requiredKinds` (required): kinds of determination (for example `substantial-equivalence`,
///   `best-interest`), matched case-insensitively against the evidence.
/// - `mustPrecedePurchase` (default false): the determination must be dated on or before the purchase date.
/// - `thresholdCents` (optional): only purchases at or above this amount need it.
///
/// Examples: Oregon OAR 137-046-0400(2); Cal. Pub. Cont. Code 20118 (board's best-interest finding).
struct WrittenDeterminationRule: AuthorizationRule {
    let requiredKinds: [String]
    let mustPrecedePurchase: Bool
    let thresholdCents: Int?

    init?(parameters: inout ParameterReader) {
        let kinds = parameters.required("requiredKinds", .list(of: .text, nonEmpty: true))
        mustPrecedePurchase = parameters.optional("mustPrecedePurchase", .bool, default: false)
        thresholdCents = parameters.optional("thresholdCents", .cents)
        guard let kinds else { return nil }
        requiredKinds = kinds
    }

    func evaluate(_ input: RuleInput) -> RuleEvaluation {
        if let thresholdCents, input.amountCents < thresholdCents {
            return .notApplicable(
                "\(formatDollars(input.amountCents)) is below the \(formatDollars(thresholdCents)) threshold for written determinations."
            )
        }
        var found: [String] = []
        var missing: [String] = []
        for kind in requiredKinds {
            if let determination = input.determination(ofKind: kind, datedByPurchase: mustPrecedePurchase) {
                found.append("\(kind) (\(determination.reference)\(determination.date.map { " of \($0)" } ?? ""))")
            } else {
                missing.append(kind)
            }
        }
        guard missing.isEmpty else {
            let timing = mustPrecedePurchase ? ", dated on or before \(input.purchaseDate)," : ""
            return .needsEvidence("A written determination\(timing) is required: \(plainList(missing)).")
        }
        return .pass("Written determinations on file: \(plainList(found)).")
    }
}
