import CooperageCore
import Foundation
import Testing

@Suite("policy templates")
struct PolicyTemplateTests {
    static let expectedIDs: Set<String> = [
        "tx-school-district", "ny-municipality", "wa-local-government", "or-local-government", "ca-school-district",
        "fl-state-agency", "federal-funds-overlay",
    ]

    /// `config/policy-templates` of the repository this file lives in (symlinks resolved, so a scratch
    /// package that links the test folder still finds the real repository).
    static var templateDirectory: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent()  // CooperageCoreTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // repository root
            .appendingPathComponent("config/policy-templates")
    }

    static func loadTemplates() throws -> [(file: String, template: PolicyTemplate)] {
        let files = try FileManager.default.contentsOfDirectory(atPath: templateDirectory.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        return try files.map { file in
            let data = try Data(contentsOf: templateDirectory.appendingPathComponent(file))
            return (file, try JSONDecoder().decode(PolicyTemplate.self, from: data))
        }
    }

    @Test func everyTemplateDecodesAndValidates() throws {
        let templates = try Self.loadTemplates()
        #expect(Set(templates.map(\.template.id)) == Self.expectedIDs)
        for (file, template) in templates {
            #expect(file == template.id + ".json")
            let issues = PolicyValidator.validate(template)
            #expect(issues.isEmpty, "\(file): \(issues)")
            #expect(template.rules.allSatisfy { RuleType(rawValue: $0.type) != nil })
        }
    }

    @Test func stateTemplatesOnlyBindTheirOwnState() throws {
        for (file, template) in try Self.loadTemplates() where template.jurisdiction != "US" {
            for rule in template.rules where rule.type == RuleType.statutoryAuthority.rawValue {
                #expect(rule.parameters["state"] == .string(template.jurisdiction), "\(file)")
            }
        }
    }

    /// Exactly one federal-funds rule is in effect on any date, and the figures change on 2025-10-01
    /// (FAR 2.101 as amended by FAC 2025-06).
    @Test(arguments: [
        ("2024-06-30", 1_000_000, 25_000_000), ("2025-09-30", 1_000_000, 25_000_000),
        ("2025-10-01", 1_500_000, 35_000_000), ("2030-01-01", 1_500_000, 35_000_000),
    ])
    func federalThresholdsAreDated(date: String, micro: Int, simplified: Int) throws {
        let overlay = try #require(try Self.loadTemplates().first { $0.template.id == "federal-funds-overlay" })
            .template
        let inEffect = overlay.rules.filter {
            $0.type == RuleType.federalFunds.rawValue && $0.isInEffect(on: day(date))
        }
        #expect(inEffect.count == 1)
        #expect(inEffect.first?.parameters["microPurchaseThresholdCents"]?.intValue == micro)
        #expect(inEffect.first?.parameters["simplifiedAcquisitionThresholdCents"]?.intValue == simplified)
    }

    /// Every template evaluates against a plausible request for its own kind of agency without a rule
    /// failing for being unreadable.
    @Test func templatesEvaluate() throws {
        for (file, template) in try Self.loadTemplates() {
            let state = USState(template.jurisdiction) ?? USState("TX")!
            let context = Fixture.context {
                $0.tenant.state = state
                $0.tenant.entityType = template.entityTypes[0]
                $0.agreement.leadAgency.state = state
                $0.request.fundingLines = [
                    .init(source: .federal, program: "ESSER", account: "F-1", amountCents: 4_500_000)
                ]
            }
            let decision = AuthorizationEngine.decide(context, policy: template.rules)
            #expect(decision.results.count == SystemGate.allCases.count + template.rules.count, "\(file)")
            for result in decision.results where result.kind == .rule {
                #expect(!result.message.contains("cannot be evaluated"), "\(file): \(result.message)")
                #expect(result.citation?.isEmpty == false, "\(file)")
            }
        }
    }
}
