/// An approval recorded on a pending authorization (`POST /v1/authorizations/{id}/approvals`): the rule it
/// satisfies, the governing body's resolution, and any evidence supplied with it.
public struct NewApproval: Codable, Hashable, Sendable, JSONRequestBody {
    public var ruleType: String?
    public var ruleIndex: Int?
    public var resolutionNumber: String?
    public var resolutionDate: LocalDate?
    public var evidence: EvidenceInput?
    public var note: String?

    /// The members a body may carry (``JSONRequestBody``).
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case ruleType, ruleIndex, resolutionNumber, resolutionDate, evidence, note
    }

    /// A policy has far fewer rules; the bound keeps the index inside PostgreSQL's `integer`.
    public static let maximumRuleIndex = 9_999

    public var issues: [FieldIssue] {
        var issues: [FieldIssue] = []
        if let ruleType, RuleType(rawValue: ruleType) == nil {
            issues.append(FieldIssue(pointer: "/ruleType", detail: "is not a rule type of the catalogue"))
        }
        if let ruleIndex, !(0...Self.maximumRuleIndex).contains(ruleIndex) {
            issues.append(FieldIssue(pointer: "/ruleIndex", detail: "must be from 0 to \(Self.maximumRuleIndex)"))
        }
        if ruleType == nil && ruleIndex == nil && evidence == nil {
            issues.append(FieldIssue(pointer: "", detail: "name the rule approved (ruleType or ruleIndex) or supply evidence"))
        }
        if resolutionNumber != nil && resolutionDate == nil {
            issues.append(FieldIssue(pointer: "/resolutionDate", detail: "is required with a resolution number"))
        }
        issues += evidence?.issues(at: "/evidence") ?? []
        return issues
    }
}
