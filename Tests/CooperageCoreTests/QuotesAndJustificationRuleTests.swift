import CooperageCore
import Testing

@Suite("quotes-and-justification")
struct QuotesAndJustificationRuleTests {
    static let threeQuotes: JSONValue = ["thresholdCents": 1_000_000, "minimumQuotes": 3]

    static func quotes(_ quotes: (String, Int)...) -> @Sendable (inout AuthorizationContext) -> Void {
        let list = quotes.map { AuthorizationContext.Quote(supplier: $0.0, amountCents: $0.1) }
        return { $0.request.evidence.quotes = list }
    }

    static let cases: [RuleCase] = [
        RuleCase(
            "below the threshold",
            ["thresholdCents": 5_000_000, "minimumQuotes": 3],
            .notApplicable,
            mentions: ["below the $50,000.00 threshold"]
        ),
        RuleCase(
            "only for federal funds, none here",
            ["thresholdCents": 1_000_000, "minimumQuotes": 3, "onlyWithFundingSource": "federal"],
            .notApplicable,
            mentions: ["federal funding"]
        ),
        RuleCase(
            "only for federal funds, federal line present",
            ["thresholdCents": 1_000_000, "minimumQuotes": 3, "onlyWithFundingSource": "federal"],
            .needsEvidence,
            adjust: { $0.request.fundingLines[0].source = .federal }
        ),
        RuleCase(
            "too few quotes",
            threeQuotes,
            .needsEvidence,
            mentions: ["3 quotes from different suppliers (1 on file)"],
            adjust: quotes(("Acme Computers", 4_500_000))
        ),
        RuleCase(
            "enough quotes, agreement supplier lowest",
            threeQuotes,
            .pass,
            mentions: ["3 quotes on file"],
            adjust: quotes(("Acme Computers", 4_500_000), ("Bolt IT", 4_700_000), ("Cobalt", 4_900_000))
        ),
        RuleCase(
            "the same supplier twice counts once",
            threeQuotes,
            .needsEvidence,
            mentions: ["(2 on file)"],
            adjust: quotes(("Acme Computers", 4_500_000), ("acme computers", 4_400_000), ("Bolt IT", 4_700_000))
        ),
        RuleCase(
            "zero quotes do not count",
            threeQuotes,
            .needsEvidence,
            adjust: quotes(("Acme Computers", 4_500_000), ("Bolt IT", 0), ("Cobalt", 4_900_000))
        ),
        RuleCase(
            "agreement supplier not the lowest",
            threeQuotes,
            .warn,
            mentions: ["lowest quote is Bolt IT at $44,000.00", "quoted $45,000.00"],
            adjust: quotes(("Acme Computers", 4_500_000), ("Bolt IT", 4_400_000), ("Cobalt", 4_900_000))
        ),
        RuleCase(
            "justification required and missing",
            ["thresholdCents": 1_000_000, "requireJustification": true],
            .needsEvidence,
            mentions: ["written justification"]
        ),
        RuleCase(
            "justification blank",
            ["thresholdCents": 1_000_000, "requireJustification": true],
            .needsEvidence,
            adjust: { $0.request.evidence.justification = "   " }
        ),
        RuleCase(
            "justification given",
            ["thresholdCents": 1_000_000, "requireJustification": true],
            .pass,
            mentions: ["justification on file"],
            adjust: { $0.request.evidence.justification = "Only contract with same-week delivery" }
        ),
        RuleCase(
            "justified choice of a dearer supplier",
            threeQuotes,
            .pass,
            adjust: {
                $0.request.evidence.quotes = [
                    .init(supplier: "Acme Computers", amountCents: 4_500_000),
                    .init(supplier: "Bolt IT", amountCents: 4_400_000),
                    .init(supplier: "Cobalt", amountCents: 4_900_000),
                ]
                $0.request.evidence.justification = "Bolt IT cannot image our devices"
            }
        ),
    ]

    @Test(arguments: cases)
    func evaluates(_ testCase: RuleCase) { testCase.check(.quotesAndJustification) }

    static let invalid: [InvalidParameterCase] = [
        InvalidParameterCase("nothing required", ["thresholdCents": 1], pointer: "/rules/0/parameters"),
        InvalidParameterCase(
            "too many quotes",
            ["thresholdCents": 1, "minimumQuotes": 50],
            pointer: "/rules/0/parameters/minimumQuotes"
        ),
        InvalidParameterCase(
            "unknown funding source",
            ["thresholdCents": 1, "minimumQuotes": 1, "onlyWithFundingSource": "county"],
            pointer: "/rules/0/parameters/onlyWithFundingSource"
        ),
        InvalidParameterCase("missing threshold", ["minimumQuotes": 1], pointer: "/rules/0/parameters/thresholdCents"),
    ]

    @Test(arguments: invalid)
    func rejects(_ testCase: InvalidParameterCase) { testCase.check(.quotesAndJustification) }
}
