import CooperageCore
import Testing

@Suite("source-preference")
struct SourcePreferenceRuleTests {
    static let minnesota: JSONValue = ["order": ["state-contract", "in-state", "out-of-state", "federal"]]

    static func alternatives(_ sources: AuthorizationContext.AgreementSource...)
        -> @Sendable (
            inout AuthorizationContext
        ) -> Void
    {
        { $0.alternativeSources = sources }
    }

    static let cases: [RuleCase] = [
        RuleCase(
            "no alternatives",
            minnesota,
            .pass,
            mentions: ["R191902 is an in-state source", "no more preferred source"]
        ),
        RuleCase(
            "a state contract covers the category",
            minnesota,
            .needsEvidence,
            mentions: ["state-contract ranks higher", "written justification is required"],
            adjust: alternatives(.stateContract)
        ),
        RuleCase(
            "justified",
            minnesota,
            .pass,
            mentions: ["justification is on file"],
            adjust: {
                $0.alternativeSources = [.stateContract]
                $0.request.evidence.justification = "State contract lacks the model we need"
            }
        ),
        RuleCase(
            "only warn when skipped",
            ["order": ["state-contract", "in-state"], "whenSkipped": "warn"],
            .warn,
            adjust: alternatives(.stateContract)
        ),
        RuleCase(
            "alternatives rank lower",
            minnesota,
            .pass,
            adjust: alternatives(.outOfState, .federal)
        ),
        RuleCase(
            "the agreement is itself a state contract",
            minnesota,
            .pass,
            mentions: ["state-contract source"],
            adjust: {
                $0.agreement.leadAgency = .init(name: "Texas DIR", state: USState("TX"), entityType: .stateAgency)
                $0.alternativeSources = [.inState]
            }
        ),
        RuleCase(
            "an unlisted source ranks last",
            ["order": ["state-contract"]],
            .needsEvidence,
            adjust: alternatives(.stateContract)
        ),
        RuleCase(
            "named determination required, free text not enough",
            ["order": ["state-contract", "in-state"], "justificationKind": "source-justification"],
            .needsEvidence,
            mentions: ["(source-justification)"],
            adjust: {
                $0.alternativeSources = [.stateContract]
                $0.request.evidence.justification = "Faster"
            }
        ),
        RuleCase(
            "named determination on file",
            ["order": ["state-contract", "in-state"], "justificationKind": "source-justification"],
            .pass,
            mentions: ["SJ-3"],
            adjust: {
                $0.alternativeSources = [.stateContract]
                $0.request.evidence.writtenDeterminations = [.init(kind: "source-justification", reference: "SJ-3")]
            }
        ),
    ]

    @Test(arguments: cases)
    func evaluates(_ testCase: RuleCase) { testCase.check(.sourcePreference) }

    static let invalid: [InvalidParameterCase] = [
        InvalidParameterCase("empty order", ["order": []], pointer: "/rules/0/parameters/order"),
        InvalidParameterCase("unknown source", ["order": ["national"]], pointer: "/rules/0/parameters/order/0"),
        InvalidParameterCase(
            "fail is not allowed",
            ["order": ["state-contract"], "whenSkipped": "fail"],
            pointer: "/rules/0/parameters/whenSkipped"
        ),
    ]

    @Test(arguments: invalid)
    func rejects(_ testCase: InvalidParameterCase) { testCase.check(.sourcePreference) }
}
