import CooperageCore
import Testing

@Suite("statutory-authority")
struct StatutoryAuthorityRuleTests {
    static let texas: JSONValue = [
        "state": "TX", "entityTypes": ["k12", "city"], "allowedLeadJurisdictions": ["in-state", "out-of-state"],
    ]

    static let cases: [RuleCase] = [
        RuleCase(
            "in-state lead allowed",
            texas,
            .pass,
            mentions: ["Entity type k12 in TX may use agreements let by in-state lead agencies (Harris County)"]
        ),
        RuleCase(
            "out-of-state lead allowed",
            texas,
            .pass,
            mentions: ["out-of-state (AZ)"],
            adjust: { $0.agreement.leadAgency.state = USState("AZ") }
        ),
        RuleCase(
            "entity type not covered",
            ["entityTypes": ["city", "county"], "allowedLeadJurisdictions": ["in-state"]],
            .fail,
            mentions: ["city and county", "k12"]
        ),
        RuleCase(
            "out-of-state lead not allowed",
            ["entityTypes": ["k12"], "allowedLeadJurisdictions": ["in-state"]],
            .fail,
            mentions: ["out-of-state (AZ)", "in-state lead agencies only"],
            adjust: { $0.agreement.leadAgency.state = USState("AZ") }
        ),
        RuleCase(
            "federal lead allowed",
            ["entityTypes": ["k12"], "allowedLeadJurisdictions": ["federal"]],
            .pass,
            mentions: ["federal"],
            adjust: { $0.agreement.leadAgency = .init(name: "GSA", state: nil, entityType: nil, isFederal: true) }
        ),
        RuleCase(
            "federal lead not allowed",
            texas,
            .fail,
            mentions: ["GSA is federal"],
            adjust: { $0.agreement.leadAgency = .init(name: "GSA", state: nil, entityType: nil, isFederal: true) }
        ),
        RuleCase(
            "lead without a state",
            texas,
            .fail,
            mentions: ["no state on record"],
            adjust: { $0.agreement.leadAgency.state = nil }
        ),
        RuleCase(
            "after the sunset",
            ["entityTypes": ["k12"], "allowedLeadJurisdictions": ["in-state"], "sunsetOn": "2025-12-31"],
            .fail,
            mentions: ["sunset on 2025-12-31"]
        ),
        RuleCase(
            "sunset close",
            ["entityTypes": ["k12"], "allowedLeadJurisdictions": ["in-state"], "sunsetOn": "2026-04-01"],
            .warn,
            mentions: ["2026-04-01", "30 days"]
        ),
        RuleCase(
            "sunset far away",
            [
                "entityTypes": ["k12"], "allowedLeadJurisdictions": ["in-state"], "sunsetOn": "2026-04-01",
                "sunsetWarningDays": 10,
            ],
            .pass,
            mentions: ["until the sunset on 2026-04-01"]
        ),
        RuleCase(
            "another state's statute",
            ["state": "NY", "entityTypes": ["k12"], "allowedLeadJurisdictions": ["in-state"]],
            .notApplicable,
            mentions: ["NY statute", "in TX"]
        ),
    ]

    @Test(arguments: cases)
    func evaluates(_ testCase: RuleCase) { testCase.check(.statutoryAuthority) }

    static let invalid: [InvalidParameterCase] = [
        InvalidParameterCase(
            "missing entityTypes",
            ["allowedLeadJurisdictions": ["in-state"]],
            pointer: "/rules/0/parameters/entityTypes"
        ),
        InvalidParameterCase(
            "unknown entity type",
            ["entityTypes": ["mayor"], "allowedLeadJurisdictions": ["in-state"]],
            pointer: "/rules/0/parameters/entityTypes/0"
        ),
        InvalidParameterCase(
            "empty jurisdictions",
            ["entityTypes": ["k12"], "allowedLeadJurisdictions": []],
            pointer: "/rules/0/parameters/allowedLeadJurisdictions"
        ),
        InvalidParameterCase(
            "bad state",
            ["state": "ZZ", "entityTypes": ["k12"], "allowedLeadJurisdictions": ["in-state"]],
            pointer: "/rules/0/parameters/state"
        ),
        InvalidParameterCase(
            "impossible sunset date",
            ["entityTypes": ["k12"], "allowedLeadJurisdictions": ["in-state"], "sunsetOn": "2026-13-01"],
            pointer: "/rules/0/parameters/sunsetOn"
        ),
        InvalidParameterCase(
            "unknown key",
            ["entityTypes": ["k12"], "allowedLeadJurisdictions": ["in-state"], "sunset": "2026-01-01"],
            pointer: "/rules/0/parameters/sunset"
        ),
    ]

    @Test(arguments: invalid)
    func rejects(_ testCase: InvalidParameterCase) { testCase.check(.statutoryAuthority) }
}
