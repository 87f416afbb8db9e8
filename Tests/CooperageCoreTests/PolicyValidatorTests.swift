import CooperageCore
import Foundation
import Testing

@Suite("policy validation")
struct PolicyValidatorTests {
    static let valid = PolicyRule(
        type: .approvalThreshold,
        parameters: ["amountCents": 3_000_000, "approver": "city-council"],
        citation: "Palm Coast, FL Code 2-26"
    )

    @Test func validPolicyHasNoIssues() {
        #expect(PolicyValidator.validate([Self.valid, Self.valid]).isEmpty)
        #expect(PolicyValidator.validate([]).isEmpty)
    }

    @Test func unknownTypeIsReportedAtItsIndex() {
        let issues = PolicyValidator.validate([Self.valid, PolicyRule(type: "aproval-threshold", citation: "x")])
        #expect(issues.map(\.pointer) == ["/rules/1/type"])
        #expect(issues[0].detail.contains("unknown rule type \"aproval-threshold\""))
    }

    @Test func emptyCitationIsRejected() {
        var rule = Self.valid
        rule.citation = "  "
        #expect(PolicyValidator.validate([rule]).map(\.pointer) == ["/rules/0/citation"])
    }

    @Test func expiryBeforeEffectiveDateIsRejected() {
        var rule = Self.valid
        rule.effectiveOn = day("2026-01-01")
        rule.expiresOn = day("2025-12-31")
        #expect(PolicyValidator.validate([rule]).map(\.pointer) == ["/rules/0/expiresOn"])
        rule.expiresOn = day("2026-01-01")
        #expect(PolicyValidator.validate([rule]).isEmpty)
    }

    @Test func everyProblemIsReportedInOnePass() {
        let rule = PolicyRule(
            type: .approvalThreshold,
            parameters: ["amountCents": -5, "basis": "weekly", "a/b~c": 1],
            citation: ""
        )
        let pointers = Set(PolicyValidator.validate([rule]).map(\.pointer))
        #expect(
            pointers == [
                "/rules/0/citation", "/rules/0/parameters/amountCents", "/rules/0/parameters/approver",
                "/rules/0/parameters/basis", "/rules/0/parameters/a~1b~0c",
            ]
        )
    }

    @Test func parametersMustBeAnObject() {
        let rule = PolicyRule(type: .documentation, parameters: "Contract", citation: "x")
        #expect(PolicyValidator.validate([rule]).first?.pointer == "/rules/0/parameters")
    }

    @Test func wholeNumbersWrittenWithAFractionAreAccepted() {
        let rule = PolicyRule(
            type: .approvalThreshold,
            parameters: ["amountCents": 3_000_000.0, "approver": "council"],
            citation: "x"
        )
        #expect(PolicyValidator.validate([rule]).isEmpty)
    }

    @Test func decodingKeepsUnknownTypesForTheValidator() throws {
        let json =
            #"[{"type": "mystery", "citation": "x"}, {"type": "documentation", "citation": "y", "parameters": {"requiredDocuments": ["A"]}, "effectiveOn": "2026-01-01"}]"#
        let rules = try JSONDecoder().decode([PolicyRule].self, from: Data(json.utf8))
        #expect(rules[0].parameters == .object([:]))
        #expect(rules[1].effectiveOn == day("2026-01-01"))
        #expect(PolicyValidator.validate(rules).map(\.pointer) == ["/rules/0/type"])
    }

    @Test func policyRulesRoundTrip() throws {
        var rule = Self.valid
        rule.effectiveOn = day("2025-10-01")
        let data = try JSONEncoder().encode([rule])
        #expect(try JSONDecoder().decode([PolicyRule].self, from: data) == [rule])
    }

    @Test func templateFieldsAreChecked() {
        let template = PolicyTemplate(
            id: "Bad Id",
            name: "",
            description: "",
            jurisdiction: "XX",
            entityTypes: [],
            sources: [.init(citation: "", url: "ftp://x")],
            rules: []
        )
        let pointers = Set(PolicyValidator.validate(template).map(\.pointer))
        #expect(
            pointers == [
                "/id", "/name", "/jurisdiction", "/entityTypes", "/sources/0/citation", "/sources/0/url", "/rules",
            ]
        )
    }

    @Test func everyRuleTypeIsImplemented() {
        // A rule type with no parameters reports its own required keys, never "unknown type".
        for type in RuleType.allCases {
            let issues = PolicyValidator.validate([PolicyRule(type: type, parameters: [:], citation: "x")])
            #expect(!issues.contains { $0.pointer.hasSuffix("/type") }, "\(type)")
        }
        #expect(RuleType.allCases.count == 14)
    }
}
