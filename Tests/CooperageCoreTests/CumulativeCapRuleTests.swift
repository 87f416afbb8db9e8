import CooperageCore
import Testing

@Suite("cumulative-cap")
struct CumulativeCapRuleTests {
    static let yearly: JSONValue = ["perAgreementPerFiscalYearCents": 10_000_000]

    static let cases: [RuleCase] = [
        RuleCase(
            "within the per-order maximum",
            ["perOrderMaxCents": 5_000_000],
            .pass,
            mentions: ["within the $50,000.00 per-order maximum"]
        ),
        RuleCase(
            "over the per-order maximum",
            ["perOrderMaxCents": 4_000_000],
            .fail,
            mentions: ["$45,000.00 is over the $40,000.00 per-order maximum"]
        ),
        RuleCase(
            "within the fiscal-year cap",
            yearly,
            .pass,
            mentions: ["FY2026", "$55,000.00"],
            adjust: { $0.tenantSpendOnAgreementThisFiscalYearCents = 1_000_000 }
        ),
        RuleCase(
            "exactly at the fiscal-year cap",
            yearly,
            .pass,
            adjust: { $0.tenantSpendOnAgreementThisFiscalYearCents = 5_500_000 }
        ),
        RuleCase(
            "over the fiscal-year cap",
            yearly,
            .fail,
            mentions: ["FY2026 total on agreement R191902 would be $105,000.00", "over the $100,000.00 not-to-exceed"],
            adjust: { $0.tenantSpendOnAgreementThisFiscalYearCents = 6_000_000 }
        ),
        RuleCase(
            "fiscal year follows the tenant's start month",
            yearly,
            .fail,
            mentions: ["FY2027"],
            adjust: {
                $0.tenant.fiscalYearStartMonth = 3
                $0.tenantSpendOnAgreementThisFiscalYearCents = 6_000_000
            }
        ),
        RuleCase(
            "close to the cap",
            ["perAgreementPerFiscalYearCents": 10_000_000, "warnAtPercent": 80],
            .warn,
            mentions: ["80% or more", "$15,000.00 would remain"],
            adjust: { $0.tenantSpendOnAgreementThisFiscalYearCents = 4_000_000 }
        ),
        RuleCase(
            "not yet close to the cap",
            ["perAgreementPerFiscalYearCents": 10_000_000, "warnAtPercent": 90],
            .pass,
            adjust: { $0.tenantSpendOnAgreementThisFiscalYearCents = 4_000_000 }
        ),
        RuleCase(
            "per-order check comes first",
            ["perOrderMaxCents": 1_000_000, "perAgreementPerFiscalYearCents": 1],
            .fail,
            mentions: ["per-order maximum"]
        ),
    ]

    @Test(arguments: cases)
    func evaluates(_ testCase: RuleCase) { testCase.check(.cumulativeCap) }

    static let invalid: [InvalidParameterCase] = [
        InvalidParameterCase("no cap", [:], pointer: "/rules/0/parameters"),
        InvalidParameterCase(
            "warning without a yearly cap",
            ["perOrderMaxCents": 1, "warnAtPercent": 80],
            pointer: "/rules/0/parameters/warnAtPercent"
        ),
        InvalidParameterCase(
            "zero percent",
            ["perAgreementPerFiscalYearCents": 1, "warnAtPercent": 0],
            pointer: "/rules/0/parameters/warnAtPercent"
        ),
        InvalidParameterCase(
            "cap as text",
            ["perOrderMaxCents": "10"],
            pointer: "/rules/0/parameters/perOrderMaxCents"
        ),
    ]

    @Test(arguments: invalid)
    func rejects(_ testCase: InvalidParameterCase) { testCase.check(.cumulativeCap) }
}
