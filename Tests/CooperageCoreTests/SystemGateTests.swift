import CooperageCore
import Testing

@Suite("system gates")
struct SystemGateTests {
    struct GateCase: Sendable, CustomTestStringConvertible {
        let name: String
        let gate: SystemGate
        let expected: RuleOutcome
        let mentions: [String]
        let adjust: @Sendable (inout AuthorizationContext) -> Void

        init(
            _ name: String,
            _ gate: SystemGate,
            _ expected: RuleOutcome,
            mentions: [String] = [],
            adjust: @escaping @Sendable (inout AuthorizationContext) -> Void
        ) {
            self.name = name
            self.gate = gate
            self.expected = expected
            self.mentions = mentions
            self.adjust = adjust
        }

        var testDescription: String { "\(gate.rawValue): \(name)" }
    }

    @Test(arguments: SystemGate.allCases)
    func passesForTheBaseContext(_ gate: SystemGate) {
        let result = gate.evaluate(Fixture.context)
        #expect(result.outcome == .pass, "\(result.message)")
        #expect(result.kind == .gate)
        #expect(result.rule == gate.rawValue)
        #expect(result.ruleIndex == nil)
        #expect(result.citation?.isEmpty == false)
    }

    @Test func participationMessageNamesTheInstrument() {
        let result = SystemGate.participationInForce.evaluate(Fixture.context)
        #expect(result.message == "An interlocal-agreement is in force on 2026-03-02 (effective 2023-08-01).")
    }

    static let cases: [GateCase] = [
        GateCase("tenant suspended", .tenantActive, .fail, mentions: ["not active"]) { $0.tenant.active = false },
        GateCase("no instrument at all", .participationInForce, .fail, mentions: ["No participation instrument"]) {
            $0.participationInstruments = []
        },
        GateCase("instrument expired", .participationInForce, .fail) {
            $0.participationInstruments[0].expiresOn = day("2026-03-01")
        },
        GateCase("instrument expires on the purchase date", .participationInForce, .pass) {
            $0.participationInstruments[0].expiresOn = day("2026-03-02")
        },
        GateCase("instrument for another agreement", .participationInForce, .fail) {
            $0.participationInstruments[0].agreementId = id("agr-2")
        },
        GateCase("instrument for another state", .participationInForce, .fail) {
            $0.participationInstruments[0].state = USState("OK")
        },
        GateCase("two instruments", .participationInForce, .pass, mentions: ["2 participation instruments"]) {
            $0.participationInstruments.append(
                .init(kind: .registration, effectiveOn: day("2020-01-01"), expiresOn: day("2030-01-01"))
            )
        },
        GateCase("agreement suspended", .agreementInTerm, .fail, mentions: ["suspended"]) {
            $0.agreement.status = .suspended
        },
        GateCase("agreement terminated", .agreementInTerm, .fail) { $0.agreement.status = .terminated },
        GateCase("agreement marked expired", .agreementInTerm, .fail) { $0.agreement.status = .expired },
        GateCase("purchase before the term", .agreementInTerm, .fail, mentions: ["outside"]) {
            $0.agreement.effectiveOn = day("2026-04-01")
        },
        GateCase("purchase after the term", .agreementInTerm, .fail, mentions: ["2026-03-01"]) {
            $0.agreement.expiresOn = day("2026-03-01")
        },
        GateCase("purchase on the last day", .agreementInTerm, .pass) { $0.agreement.expiresOn = day("2026-03-02") },
        GateCase("entity type eligible", .entityTypeEligible, .pass) {
            $0.agreement.eligibleEntityTypes = [.k12, .city]
        },
        GateCase("entity type not eligible", .entityTypeEligible, .fail, mentions: ["city and county only"]) {
            $0.agreement.eligibleEntityTypes = [.city, .county]
        },
        GateCase("state eligible", .stateEligible, .pass) { $0.agreement.eligibleStates = [USState("TX")!] },
        GateCase("state not eligible", .stateEligible, .fail, mentions: ["KS only", "in TX"]) {
            $0.agreement.eligibleStates = [USState("KS")!]
        },
        GateCase("supplier suspended", .supplierEligible, .fail, mentions: ["suspended"]) {
            $0.agreement.supplier.status = .suspended
        },
        GateCase("supplier debarred", .supplierEligible, .fail, mentions: ["debarred since 2026-01-05"]) {
            $0.agreement.supplier.status = .debarred
            $0.agreement.supplier.statusEffectiveOn = day("2026-01-05")
        },
        GateCase("supplier debarred after the purchase", .supplierEligible, .warn, mentions: ["from 2026-04-01"]) {
            $0.agreement.supplier.status = .debarred
            $0.agreement.supplier.statusEffectiveOn = day("2026-04-01")
        },
        GateCase("ceiling exceeded", .ceilingAvailable, .fail, mentions: ["$10,045,000.00", "$10,000,000.00 ceiling"]) {
            $0.committedOnAgreementCents = 1_000_000_000
        },
        GateCase("ceiling reached exactly", .ceilingAvailable, .pass, mentions: ["$0.00 would remain"]) {
            $0.committedOnAgreementCents = 1_000_000_000 - 4_500_000
        },
        GateCase("no ceiling", .ceilingAvailable, .notApplicable) { $0.agreement.ceilingCents = nil },
    ]

    @Test(arguments: cases)
    func evaluates(_ testCase: GateCase) {
        let result = testCase.gate.evaluate(Fixture.context(testCase.adjust))
        #expect(result.outcome == testCase.expected, "\(result.message)")
        for text in testCase.mentions {
            #expect(result.message.contains(text), "\"\(result.message)\" should mention \(text)")
        }
    }

    @Test func agreementGatesCiteTheMasterAgreement() {
        for gate in [SystemGate.agreementInTerm, .entityTypeEligible, .stateEligible, .ceilingAvailable] {
            #expect(gate.evaluate(Fixture.context).citation?.contains("Master Agreement R191902") == true)
        }
    }
}
