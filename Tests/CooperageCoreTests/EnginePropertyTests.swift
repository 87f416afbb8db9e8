import CooperageCore
import Foundation
import Testing

/// Properties of the combination that must hold for any context and any valid policy.
@Suite("engine properties")
struct EnginePropertyTests {
    static let iterations = 400

    static func scenarios(seed: UInt64) -> [(AuthorizationContext, [PolicyRule], PolicyRule)] {
        var rng = SplitMix64(seed: seed)
        return (0..<iterations).map { _ in
            (RandomScenario.context(&rng), RandomScenario.policy(&rng), RandomScenario.rule(&rng))
        }
    }

    @Test(arguments: [0x5EED_0001, 0xC0FF_EE42, 0x2026_0302] as [UInt64])
    func combinationRules(seed: UInt64) {
        var seen: Set<DecisionOutcome> = []
        for (context, policy, extra) in Self.scenarios(seed: seed) {
            #expect(PolicyValidator.validate(policy + [extra]).isEmpty, "generated policies are valid")
            let decision = AuthorizationEngine.decide(context, policy: policy)
            seen.insert(decision.outcome)
            let outcomes = decision.results.map(\.outcome)

            // Any fail denies; otherwise any missing approval or evidence leaves it pending.
            if outcomes.contains(.fail) {
                #expect(decision.outcome == .denied)
            } else if outcomes.contains(.needsApproval) || outcomes.contains(.needsEvidence) {
                #expect(decision.outcome == .pending)
            } else {
                #expect(decision.outcome == .approved)
            }

            // Gates first in their fixed order, then one result per rule in policy order.
            let gateCount = SystemGate.allCases.count
            #expect(decision.results.count == gateCount + policy.count)
            #expect(decision.results.prefix(gateCount).map(\.rule) == SystemGate.allCases.map(\.rawValue))
            #expect(decision.results.prefix(gateCount).allSatisfy { $0.kind == .gate && $0.ruleIndex == nil })
            for (index, result) in decision.results.dropFirst(gateCount).enumerated() {
                #expect(result.kind == .rule && result.ruleIndex == index && result.rule == policy[index].type)
                #expect(!result.message.isEmpty)
            }

            // Approved decisions authorize the request amount inside the agreement's term.
            if decision.outcome == .approved {
                #expect(decision.authorizedAmountCents == context.request.amountCents)
                #expect(decision.validFrom == context.request.purchaseDate)
                if let validFrom = decision.validFrom, let validUntil = decision.validUntil {
                    #expect(validUntil <= context.agreement.expiresOn)
                    #expect(validUntil >= validFrom)
                } else {
                    Issue.record("an approved decision must carry its validity window")
                }
            } else {
                #expect(decision.authorizedAmountCents == 0)
                #expect(decision.validFrom == nil && decision.validUntil == nil)
            }

            // Adding a rule never loosens the decision, and leaves earlier results untouched.
            let extended = AuthorizationEngine.decide(context, policy: policy + [extra])
            #expect(Array(extended.results.dropLast()) == decision.results)
            switch decision.outcome {
            case .denied: #expect(extended.outcome == .denied)
            case .pending: #expect(extended.outcome != .approved)
            case .approved: break
            }

            // Deterministic.
            #expect(AuthorizationEngine.decide(context, policy: policy) == decision)
        }
        // The generator must exercise every outcome, or the properties above prove little.
        #expect(seen == Set(DecisionOutcome.allCases), "outcomes seen: \(seen)")
    }

    @Test func everyRuleOutcomeOccurs() {
        var rng = SplitMix64(seed: 7)
        var seen: [RuleType: Set<RuleOutcome>] = [:]
        for _ in 0..<Self.iterations * 5 {
            let context = RandomScenario.context(&rng)
            var rule = RandomScenario.rule(&rng)
            rule.effectiveOn = nil
            rule.expiresOn = nil
            let result = AuthorizationEngine.evaluate(rule, at: 0, in: context)
            seen[RuleType(rawValue: rule.type)!, default: []].insert(result.outcome)
        }
        #expect(Set(seen.keys) == Set(RuleType.allCases))
        let allOutcomes = seen.values.reduce(into: Set<RuleOutcome>()) { $0.formUnion($1) }
        #expect(allOutcomes == Set(RuleOutcome.allCases))
    }

    /// The facts statement leaves the prior orders and the accounts' spending out unless the policy has a rule
    /// that reads them (sql/0017): every other rule must decide the same without them.
    @Test func onlyTheDeclaredRulesReadTheAgencysHistory() {
        var rng = SplitMix64(seed: 0x0017_0017)
        var compared: [RuleType: Int] = [:]
        for _ in 0..<Self.iterations * 5 {
            let context = RandomScenario.context(&rng)
            let rule = RandomScenario.rule(&rng)
            let type = RuleType(rawValue: rule.type)!
            let result = AuthorizationEngine.evaluate(rule, at: 0, in: context)
            if !RuleType.readingRecentOrders.contains(type) {
                var withoutOrders = context
                withoutOrders.recentOrders = []
                #expect(AuthorizationEngine.evaluate(rule, at: 0, in: withoutOrders) == result, "\(type)")
            }
            if !RuleType.readingAccountSpending.contains(type) {
                var withoutAccounts = context
                withoutAccounts.accountSpentCents = [:]
                #expect(AuthorizationEngine.evaluate(rule, at: 0, in: withoutAccounts) == result, "\(type)")
            }
            if !context.recentOrders.isEmpty || !context.accountSpentCents.isEmpty { compared[type, default: 0] += 1 }
        }
        // Every type was compared on contexts that had a history to leave out.
        #expect(Set(compared.keys) == Set(RuleType.allCases))
    }

    @Test func contextsAndDecisionsRoundTripThroughJSON() throws {
        for (context, policy, _) in Self.scenarios(seed: 99).prefix(50) {
            let decodedContext = try JSONDecoder().decode(
                AuthorizationContext.self,
                from: JSONEncoder().encode(context)
            )
            #expect(decodedContext == context)
            let decodedPolicy = try JSONDecoder().decode([PolicyRule].self, from: JSONEncoder().encode(policy))
            #expect(decodedPolicy == policy)
            let decision = AuthorizationEngine.decide(context, policy: policy)
            #expect(try JSONDecoder().decode(Decision.self, from: JSONEncoder().encode(decision)) == decision)
        }
    }
}
