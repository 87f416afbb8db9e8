import CooperageCore
import Testing

@Suite("federal-funds")
struct FederalFundsRuleTests {
    static let overlay: JSONValue = [
        "microPurchaseThresholdCents": 1_500_000, "simplifiedAcquisitionThresholdCents": 35_000_000,
        "programRequirements": [["program": "FEMA-PA", "determinations": ["fema-five-part-test"]]],
    ]
    static let withQuotes: JSONValue = [
        "microPurchaseThresholdCents": 1_500_000, "simplifiedAcquisitionThresholdCents": 35_000_000,
        "quotesAboveMicroPurchase": 3,
    ]

    /// The whole request paid from one federal line of `program`, for `cents`.
    static func federal(_ cents: Int = 4_500_000, program: String? = "ESSER")
        -> @Sendable (inout AuthorizationContext)
        -> Void
    {
        { context in
            context.request.amountCents = cents
            context.request.fundingLines = [
                .init(source: .federal, program: program, account: "F-1", amountCents: cents)
            ]
        }
    }

    static let cases: [RuleCase] = [
        RuleCase("local funds only", overlay, .notApplicable, mentions: ["No federal funding line"]),
        RuleCase(
            "micro-purchase",
            overlay,
            .pass,
            mentions: ["$9,000.00 is within the $15,000.00 micro-purchase threshold"],
            adjust: federal(900_000)
        ),
        RuleCase(
            "between the thresholds",
            overlay,
            .pass,
            mentions: ["Federal funding of $45,000.00 (ESSER)", "above the $15,000.00 micro-purchase threshold"],
            adjust: federal()
        ),
        RuleCase(
            "compliance letter missing",
            overlay,
            .fail,
            mentions: ["compliance letter"],
            adjust: {
                federal()(&$0)
                $0.agreement.complianceLetterOnFile = false
            }
        ),
        RuleCase(
            "telecom attestation missing",
            overlay,
            .fail,
            mentions: ["200.216"],
            adjust: {
                federal()(&$0)
                $0.agreement.telecomAttestation200216 = false
            }
        ),
        RuleCase(
            "letter not required by this overlay",
            [
                "microPurchaseThresholdCents": 1_000_000, "simplifiedAcquisitionThresholdCents": 25_000_000,
                "requireComplianceLetter": false,
            ],
            .pass,
            adjust: {
                federal()(&$0)
                $0.agreement.complianceLetterOnFile = false
            }
        ),
        RuleCase(
            "above the simplified acquisition threshold without analysis",
            overlay,
            .needsEvidence,
            mentions: ["above the $350,000.00 simplified acquisition threshold", "cost-or-price-analysis"],
            adjust: federal(40_000_000)
        ),
        RuleCase(
            "above the simplified acquisition threshold with analysis",
            overlay,
            .pass,
            adjust: {
                federal(40_000_000)(&$0)
                $0.request.evidence.writtenDeterminations = [.init(kind: "cost-or-price-analysis", reference: "CPA-12")]
            }
        ),
        RuleCase(
            "exactly at the simplified acquisition threshold needs no analysis",
            overlay,
            .pass,
            adjust: federal(35_000_000)
        ),
        RuleCase(
            "quotes above the micro-purchase threshold missing",
            withQuotes,
            .needsEvidence,
            mentions: ["3 quotes (0 on file)"],
            adjust: federal()
        ),
        RuleCase(
            "quotes not needed for a micro-purchase",
            withQuotes,
            .pass,
            adjust: federal(1_500_000)
        ),
        RuleCase(
            "FEMA program without the five-part test",
            overlay,
            .needsEvidence,
            mentions: ["fema-five-part-test (FEMA-PA)"],
            adjust: federal(program: "FEMA-PA")
        ),
        RuleCase(
            "FEMA program with the five-part test",
            overlay,
            .pass,
            adjust: {
                federal(program: "fema-pa")(&$0)
                $0.request.evidence.writtenDeterminations = [.init(kind: "fema-five-part-test", reference: "Memo 4")]
            }
        ),
        RuleCase(
            "mixed funding counts the federal share",
            overlay,
            .pass,
            mentions: ["Federal funding of $5,000.00"],
            adjust: {
                $0.request.fundingLines = [
                    .init(source: .local, amountCents: 4_000_000), .init(source: .federal, amountCents: 500_000),
                ]
            }
        ),
    ]

    @Test(arguments: cases)
    func evaluates(_ testCase: RuleCase) { testCase.check(.federalFunds) }

    static let invalid: [InvalidParameterCase] = [
        InvalidParameterCase(
            "missing micro-purchase threshold",
            ["simplifiedAcquisitionThresholdCents": 1],
            pointer: "/rules/0/parameters/microPurchaseThresholdCents"
        ),
        InvalidParameterCase(
            "thresholds inverted",
            ["microPurchaseThresholdCents": 2, "simplifiedAcquisitionThresholdCents": 1],
            pointer: "/rules/0/parameters/simplifiedAcquisitionThresholdCents"
        ),
        InvalidParameterCase(
            "program without determinations",
            [
                "microPurchaseThresholdCents": 1, "simplifiedAcquisitionThresholdCents": 2,
                "programRequirements": [["program": "FEMA-PA"]],
            ],
            pointer: "/rules/0/parameters/programRequirements/0/determinations"
        ),
    ]

    @Test(arguments: invalid)
    func rejects(_ testCase: InvalidParameterCase) { testCase.check(.federalFunds) }
}
