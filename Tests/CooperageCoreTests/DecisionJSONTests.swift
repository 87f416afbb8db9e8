import CooperageCore
import Foundation
import Testing

/// A decision's results, its canonical form and its stored inputs are written by hand: they must be what
/// `JSONEncoder` writes (results, canonical decision) or decode back to the same context (inputs).
@Suite struct DecisionJSONTests {
    static func sortedEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    @Test func decisionsAndTheirResultsMatchTheEncoderByteForByte() throws {
        var rng = SplitMix64(seed: 11)
        for round in 0..<200 {
            let context = RandomScenario.context(&rng)
            let decision = AuthorizationEngine.decide(context, policy: RandomScenario.policy(&rng))
            var results = decision.results
            if round % 3 == 0 {
                // Awkward text where the engine's own messages have none.
                results.append(
                    RuleResult(kind: .rule, rule: "documentation", ruleIndex: 7, outcome: .warn, message: "Quote \"A\"\n\\ / ✓")
                )
            }
            let written = RuleResult.jsonText(results)
            #expect(written == Array(try Self.sortedEncoder().encode(results)), "round \(round)")
            var changed = decision
            changed.results = results
            #expect(
                changed.canonicalJSON(results: written) == Array(try Self.sortedEncoder().encode(changed)),
                "round \(round)"
            )
        }
    }

    @Test func storedInputsDecodeBackToTheContext() throws {
        var rng = SplitMix64(seed: 12)
        for round in 0..<200 {
            var context = RandomScenario.context(&rng)
            if round % 4 == 0 { context.accountSpentCents = ["001-1910-521 \"ops\"": 1_250, "002": 7] }
            let stored = try context.storedJSON(encoder: JSONEncoder())
            #expect(try JSONDecoder().decode(AuthorizationContext.self, from: Data(stored)) == context, "round \(round)")
        }
    }
}
