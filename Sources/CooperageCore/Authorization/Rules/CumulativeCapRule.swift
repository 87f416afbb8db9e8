/// `cumulative-cap`: a not-to-exceed per order and/or per agreement per fiscal year.
///
/// Parameters (at least one cap):
/// - `perOrderMaxCents`: the largest single request.
/// - `perAgreementPerFiscalYearCents`: this agency's total on the agreement in the fiscal year containing
///   the purchase date, including this request.
/// - `warnAtPercent` (optional, 1...100): warn when the fiscal-year total reaches this share of the cap.
///
/// Examples: Fort Worth's first-year NTE of $507,316.42 on an OMNIA contract; Sarasota County audit on
/// per-purchase limits after a blanket approval.
struct CumulativeCapRule: AuthorizationRule {
    let perOrderMaxCents: Int?
    let perAgreementPerFiscalYearCents: Int?
    let warnAtPercent: Int?

    init?(parameters: inout ParameterReader) {
        perOrderMaxCents = parameters.optional("perOrderMaxCents", .cents)
        perAgreementPerFiscalYearCents = parameters.optional("perAgreementPerFiscalYearCents", .cents)
        warnAtPercent = parameters.optional("warnAtPercent", .integer(in: 1...100))
        let hasOrderCap = parameters.has("perOrderMaxCents")
        let hasYearCap = parameters.has("perAgreementPerFiscalYearCents")
        if !hasOrderCap, !hasYearCap {
            parameters.report("needs perOrderMaxCents, perAgreementPerFiscalYearCents or both")
            return nil
        }
        if warnAtPercent != nil, !hasYearCap {
            parameters.report("only applies with perAgreementPerFiscalYearCents", at: "warnAtPercent")
            return nil
        }
        if hasOrderCap, perOrderMaxCents == nil { return nil }
        if hasYearCap, perAgreementPerFiscalYearCents == nil { return nil }
    }

    func evaluate(_ input: RuleInput) -> RuleEvaluation {
        let agreement = input.context.agreement
        var facts: [String] = []
        if let perOrderMaxCents {
            guard input.amountCents <= perOrderMaxCents else {
                return .fail(
                    "\(formatDollars(input.amountCents)) is over the \(formatDollars(perOrderMaxCents)) per-order maximum on agreement \(agreement.number)."
                )
            }
            facts.append(
                "\(formatDollars(input.amountCents)) is within the \(formatDollars(perOrderMaxCents)) per-order maximum"
            )
        }
        if let cap = perAgreementPerFiscalYearCents {
            let startMonth = min(max(input.context.tenant.fiscalYearStartMonth, 1), 12)
            let fiscalYear = "FY\(input.purchaseDate.fiscalYear(startMonth: startMonth))"
            let before = input.context.tenantSpendOnAgreementThisFiscalYearCents
            let after = saturatingSum([before, input.amountCents])
            let figures =
                "\(fiscalYear) total on agreement \(agreement.number) would be \(formatDollars(after)) (\(formatDollars(before)) before this request)"
            guard after <= cap else {
                return .fail("\(figures), over the \(formatDollars(cap)) not-to-exceed.")
            }
            // Compare cents * 100 with cap * percent to avoid rounding the percentage.
            let scaled = after.multipliedReportingOverflow(by: 100)
            if let warnAtPercent, !scaled.overflow, scaled.partialValue >= cap * warnAtPercent {
                return .warn(
                    "\(figures), \(warnAtPercent)% or more of the \(formatDollars(cap)) not-to-exceed; \(formatDollars(saturatingDifference(cap, after))) would remain."
                )
            }
            facts.append("\(figures), within the \(formatDollars(cap)) not-to-exceed")
        }
        return .pass(facts.joined(separator: "; ").capitalizedFirst + ".")
    }
}
