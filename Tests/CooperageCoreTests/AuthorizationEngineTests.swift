import CooperageCore
import Foundation
import Testing

@Suite("authorization engine")
struct AuthorizationEngineTests {
    static let palmCoast = PolicyRule(
        type: .approvalThreshold,
        parameters: ["amountCents": 3_000_000, "approver": "city-council", "requiresResolution": true],
        citation: "Palm Coast, FL Code 2-26"
    )

    @Test func emptyPolicyApprovesWhenGatesPass() {
        let decision = AuthorizationEngine.decide(Fixture.context, policy: [])
        #expect(decision.outcome == .approved)
        #expect(decision.results.map(\.rule) == SystemGate.allCases.map(\.rawValue))
        #expect(decision.authorizedAmountCents == 4_500_000)
        #expect(decision.validFrom == day("2026-03-02"))
        #expect(decision.validUntil == day("2026-05-31"))
    }

    @Test func validityNeverPassesTheAgreementExpiry() {
        let context = Fixture.context { $0.agreement.expiresOn = day("2026-04-15") }
        let decision = AuthorizationEngine.decide(context, policy: [], validityDays: 365)
        #expect(decision.validUntil == day("2026-04-15"))
    }

    @Test func validityNeverPassesTheParticipationInstrument() {
        let context = Fixture.context { $0.participationInstruments[0].expiresOn = day("2026-03-20") }
        #expect(AuthorizationEngine.decide(context, policy: []).validUntil == day("2026-03-20"))
    }

    @Test func validityDaysAreAParameter() {
        #expect(
            AuthorizationEngine.decide(Fixture.context, policy: [], validityDays: 30).validUntil == day("2026-04-01")
        )
        #expect(
            AuthorizationEngine.decide(Fixture.context, policy: [], validityDays: -5).validUntil == day("2026-03-02")
        )
        #expect(
            AuthorizationEngine.decide(Fixture.context, policy: [], validityDays: .max).validUntil == day("2027-12-31")
        )
    }

    @Test func failingGateDeniesButEveryRuleIsStillReported() {
        let context = Fixture.context { $0.tenant.active = false }
        let decision = AuthorizationEngine.decide(context, policy: [Self.palmCoast])
        #expect(decision.outcome == .denied)
        #expect(decision.results.count == SystemGate.allCases.count + 1)
        #expect(decision.results.last?.outcome == .needsApproval)
        #expect(decision.authorizedAmountCents == 0)
        #expect(decision.validFrom == nil && decision.validUntil == nil)
    }

    @Test func approvalWorkflow() {
        var context = Fixture.context
        let pending = AuthorizationEngine.decide(context, policy: [Self.palmCoast])
        #expect(pending.outcome == .pending)
        let result = pending.results[SystemGate.allCases.count]
        #expect(result.kind == .rule && result.ruleIndex == 0 && result.rule == "approval-threshold")
        #expect(
            result.message
                == "$45,000.00 is at or above the $30,000.00 city-council threshold; city-council approval with a resolution number and date is required."
        )
        #expect(result.citation == "Palm Coast, FL Code 2-26")

        context.approvals.append(
            .init(
                ruleIndex: 0,
                approverRole: "city-council",
                resolutionNumber: "2026-14",
                resolutionDate: day("2026-02-20"),
                note: "consent agenda item 7"
            )
        )
        let approved = AuthorizationEngine.decide(context, policy: [Self.palmCoast])
        #expect(approved.outcome == .approved)
        #expect(
            approved.results.last?.message.contains("resolution 2026-14 of 2026-02-20 (consent agenda item 7)") == true
        )
    }

    @Test func warningsAndNotApplicableDoNotBlock() {
        let policy = [
            PolicyRule(
                type: .cumulativeCap,
                parameters: ["perAgreementPerFiscalYearCents": 5_000_000, "warnAtPercent": 50],
                citation: "NTE"
            ),
            PolicyRule(
                type: .federalFunds,
                parameters: ["microPurchaseThresholdCents": 1, "simplifiedAcquisitionThresholdCents": 2],
                citation: "2 CFR 200"
            ),
        ]
        let decision = AuthorizationEngine.decide(Fixture.context, policy: policy)
        #expect(decision.results.suffix(2).map(\.outcome) == [.warn, .notApplicable])
        #expect(decision.outcome == .approved)
    }

    @Test func missingEvidenceLeavesTheRequestPending() {
        let policy = [
            PolicyRule(type: .documentation, parameters: ["requiredDocuments": ["Quote"]], citation: "Board policy")
        ]
        #expect(AuthorizationEngine.decide(Fixture.context, policy: policy).outcome == .pending)
    }

    @Test func ruleOutsideItsEffectiveDatesDoesNotApply() {
        let expired = PolicyRule(
            type: .cumulativeCap,
            parameters: ["perOrderMaxCents": 1],
            citation: "Old NTE",
            effectiveOn: day("2024-01-01"),
            expiresOn: day("2025-12-31")
        )
        let future = PolicyRule(
            type: .cumulativeCap,
            parameters: ["perOrderMaxCents": 1],
            citation: "Next NTE",
            effectiveOn: day("2026-03-03")
        )
        let decision = AuthorizationEngine.decide(Fixture.context, policy: [expired, future])
        #expect(decision.outcome == .approved)
        let messages = decision.results.suffix(2).map(\.message)
        #expect(
            messages[0]
                == "The rule is in effect from 2024-01-01 until 2025-12-31; the purchase date 2026-03-02 is outside that period."
        )
        #expect(messages[1].contains("from 2026-03-03"))
        #expect(decision.results.suffix(2).allSatisfy { $0.outcome == .notApplicable })
    }

    /// Every rule type, whatever its parameters, does not apply outside its effective dates.
    @Test(arguments: RuleType.allCases)
    func everyRuleTypeRespectsItsEffectiveDates(type: RuleType) {
        var rng = SplitMix64(seed: 42)
        let parameters = RandomScenario.parameters(for: type, &rng)
        let before = PolicyRule(type: type, parameters: parameters, citation: "x", effectiveOn: day("2026-03-03"))
        let after = PolicyRule(type: type, parameters: parameters, citation: "x", expiresOn: day("2026-03-01"))
        #expect(PolicyValidator.validate([before, after]).isEmpty)
        for rule in [before, after] {
            #expect(AuthorizationEngine.evaluate(rule, at: 0, in: Fixture.context).outcome == .notApplicable)
        }
    }

    /// The federal thresholds change on 2025-10-01: a $12,000 federal purchase needs quotes the day before
    /// (above the $10,000 micro-purchase threshold) and none on the day (within $15,000).
    @Test(arguments: [
        ("2025-09-30", RuleOutcome.needsEvidence, DecisionOutcome.pending), ("2025-10-01", .pass, .approved),
    ])
    func datedThresholdsSwitchOnTheirDate(date: String, expectedRule: RuleOutcome, expected: DecisionOutcome) {
        func overlay(_ micro: Int, _ simplified: Int, from: LocalDate?, until: LocalDate?) -> PolicyRule {
            PolicyRule(
                type: .federalFunds,
                parameters: [
                    "microPurchaseThresholdCents": .int(micro), "simplifiedAcquisitionThresholdCents": .int(simplified),
                    "quotesAboveMicroPurchase": 3,
                ],
                citation: "2 CFR 200.320; FAR 2.101",
                effectiveOn: from,
                expiresOn: until
            )
        }
        let policy = [
            overlay(1_000_000, 25_000_000, from: nil, until: day("2025-09-30")),
            overlay(1_500_000, 35_000_000, from: day("2025-10-01"), until: nil),
        ]
        let context = Fixture.context {
            $0.request.purchaseDate = day(date)
            $0.request.amountCents = 1_200_000
            $0.request.fundingLines = [
                .init(source: .federal, program: "ESSER", account: "F-1", amountCents: 1_200_000)
            ]
        }
        let decision = AuthorizationEngine.decide(context, policy: policy)
        let outcomes = decision.results.suffix(2).map(\.outcome)
        #expect(outcomes.contains(expectedRule))
        #expect(outcomes.filter { $0 == .notApplicable }.count == 1)
        #expect(decision.outcome == expected)
    }

    @Test func unknownRuleTypeFailsClosed() {
        let policy = [PolicyRule(type: "vibes-check", parameters: [:], citation: "none")]
        let decision = AuthorizationEngine.decide(Fixture.context, policy: policy)
        #expect(decision.outcome == .denied)
        let result = decision.results.last
        #expect(result?.rule == "vibes-check")
        #expect(result?.ruleIndex == 0)
        #expect(result?.message.contains("/rules/0/type: unknown rule type \"vibes-check\"") == true)
    }

    @Test func invalidParametersFailClosed() {
        let policy = [PolicyRule(type: .approvalThreshold, parameters: ["approver": "council"], citation: "x")]
        let decision = AuthorizationEngine.decide(Fixture.context, policy: policy)
        #expect(decision.outcome == .denied)
        #expect(decision.results.last?.message.contains("/rules/0/parameters/amountCents: is required") == true)
    }

    @Test func decisionsEncodeWithTheDocumentedNames() throws {
        let decision = AuthorizationEngine.decide(Fixture.context, policy: [Self.palmCoast])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(decision), as: UTF8.self)
        #expect(json.contains("\"outcome\":\"pending\""))
        #expect(json.contains("\"outcome\":\"needs-approval\""))
        #expect(json.contains("\"kind\":\"gate\""))
        #expect(try JSONDecoder().decode(Decision.self, from: encoder.encode(decision)) == decision)
    }

    @Test func decisionOutcomeCombination() {
        #expect(DecisionOutcome(combining: []) == .approved)
        #expect(DecisionOutcome(combining: [.pass, .warn, .notApplicable]) == .approved)
        #expect(DecisionOutcome(combining: [.pass, .needsEvidence]) == .pending)
        #expect(DecisionOutcome(combining: [.needsApproval, .fail, .pass]) == .denied)
    }
}
