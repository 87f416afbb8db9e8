import CooperageCore
import Foundation
import Testing

/// Parses a `yyyy-MM-dd` literal; test data only.
func day(_ text: String) -> LocalDate {
    guard let date = LocalDate(iso8601: text) else { fatalError("bad test date \(text)") }
    return date
}

/// A fixed id spelled by a short name (`id("sup-1")`), so tests read like the data they describe.
func id(_ name: String) -> UUID {
    var bytes = Array(name.utf8.prefix(16))
    bytes += Array(repeating: 0, count: 16 - bytes.count)
    return UUID(
        uuid: (
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10],
            bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
        )
    )
}

/// A valid SHA-256 digest for test documents.
let validDigest = String(repeating: "ab", count: 32)

/// Builders for a context that passes every system gate, so each test changes only what it is about.
enum Fixture {
    static let purchaseDate = day("2026-03-02")

    static var tenant: AuthorizationContext.Tenant {
        AuthorizationContext.Tenant(
            id: id("tenant-1"),
            entityType: .k12,
            state: USState("TX")!,
            active: true,
            fiscalYearStartMonth: 9
        )
    }

    static var agreement: AuthorizationContext.Agreement {
        AuthorizationContext.Agreement(
            id: id("agr-1"),
            number: "R191902",
            status: .active,
            effectiveOn: day("2024-01-01"),
            expiresOn: day("2027-12-31"),
            categories: ["43210000"],
            ceilingCents: 1_000_000_000,
            complianceLetterOnFile: true,
            telecomAttestation200216: true,
            leadAgency: AuthorizationContext.LeadAgency(
                name: "Harris County",
                state: USState("TX"),
                entityType: .county
            ),
            solicitation: AuthorizationContext.Solicitation(
                number: "RFP 19-0001",
                method: .rfp,
                advertised: true,
                advertisedWhere: "Houston Chronicle",
                advertisedOn: day("2019-01-07"),
                cooperativeLanguageInSolicitation: true,
                cooperativeLanguageInContract: true,
                awardBasis: .bestValue
            ),
            supplier: AuthorizationContext.Supplier(id: id("sup-1"), name: "Acme Computers", status: .active)
        )
    }

    static var interlocal: AuthorizationContext.ParticipationInstrument {
        AuthorizationContext.ParticipationInstrument(
            kind: .interlocalAgreement,
            effectiveOn: day("2023-08-01"),
            resolutionNumber: "2023-41",
            resolutionDate: day("2023-07-20")
        )
    }

    /// $45,000.00 of notebook computers on local funds, nothing else on file.
    static var context: AuthorizationContext {
        AuthorizationContext(
            request: AuthorizationContext.Request(
                amountCents: 4_500_000,
                purchaseDate: purchaseDate,
                category: "43211503",
                fundingLines: [
                    AuthorizationContext.FundingLine(source: .local, account: "199-11-6399", amountCents: 4_500_000)
                ],
                purpose: "Notebook computers for grade 6"
            ),
            tenant: tenant,
            agreement: agreement,
            participationInstruments: [interlocal]
        )
    }

    /// The base context after `adjust`.
    static func context(_ adjust: (inout AuthorizationContext) -> Void) -> AuthorizationContext {
        var context = Fixture.context
        adjust(&context)
        return context
    }
}

/// One row of a rule-type table: parameters, a change to the base context, and what must come out.
struct RuleCase: Sendable, CustomTestStringConvertible {
    let name: String
    let parameters: JSONValue
    let expected: RuleOutcome
    /// Text the message must contain (figures, names).
    let mentions: [String]
    let adjust: @Sendable (inout AuthorizationContext) -> Void

    init(
        _ name: String,
        _ parameters: JSONValue,
        _ expected: RuleOutcome,
        mentions: [String] = [],
        adjust: @escaping @Sendable (inout AuthorizationContext) -> Void = { _ in }
    ) {
        self.name = name
        self.parameters = parameters
        self.expected = expected
        self.mentions = mentions
        self.adjust = adjust
    }

    var testDescription: String { name }

    /// Evaluates the case as rule 0 of a one-rule policy and checks outcome and message.
    func check(_ type: RuleType, sourceLocation: SourceLocation = #_sourceLocation) {
        let context = Fixture.context(adjust)
        let rule = PolicyRule(type: type, parameters: parameters, citation: "Test citation")
        #expect(
            PolicyValidator.validate([rule]).isEmpty,
            "parameters should be valid",
            sourceLocation: sourceLocation
        )
        let result = AuthorizationEngine.evaluate(rule, at: 0, in: context)
        #expect(result.outcome == expected, "\(result.message)", sourceLocation: sourceLocation)
        #expect(result.kind == .rule, sourceLocation: sourceLocation)
        #expect(result.rule == type.rawValue, sourceLocation: sourceLocation)
        #expect(result.citation == "Test citation", sourceLocation: sourceLocation)
        for text in mentions {
            #expect(
                result.message.contains(text),
                "\"\(result.message)\" should mention \(text)",
                sourceLocation: sourceLocation
            )
        }
    }
}

/// One row of a validation table: bad parameters and the pointer the issue must carry.
struct InvalidParameterCase: Sendable, CustomTestStringConvertible {
    let name: String
    let parameters: JSONValue
    let pointer: String

    init(_ name: String, _ parameters: JSONValue, pointer: String) {
        self.name = name
        self.parameters = parameters
        self.pointer = pointer
    }

    var testDescription: String { name }

    func check(_ type: RuleType, sourceLocation: SourceLocation = #_sourceLocation) {
        let issues = PolicyValidator.validate([PolicyRule(type: type, parameters: parameters, citation: "Test")])
        #expect(
            issues.contains { $0.pointer == pointer },
            "expected an issue at \(pointer), got \(issues)",
            sourceLocation: sourceLocation
        )
        // A rule the validator rejects must also fail when evaluated: a broken policy never approves.
        let result = AuthorizationEngine.evaluate(
            PolicyRule(type: type, parameters: parameters, citation: "Test"),
            at: 0,
            in: Fixture.context
        )
        #expect(result.outcome == .fail, sourceLocation: sourceLocation)
    }
}
