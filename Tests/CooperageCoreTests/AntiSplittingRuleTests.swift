import CooperageCore
import Testing

@Suite("anti-splitting")
struct AntiSplittingRuleTests {
    static let byCategory: JSONValue = ["windowDays": 365, "groupBy": "category", "thresholdCents": 5_000_000]

    static func orders(_ orders: AuthorizationContext.PriorOrder...) -> @Sendable (inout AuthorizationContext) -> Void {
        { $0.recentOrders = orders }
    }

    static func order(_ date: String, _ cents: Int, category: String = "43211507", supplier: String = "sup-9")
        -> AuthorizationContext.PriorOrder
    {
        .init(date: day(date), amountCents: cents, category: category, supplierId: id(supplier), agreementId: id("agr-7"))
    }

    static let cases: [RuleCase] = [
        RuleCase(
            "no earlier orders",
            byCategory,
            .pass,
            mentions: ["total $45,000.00 with this request (0 earlier orders), below the $50,000.00 threshold"]
        ),
        RuleCase(
            "split order crosses the threshold",
            byCategory,
            .needsApproval,
            mentions: ["UNSPSC 432115", "$55,000.00", "1 earlier order", "governing-body approval is required"],
            adjust: orders(order("2025-12-01", 1_000_000))
        ),
        RuleCase(
            "approval recorded",
            byCategory,
            .pass,
            mentions: ["approved by purchasing-director"],
            adjust: {
                $0.recentOrders = [order("2025-12-01", 1_000_000)]
                $0.approvals = [.init(ruleType: "anti-splitting", approverRole: "purchasing-director")]
            }
        ),
        RuleCase(
            "approval with resolution required",
            [
                "windowDays": 365, "groupBy": "category", "thresholdCents": 5_000_000, "requiresResolution": true,
                "approver": "school-board",
            ],
            .needsApproval,
            mentions: ["school-board approval with a resolution number and date is required"],
            adjust: orders(order("2025-12-01", 1_000_000))
        ),
        RuleCase(
            "splitting forbidden outright",
            ["windowDays": 365, "groupBy": "category", "thresholdCents": 5_000_000, "onExceed": "fail"],
            .fail,
            mentions: ["may not evade"],
            adjust: orders(order("2025-12-01", 1_000_000))
        ),
        RuleCase(
            "order alone reaches the threshold",
            ["windowDays": 365, "groupBy": "category", "thresholdCents": 4_000_000],
            .notApplicable,
            mentions: ["not a split order"],
            adjust: orders(order("2025-12-01", 1_000_000))
        ),
        RuleCase(
            "earlier order outside the window",
            byCategory,
            .pass,
            mentions: ["0 earlier orders"],
            adjust: orders(order("2025-03-02", 1_000_000))
        ),
        RuleCase(
            "earlier order on the window's first day",
            byCategory,
            .needsApproval,
            adjust: orders(order("2025-03-03", 1_000_000))
        ),
        RuleCase(
            "other category class",
            byCategory,
            .pass,
            adjust: orders(order("2025-12-01", 1_000_000, category: "43211607"))
        ),
        RuleCase(
            "coarser category match",
            ["windowDays": 365, "groupBy": "category", "thresholdCents": 5_000_000, "categoryDigits": 4],
            .needsApproval,
            adjust: orders(order("2025-12-01", 1_000_000, category: "43211607"))
        ),
        RuleCase(
            "grouped by supplier",
            ["windowDays": 90, "groupBy": "supplier", "thresholdCents": 5_000_000],
            .needsApproval,
            mentions: ["supplier Acme Computers", "90 days"],
            adjust: orders(order("2026-02-01", 600_000, category: "44121618", supplier: "sup-1"))
        ),
        RuleCase(
            "statute says more than: equal total passes",
            ["windowDays": 365, "groupBy": "category", "thresholdCents": 5_000_000, "comparison": "above"],
            .pass,
            mentions: ["at or below"],
            adjust: orders(order("2025-12-01", 500_000))
        ),
    ]

    @Test(arguments: cases)
    func evaluates(_ testCase: RuleCase) { testCase.check(.antiSplitting) }

    static let invalid: [InvalidParameterCase] = [
        InvalidParameterCase(
            "zero-day window",
            ["windowDays": 0, "groupBy": "category", "thresholdCents": 1],
            pointer: "/rules/0/parameters/windowDays"
        ),
        InvalidParameterCase(
            "unknown grouping",
            ["windowDays": 365, "groupBy": "vendor", "thresholdCents": 1],
            pointer: "/rules/0/parameters/groupBy"
        ),
        InvalidParameterCase(
            "odd category digits",
            ["windowDays": 365, "groupBy": "category", "thresholdCents": 1, "categoryDigits": 5],
            pointer: "/rules/0/parameters/categoryDigits"
        ),
        InvalidParameterCase(
            "warn is not an exceed outcome",
            ["windowDays": 365, "groupBy": "category", "thresholdCents": 1, "onExceed": "warn"],
            pointer: "/rules/0/parameters/onExceed"
        ),
    ]

    @Test(arguments: invalid)
    func rejects(_ testCase: InvalidParameterCase) { testCase.check(.antiSplitting) }
}
