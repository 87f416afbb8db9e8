import CooperageCore
import CooperageStore
import Foundation

/// How the agency pages show authorizations and their decisions: outcomes in words (never by colour alone), each
/// rule's result with its citation, and what to do next, read from the results themselves.
enum DecisionView {
    static func id(_ id: UUID) -> String { id.uuidString.lowercased() }

    static func words(_ outcome: DecisionOutcome) -> String {
        switch outcome {
        case .approved: "Approved"
        case .denied: "Denied"
        case .pending: "Pending: an approval or evidence is still needed"
        }
    }

    static func words(_ outcome: RuleOutcome) -> String {
        switch outcome {
        case .pass: "Passes"
        case .fail: "Fails"
        case .needsApproval: "Needs approval"
        case .needsEvidence: "Needs evidence"
        case .notApplicable: "Does not apply"
        case .warn: "Warning"
        }
    }

    /// The stylesheet's class of an outcome (the words carry the meaning; the class only adds colour).
    static func style(_ outcome: RuleOutcome) -> String {
        switch outcome {
        case .pass: "pass"
        case .fail: "fail"
        case .needsApproval: "pending"
        case .needsEvidence: "needs-evidence"
        case .notApplicable, .warn: ""
        }
    }

    static func style(_ outcome: DecisionOutcome) -> String {
        switch outcome {
        case .approved: "pass"
        case .denied: "fail"
        case .pending: "pending"
        }
    }

    /// A gate or rule as people read it: `approval-threshold` becomes "Approval threshold (rule 2)".
    static func ruleName(_ result: RuleResult) -> String {
        let name = result.rule.replacingOccurrences(of: "-", with: " ")
        let title = name.prefix(1).uppercased() + name.dropFirst()
        switch result.kind {
        case .gate: return "\(title) (system check)"
        case .rule: return result.ruleIndex.map { "\(title) (policy rule \($0 + 1))" } ?? title
        }
    }

    static func results(_ results: [RuleResult]) -> [[String: any Sendable]] {
        results.map { result in
            [
                "name": ruleName(result), "outcome": words(result.outcome), "style": style(result.outcome),
                "message": result.message, "citation": result.citation ?? "",
            ] as [String: any Sendable]
        }
    }

    /// What the agency does next, in plain steps: each missing approval or evidence, or each failed check.
    static func nextSteps(_ record: AuthorizationRecord) -> [String] {
        let results = record.decision.results
        switch record.outcome {
        case .approved:
            let until = record.validUntil.map { " until \($0.description)" } ?? ""
            return [
                "Place purchase orders under this authorization\(until), for up to \(MoneyFormatter.dollars(cents: record.authorizedAmountCents)) in all, and register each one with this authorization's id, \(id(record.id)): in the form below, a CSV upload or through the API."
            ]
        case .denied:
            return results.filter { $0.outcome == .fail }.map { "Cannot go ahead: \($0.message)" }
        case .pending:
            return results.compactMap { result in
                switch result.outcome {
                case .needsApproval: "Record an approval: \(result.message)"
                case .needsEvidence: "Supply evidence: \(result.message)"
                default: nil
                }
            }
        }
    }

    /// Text for a template section that shows only when there is text: a missing value is `false`, which the
    /// templates' `{{#name}}` skips (an optional would be shown as "nil").
    static func shown(_ text: String?) -> any Sendable {
        guard let text, !text.isEmpty else { return false }
        return text
    }

    static func dollars(_ cents: Int) -> String { MoneyFormatter.dollars(cents: cents) }

    static func timestamp(_ date: Date) -> String {
        date.ISO8601Format()
    }

    /// A row of an authorizations table.
    static func row(_ record: AuthorizationRecord, agreementNumber: String?) -> [String: any Sendable] {
        [
            "id": id(record.id), "agreement": agreementNumber ?? String(id(record.agreementId).prefix(8)),
            "amount": dollars(record.amountCents), "purchaseDate": record.purchaseDate.description,
            "purpose": record.purpose, "outcome": words(record.outcome), "style": style(record.outcome),
            "requested": timestamp(record.createdAt),
        ]
    }
}
