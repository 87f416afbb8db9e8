import CooperageCore
import Testing

@Suite("budget-availability")
struct BudgetAvailabilityRuleTests {
    static let account: JSONValue = ["accounts": [["account": "199-11-6399", "appropriatedCents": 10_000_000]]]

    static let cases: [RuleCase] = [
        RuleCase(
            "enough left",
            account,
            .pass,
            mentions: [
                "account 199-11-6399: $45,000.00 of $80,000.00 available ($100,000.00 appropriated, $20,000.00 spent)"
            ],
            adjust: { $0.accountSpentCents = ["199-11-6399": 2_000_000] }
        ),
        RuleCase(
            "exactly enough",
            account,
            .pass,
            adjust: { $0.accountSpentCents = ["199-11-6399": 5_500_000] }
        ),
        RuleCase(
            "not enough left",
            account,
            .fail,
            mentions: ["needs $45,000.00 but has $40,000.00 available"],
            adjust: { $0.accountSpentCents = ["199-11-6399": 6_000_000] }
        ),
        RuleCase(
            "account without appropriation",
            ["accounts": [["account": "100-00", "appropriatedCents": 10_000_000]]],
            .fail,
            mentions: ["199-11-6399 has no appropriation"]
        ),
        RuleCase(
            "no funding lines",
            account,
            .needsEvidence,
            mentions: ["no funding lines"],
            adjust: { $0.request.fundingLines = [] }
        ),
        RuleCase(
            "lines do not add up",
            account,
            .needsEvidence,
            mentions: ["total $40,000.00 but the request is $45,000.00"],
            adjust: { $0.request.fundingLines[0].amountCents = 4_000_000 }
        ),
        RuleCase(
            "line without an account",
            account,
            .needsEvidence,
            mentions: ["Funding line 1 names no budget account"],
            adjust: { $0.request.fundingLines[0].account = nil }
        ),
        RuleCase(
            "line without an account allowed",
            ["accounts": [["account": "199-11-6399", "appropriatedCents": 1]], "requireAccountOnEveryLine": false],
            .pass,
            mentions: ["nothing to check"],
            adjust: { $0.request.fundingLines[0].account = nil }
        ),
        RuleCase(
            "two lines on one account are added",
            account,
            .fail,
            mentions: ["needs $45,000.00"],
            adjust: {
                $0.request.fundingLines = [
                    .init(source: .local, account: "199-11-6399", amountCents: 2_500_000),
                    .init(source: .state, account: "199-11-6399", amountCents: 2_000_000),
                ]
                $0.accountSpentCents = ["199-11-6399": 6_000_000]
            }
        ),
    ]

    @Test(arguments: cases)
    func evaluates(_ testCase: RuleCase) { testCase.check(.budgetAvailability) }

    static let invalid: [InvalidParameterCase] = [
        InvalidParameterCase("no accounts", ["accounts": []], pointer: "/rules/0/parameters/accounts"),
        InvalidParameterCase(
            "account without appropriation",
            ["accounts": [["account": "A"]]],
            pointer: "/rules/0/parameters/accounts/0/appropriatedCents"
        ),
        InvalidParameterCase(
            "unknown key in an account",
            ["accounts": [["account": "A", "appropriatedCents": 1, "fund": "x"]]],
            pointer: "/rules/0/parameters/accounts/0/fund"
        ),
        InvalidParameterCase(
            "account listed twice",
            ["accounts": [["account": "A", "appropriatedCents": 1], ["account": "A", "appropriatedCents": 2]]],
            pointer: "/rules/0/parameters/accounts/1"
        ),
    ]

    @Test(arguments: invalid)
    func rejects(_ testCase: InvalidParameterCase) { testCase.check(.budgetAvailability) }
}
