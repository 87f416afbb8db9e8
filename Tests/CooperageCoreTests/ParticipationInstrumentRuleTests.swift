import CooperageCore
import Testing

@Suite("participation-instrument")
struct ParticipationInstrumentRuleTests {
    static let addendum = AuthorizationContext.ParticipationInstrument(
        kind: .participatingAddendum,
        agreementId: id("agr-1"),
        state: USState("TX"),
        effectiveOn: day("2024-02-01"),
        expiresOn: day("2027-12-31")
    )

    static let cases: [RuleCase] = [
        RuleCase(
            "interlocal in force",
            ["kind": "interlocal-agreement"],
            .pass,
            mentions: ["An interlocal-agreement is in force", "resolution 2023-41 of 2023-07-20"]
        ),
        RuleCase(
            "kind not on file",
            ["kind": "master-intergovernmental-agreement"],
            .fail,
            mentions: ["No master-intergovernmental-agreement is on file"]
        ),
        RuleCase(
            "instrument expired",
            ["kind": "interlocal-agreement"],
            .fail,
            mentions: ["not in force", "2025-12-31"],
            adjust: { $0.participationInstruments[0].expiresOn = day("2025-12-31") }
        ),
        RuleCase(
            "instrument not yet effective",
            ["kind": "interlocal-agreement"],
            .fail,
            mentions: ["not in force"],
            adjust: { $0.participationInstruments[0].effectiveOn = day("2026-04-01") }
        ),
        RuleCase(
            "per-agreement instrument names the agreement",
            ["kind": "interlocal-agreement", "scope": "per-agreement"],
            .pass,
            mentions: ["for agreement R191902"],
            adjust: { $0.participationInstruments[0].agreementId = id("agr-1") }
        ),
        RuleCase(
            "per-agreement instrument missing",
            ["kind": "interlocal-agreement", "scope": "per-agreement"],
            .fail,
            mentions: ["for agreement R191902"]
        ),
        RuleCase(
            "instrument for another agreement does not count",
            ["kind": "interlocal-agreement"],
            .fail,
            adjust: { $0.participationInstruments[0].agreementId = id("agr-9") }
        ),
        RuleCase(
            "participating addendum for the state",
            ["kind": "participating-addendum", "scope": "per-state"],
            .pass,
            mentions: ["for TX"],
            adjust: { $0.participationInstruments.append(addendum) }
        ),
        RuleCase(
            "participating addendum for another state",
            ["kind": "participating-addendum", "scope": "per-state"],
            .fail,
            adjust: {
                var other = addendum
                other.state = USState("OK")
                $0.participationInstruments.append(other)
            }
        ),
        RuleCase(
            "resolution required and on file",
            ["kind": "interlocal-agreement", "requireResolution": true],
            .pass
        ),
        RuleCase(
            "resolution required but missing",
            ["kind": "interlocal-agreement", "requireResolution": true],
            .needsEvidence,
            mentions: ["authorizing resolution"],
            adjust: { $0.participationInstruments[0].resolutionNumber = nil }
        ),
        RuleCase(
            "expiring soon",
            ["kind": "interlocal-agreement", "expiryWarningDays": 60],
            .warn,
            mentions: ["expires on 2026-03-31", "29 days"],
            adjust: { $0.participationInstruments[0].expiresOn = day("2026-03-31") }
        ),
    ]

    @Test(arguments: cases)
    func evaluates(_ testCase: RuleCase) { testCase.check(.participationInstrument) }

    static let invalid: [InvalidParameterCase] = [
        InvalidParameterCase("missing kind", [:], pointer: "/rules/0/parameters/kind"),
        InvalidParameterCase("unknown kind", ["kind": "contract"], pointer: "/rules/0/parameters/kind"),
        InvalidParameterCase(
            "unknown scope",
            ["kind": "registration", "scope": "global"],
            pointer: "/rules/0/parameters/scope"
        ),
        InvalidParameterCase(
            "negative warning",
            ["kind": "registration", "expiryWarningDays": -1],
            pointer: "/rules/0/parameters/expiryWarningDays"
        ),
    ]

    @Test(arguments: invalid)
    func rejects(_ testCase: InvalidParameterCase) { testCase.check(.participationInstrument) }
}
