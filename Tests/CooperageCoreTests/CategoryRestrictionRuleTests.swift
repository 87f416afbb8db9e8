import CooperageCore
import Testing

@Suite("category-restriction")
struct CategoryRestrictionRuleTests {
    static func category(_ code: String) -> @Sendable (inout AuthorizationContext) -> Void {
        { $0.request.category = code }
    }

    static let cases: [RuleCase] = [
        RuleCase(
            "goods allowed",
            ["allowedClasses": ["goods"], "excludedClasses": ["public-works"]],
            .pass,
            mentions: ["it is goods"]
        ),
        RuleCase(
            "public works excluded",
            ["excludedClasses": ["public-works"]],
            .fail,
            mentions: ["72121000", "public-works"],
            adjust: category("72121000")
        ),
        RuleCase(
            "services are not goods",
            ["allowedClasses": ["goods"]],
            .fail,
            mentions: ["outside the allowed"],
            adjust: category("80111600")
        ),
        RuleCase(
            "engineering excluded (TX 2156.181)",
            ["excludedClasses": ["engineering-services", "architectural-services"]],
            .fail,
            mentions: ["engineering-services"],
            adjust: category("81101501")
        ),
        RuleCase(
            "architecture excluded (TX 2156.181)",
            ["excludedClasses": ["architectural-services"]],
            .fail,
            mentions: ["architectural-services"],
            adjust: category("81101508")
        ),
        RuleCase("excluded prefix", ["excludedPrefixes": ["4321"]], .fail, mentions: ["UNSPSC 4321"]),
        RuleCase("allowed prefix", ["allowedPrefixes": ["43", "44"]], .pass, mentions: ["allowed UNSPSC 43"]),
        RuleCase("not under an allowed prefix", ["allowedPrefixes": ["44"]], .fail),
        RuleCase("exclusion wins over allowance", ["allowedPrefixes": ["43"], "excludedPrefixes": ["432115"]], .fail),
        RuleCase(
            "within the agreement's scope",
            ["requireAgreementScope": true],
            .pass,
            mentions: ["within agreement R191902's scope"]
        ),
        RuleCase(
            "outside the agreement's scope",
            ["requireAgreementScope": true],
            .fail,
            mentions: ["43210000"],
            adjust: category("44121618")
        ),
        RuleCase(
            "not a UNSPSC code",
            ["excludedClasses": ["public-works"]],
            .fail,
            mentions: ["not an 8-digit"],
            adjust: category("4321")
        ),
    ]

    @Test(arguments: cases)
    func evaluates(_ testCase: RuleCase) { testCase.check(.categoryRestriction) }

    static let invalid: [InvalidParameterCase] = [
        InvalidParameterCase("nothing to check", [:], pointer: "/rules/0/parameters"),
        InvalidParameterCase(
            "odd-length prefix",
            ["allowedPrefixes": ["433"]],
            pointer: "/rules/0/parameters/allowedPrefixes/0"
        ),
        InvalidParameterCase(
            "unknown class",
            ["excludedClasses": ["roads"]],
            pointer: "/rules/0/parameters/excludedClasses/0"
        ),
    ]

    @Test(arguments: invalid)
    func rejects(_ testCase: InvalidParameterCase) { testCase.check(.categoryRestriction) }
}
