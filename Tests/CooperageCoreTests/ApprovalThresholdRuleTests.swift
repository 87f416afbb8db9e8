import CooperageCore
import Testing

@Suite("approval-threshold")
struct ApprovalThresholdRuleTests {
    static let council: JSONValue = ["amountCents": 3_000_000, "approver": "city-council", "requiresResolution": true]

    static func approvals(_ approvals: AuthorizationContext.RecordedApproval...)
        -> @Sendable (
            inout AuthorizationContext
        ) -> Void
    {
        { $0.approvals = approvals }
    }

    static func order(_ date: String, _ cents: Int, category: String = "43211507", supplier: String = "sup-1")
        -> AuthorizationContext.PriorOrder
    {
        .init(date: day(date), amountCents: cents, category: category, supplierId: id(supplier), agreementId: id("agr-1"))
    }

    static let cases: [RuleCase] = [
        RuleCase(
            "below the threshold",
            ["amountCents": 5_000_000, "approver": "board-of-trustees"],
            .pass,
            mentions: ["$45,000.00 is below the $50,000.00 board-of-trustees threshold"]
        ),
        RuleCase(
            "at the threshold",
            ["amountCents": 4_500_000, "approver": "board-of-trustees"],
            .needsApproval,
            mentions: ["$45,000.00 is at or above the $45,000.00 board-of-trustees threshold"]
        ),
        RuleCase(
            "at the threshold when the statute says above",
            ["amountCents": 4_500_000, "approver": "board-of-trustees", "comparison": "above"],
            .pass,
            mentions: ["at or below"]
        ),
        RuleCase(
            "zero threshold: every purchase (FL alternate contract source)",
            ["amountCents": 0, "approver": "department-of-management-services"],
            .needsApproval,
            mentions: ["$45,000.00 needs department-of-management-services approval at any amount"]
        ),
        RuleCase(
            "council approval with resolution required",
            council,
            .needsApproval,
            mentions: [
                "$45,000.00 is at or above the $30,000.00 city-council threshold",
                "city-council approval with a resolution number and date is required",
            ]
        ),
        RuleCase(
            "approved by index with resolution",
            council,
            .pass,
            mentions: ["approved by city-council, resolution 2026-14 of 2026-02-20"],
            adjust: approvals(
                .init(
                    ruleIndex: 0,
                    approverRole: "city-council",
                    resolutionNumber: "2026-14",
                    resolutionDate: day("2026-02-20")
                )
            )
        ),
        RuleCase(
            "approved by type with resolution",
            council,
            .pass,
            adjust: approvals(
                .init(
                    ruleType: "approval-threshold",
                    approverRole: "city-council",
                    resolutionNumber: "2026-14",
                    resolutionDate: day("2026-02-20")
                )
            )
        ),
        RuleCase(
            "approval lacks the resolution",
            council,
            .needsApproval,
            mentions: ["has no resolution number"],
            adjust: approvals(.init(ruleIndex: 0, approverRole: "city-council"))
        ),
        RuleCase(
            "approval without artifact suffices when none is required",
            ["amountCents": 3_000_000, "approver": "city-manager"],
            .pass,
            mentions: ["approved by city-manager"],
            adjust: approvals(.init(ruleIndex: 0, approverRole: "city-manager"))
        ),
        RuleCase(
            "approval names another rule",
            council,
            .needsApproval,
            adjust: approvals(
                .init(
                    ruleIndex: 1,
                    approverRole: "city-council",
                    resolutionNumber: "2026-14",
                    resolutionDate: day("2026-02-20")
                )
            )
        ),
        RuleCase(
            "approval names the index but the wrong type",
            council,
            .needsApproval,
            adjust: approvals(
                .init(
                    ruleType: "anti-splitting",
                    ruleIndex: 0,
                    approverRole: "city-council",
                    resolutionNumber: "2026-14",
                    resolutionDate: day("2026-02-20")
                )
            )
        ),
        RuleCase(
            "resolution date taken from the evidence",
            council,
            .pass,
            mentions: ["resolution R-7 of 2026-01-12"],
            adjust: {
                $0.request.evidence.resolutions = [.init(number: "R-7", date: day("2026-01-12"), body: "city-council")]
                $0.approvals = [.init(ruleIndex: 0, approverRole: "city-council", resolutionNumber: "R-7")]
            }
        ),
        RuleCase(
            "resolution without any date",
            council,
            .needsApproval,
            mentions: ["resolution R-7 has no date"],
            adjust: approvals(.init(ruleIndex: 0, approverRole: "city-council", resolutionNumber: "R-7"))
        ),
        RuleCase(
            "resolution adopted after the purchase",
            council,
            .needsApproval,
            mentions: ["after the purchase date"],
            adjust: approvals(
                .init(
                    ruleIndex: 0,
                    approverRole: "city-council",
                    resolutionNumber: "2026-20",
                    resolutionDate: day("2026-03-16")
                )
            )
        ),
        RuleCase(
            "per-contract total crosses",
            ["amountCents": 5_000_000, "approver": "council", "basis": "per-contract"],
            .needsApproval,
            mentions: ["$55,000.00 on agreement R191902"],
            adjust: { $0.tenantSpendOnAgreementCents = 1_000_000 }
        ),
        RuleCase(
            "per-contract total stays below",
            ["amountCents": 5_000_000, "approver": "council", "basis": "per-contract"],
            .pass,
            adjust: { $0.tenantSpendOnAgreementCents = 400_000 }
        ),
        RuleCase(
            "12-month aggregate by supplier crosses",
            ["amountCents": 5_000_000, "approver": "board", "basis": "12-month-aggregate"],
            .needsApproval,
            mentions: ["$51,000.00 for supplier Acme Computers"],
            adjust: {
                $0.recentOrders = [
                    order("2025-06-01", 300_000), order("2026-03-01", 300_000),
                    // A year and a day earlier: outside the window.
                    order("2025-03-01", 900_000),
                    // Another supplier: another group.
                    order("2025-12-01", 900_000, supplier: "sup-2"),
                ]
            }
        ),
        RuleCase(
            "12-month aggregate by category",
            ["amountCents": 5_000_000, "approver": "board", "basis": "12-month-aggregate", "groupBy": "category"],
            .needsApproval,
            mentions: ["UNSPSC 432115"],
            adjust: { $0.recentOrders = [order("2025-12-01", 900_000, supplier: "sup-2")] }
        ),
        RuleCase(
            "12-month aggregate, other category class",
            ["amountCents": 5_000_000, "approver": "board", "basis": "12-month-aggregate", "groupBy": "category"],
            .pass,
            adjust: { $0.recentOrders = [order("2025-12-01", 900_000, category: "44121618")] }
        ),
    ]

    @Test(arguments: cases)
    func evaluates(_ testCase: RuleCase) { testCase.check(.approvalThreshold) }

    static let invalid: [InvalidParameterCase] = [
        InvalidParameterCase("missing amount", ["approver": "council"], pointer: "/rules/0/parameters/amountCents"),
        InvalidParameterCase(
            "fractional cents",
            ["amountCents": 1.5, "approver": "council"],
            pointer: "/rules/0/parameters/amountCents"
        ),
        InvalidParameterCase(
            "negative amount",
            ["amountCents": -1, "approver": "council"],
            pointer: "/rules/0/parameters/amountCents"
        ),
        InvalidParameterCase(
            "amount as text",
            ["amountCents": "3000000", "approver": "council"],
            pointer: "/rules/0/parameters/amountCents"
        ),
        InvalidParameterCase(
            "blank approver",
            ["amountCents": 1, "approver": ""],
            pointer: "/rules/0/parameters/approver"
        ),
        InvalidParameterCase(
            "unknown basis",
            ["amountCents": 1, "approver": "council", "basis": "yearly"],
            pointer: "/rules/0/parameters/basis"
        ),
        InvalidParameterCase(
            "groupBy without aggregate",
            ["amountCents": 1, "approver": "council", "groupBy": "supplier"],
            pointer: "/rules/0/parameters/groupBy"
        ),
        InvalidParameterCase(
            "dollars instead of cents",
            ["amount": 30000, "amountCents": 1, "approver": "council"],
            pointer: "/rules/0/parameters/amount"
        ),
    ]

    @Test(arguments: invalid)
    func rejects(_ testCase: InvalidParameterCase) { testCase.check(.approvalThreshold) }
}
