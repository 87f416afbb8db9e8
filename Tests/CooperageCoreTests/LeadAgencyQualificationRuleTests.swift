import CooperageCore
import Testing

@Suite("lead-agency-qualification")
struct LeadAgencyQualificationRuleTests {
    static let strict: JSONValue = [
        "requirePublicLead": true, "requireAdvertised": true, "requireCooperativeLanguage": true,
        "allowedAwardBases": ["lowest-responsible-bidder", "best-value"], "allowedMethods": ["ifb", "rfp"],
    ]
    static let newYork: JSONValue = [
        "allowedAwardBases": ["lowest-responsible-bidder", "best-value"],
        "bestValueAuthorityKind": "best-value-authorization",
    ]

    static let cases: [RuleCase] = [
        RuleCase("defaults: public lead", [:], .pass, mentions: ["Harris County is public"]),
        RuleCase(
            "all requirements met",
            strict,
            .pass,
            mentions: ["advertised in Houston Chronicle on 2019-01-07", "solicited by RFP", "best-value"]
        ),
        RuleCase(
            "lead is not public",
            strict,
            .fail,
            mentions: ["not a public agency"],
            adjust: { $0.agreement.leadAgency.isPublic = false }
        ),
        RuleCase(
            "not advertised",
            strict,
            .fail,
            mentions: ["not publicly advertised"],
            adjust: { $0.agreement.solicitation.advertised = false }
        ),
        RuleCase(
            "no cooperative language in the contract",
            strict,
            .fail,
            mentions: ["missing from the contract"],
            adjust: { $0.agreement.solicitation.cooperativeLanguageInContract = false }
        ),
        RuleCase(
            "award basis not allowed",
            ["allowedAwardBases": ["lowest-responsible-bidder"]],
            .fail,
            mentions: ["best-value, not lowest-responsible-bidder"]
        ),
        RuleCase("method not allowed", ["allowedMethods": ["ifb"]], .fail, mentions: ["RFP, not IFB"]),
        RuleCase(
            "several problems reported together",
            strict,
            .fail,
            mentions: ["not a public agency", "CSP, not IFB and RFP"],
            adjust: {
                $0.agreement.leadAgency.isPublic = false
                $0.agreement.solicitation.method = .csp
            }
        ),
        RuleCase(
            "best value without own authority",
            newYork,
            .needsEvidence,
            mentions: ["best-value-authorization", "local law or resolution"]
        ),
        RuleCase(
            "best value with own authority",
            newYork,
            .pass,
            mentions: ["Local Law 3 of 2012"],
            adjust: {
                $0.request.evidence.writtenDeterminations = [
                    .init(kind: "best-value-authorization", reference: "Local Law 3 of 2012")
                ]
            }
        ),
        RuleCase(
            "lowest bidder needs no best-value authority",
            newYork,
            .pass,
            adjust: { $0.agreement.solicitation.awardBasis = .lowestResponsibleBidder }
        ),
    ]

    @Test(arguments: cases)
    func evaluates(_ testCase: RuleCase) { testCase.check(.leadAgencyQualification) }

    static let invalid: [InvalidParameterCase] = [
        InvalidParameterCase(
            "unknown method",
            ["allowedMethods": ["sealed"]],
            pointer: "/rules/0/parameters/allowedMethods/0"
        ),
        InvalidParameterCase(
            "flag as string",
            ["requireAdvertised": "yes"],
            pointer: "/rules/0/parameters/requireAdvertised"
        ),
        InvalidParameterCase(
            "empty award bases",
            ["allowedAwardBases": []],
            pointer: "/rules/0/parameters/allowedAwardBases"
        ),
        InvalidParameterCase("parameters not an object", ["ifb"], pointer: "/rules/0/parameters"),
    ]

    @Test(arguments: invalid)
    func rejects(_ testCase: InvalidParameterCase) { testCase.check(.leadAgencyQualification) }
}
