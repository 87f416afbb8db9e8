/// `quotes-and-justification`: at or above an amount, a number of quotes and/or a written justification.
///
/// Parameters:
/// - `thresholdCents` (required): below it the rule does not apply.
/// - `minimumQuotes` (default 0): quotes from distinct suppliers with a positive amount.
/// - `requireJustification` (default false): a non-blank written justification for this supplier.
/// - `onlyWithFundingSource` (optional): `local`, `state` or `federal`; without such a funding line the rule
///   does not apply.
///
/// At least one of `minimumQuotes` > 0 and `requireJustification` is needed. When the agreement's supplier
/// quoted but was not the lowest and no justification is given, the result is a warning.
/// Examples: HGACBuy's 3 quotes from contractors for federal funds; AZ schools' written justification.
struct QuotesAndJustificationRule: AuthorizationRule {
    let thresholdCents: Int
    let minimumQuotes: Int
    let requireJustification: Bool
    let onlyWithFundingSource: AuthorizationContext.FundingSource?

    init?(parameters: inout ParameterReader) {
        let issuesBefore = parameters.issues.count
        let threshold = parameters.required("thresholdCents", .cents)
        minimumQuotes = parameters.optional("minimumQuotes", .integer(in: 0...20), default: 0)
        requireJustification = parameters.optional("requireJustification", .bool, default: false)
        onlyWithFundingSource = parameters.optional("onlyWithFundingSource", .choice)
        // Only complain about the combination when each value on its own was readable.
        if parameters.issues.count == issuesBefore, minimumQuotes == 0, !requireJustification {
            parameters.report("needs minimumQuotes above 0, requireJustification true, or both")
            return nil
        }
        guard let threshold else { return nil }
        thresholdCents = threshold
    }

    func evaluate(_ input: RuleInput) -> RuleEvaluation {
        if let source = onlyWithFundingSource, !input.hasFunding(from: source) {
            return .notApplicable("Applies only to purchases with \(source.rawValue) funding; this one has none.")
        }
        guard input.amountCents >= thresholdCents else {
            return .notApplicable(
                "\(formatDollars(input.amountCents)) is below the \(formatDollars(thresholdCents)) threshold for quotes and justification."
            )
        }
        let quotes = distinctQuotes(input.evidence.quotes)
        var missing: [String] = []
        if quotes.count < minimumQuotes {
            missing.append("\(minimumQuotes) quotes from different suppliers (\(quotes.count) on file)")
        }
        let justified = input.evidence.hasJustification
        if requireJustification, !justified { missing.append("a written justification for choosing this supplier") }
        let reached =
            "\(formatDollars(input.amountCents)) is at or above the \(formatDollars(thresholdCents)) threshold"
        guard missing.isEmpty else {
            return .needsEvidence("\(reached); required: \(plainList(missing)).")
        }
        var facts: [String] = []
        if minimumQuotes > 0 { facts.append("\(quotes.count) quotes on file") }
        if justified { facts.append("justification on file") }
        let supplier = input.context.agreement.supplier.name.lowercased()
        if let lowest = quotes.min(by: { $0.amountCents < $1.amountCents }),
            lowest.supplier.lowercased() != supplier,
            let own = quotes.first(where: { $0.supplier.lowercased() == supplier }),
            own.amountCents > lowest.amountCents, !justified
        {
            return .warn(
                "\(reached); \(plainList(facts)), but the lowest quote is \(lowest.supplier) at \(formatDollars(lowest.amountCents)) and the agreement supplier quoted \(formatDollars(own.amountCents)); explain the choice."
            )
        }
        return .pass("\(reached); \(plainList(facts)).")
    }

    /// One quote per supplier (the lowest), ignoring zero or negative amounts and blank names.
    private func distinctQuotes(_ quotes: [AuthorizationContext.Quote]) -> [AuthorizationContext.Quote] {
        var bySupplier: [String: AuthorizationContext.Quote] = [:]
        for quote in quotes where quote.amountCents > 0 && !quote.supplier.allSatisfy(\.isWhitespace) {
            let key = quote.supplier.lowercased()
            if let existing = bySupplier[key], existing.amountCents <= quote.amountCents { continue }
            bySupplier[key] = quote
        }
        return bySupplier.keys.sorted().compactMap { bySupplier[$0] }
    }
}
