import CooperageCore
import Testing

@Suite("written-determination")
struct WrittenDeterminationRuleTests {
    static let oregon: JSONValue = ["requiredKinds": ["substantial-equivalence"], "mustPrecedePurchase": true]

    static func determination(_ date: String?) -> @Sendable (inout AuthorizationContext) -> Void {
        { context in
            context.request.evidence.writtenDeterminations = [
                .init(kind: "substantial-equivalence", reference: "PD-2026-7", date: date.map(day))
            ]
        }
    }

    static let cases: [RuleCase] = [
        RuleCase("missing", oregon, .needsEvidence, mentions: ["substantial-equivalence", "on or before 2026-03-02"]),
        RuleCase(
            "on file before the purchase",
            oregon,
            .pass,
            mentions: ["PD-2026-7 of 2026-02-15"],
            adjust: determination("2026-02-15")
        ),
        RuleCase("dated on the purchase date", oregon, .pass, adjust: determination("2026-03-02")),
        RuleCase("dated after the purchase", oregon, .needsEvidence, adjust: determination("2026-03-10")),
        RuleCase("undated when timing matters", oregon, .needsEvidence, adjust: determination(nil)),
        RuleCase(
            "undated when timing does not matter",
            ["requiredKinds": ["substantial-equivalence"]],
            .pass,
            adjust: determination(nil)
        ),
        RuleCase(
            "kind matched case-insensitively",
            ["requiredKinds": ["Substantial-Equivalence"]],
            .pass,
            adjust: determination(nil)
        ),
        RuleCase(
            "one of two kinds missing",
            ["requiredKinds": ["substantial-equivalence", "best-interest"]],
            .needsEvidence,
            mentions: ["best-interest"],
            adjust: determination("2026-01-01")
        ),
        RuleCase(
            "below the threshold",
            ["requiredKinds": ["best-interest"], "thresholdCents": 5_000_000],
            .notApplicable,
            mentions: ["$45,000.00 is below the $50,000.00"]
        ),
    ]

    @Test(arguments: cases)
    func evaluates(_ testCase: RuleCase) { testCase.check(.writtenDetermination) }

    static let invalid: [InvalidParameterCase] = [
        InvalidParameterCase("missing kinds", [:], pointer: "/rules/0/parameters/requiredKinds"),
        InvalidParameterCase("empty kinds", ["requiredKinds": []], pointer: "/rules/0/parameters/requiredKinds"),
        InvalidParameterCase("blank kind", ["requiredKinds": [" "]], pointer: "/rules/0/parameters/requiredKinds/0"),
        InvalidParameterCase(
            "repeated kind",
            ["requiredKinds": ["a", "a"]],
            pointer: "/rules/0/parameters/requiredKinds/1"
        ),
    ]

    @Test(arguments: invalid)
    func rejects(_ testCase: InvalidParameterCase) { testCase.check(.writtenDetermination) }
}
