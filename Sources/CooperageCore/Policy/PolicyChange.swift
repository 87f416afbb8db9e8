/// A request for a new policy version: explicit rules, a template to start from, or both (the
/// template's rules first, then these).
///
/// ```swift
/// let change = try JSONDecoder().decode(PolicyChange.self, from: body)
/// guard change.issues.isEmpty else { ... }  // pointers such as /rules/2/parameters/amountCents
/// let rules = change.rules(startingFrom: template)
/// ```
public struct PolicyChange: Hashable, Sendable, JSONRequestBody {
    /// Rules written by the agency; pointers in ``issues`` index this list as sent.
    public var rules: [PolicyRule]?
    /// The id of a bundled ``PolicyTemplate`` whose rules are copied first.
    public var fromTemplate: String?
    /// The member names each rule was sent with, to refuse misspelt ones.
    private var ruleMemberNames: [[String]] = []

    /// The members a rule may carry: the keys ``PolicyRule`` decodes.
    public static let ruleFields: Set<String> = Set(PolicyRule.CodingKeys.allCases.map(\.rawValue))
    /// More rules than this in one version is a mistake, not a policy.
    public static let maximumRuleCount = 200

    public init(rules: [PolicyRule]? = nil, fromTemplate: String? = nil) {
        self.rules = rules
        self.fromTemplate = fromTemplate
    }

    /// The members a body may carry (``JSONRequestBody``).
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case rules, fromTemplate
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        fromTemplate = try container.decodeIfPresent(String.self, forKey: .fromTemplate)
        rules = try container.decodeIfPresent([PolicyRule].self, forKey: .rules)
        if rules != nil {
            let raw = try container.decode([JSONValue].self, forKey: .rules)
            ruleMemberNames = raw.map { $0.objectValue.map { Array($0.keys) } ?? [] }
        }
    }

    /// Every problem with the change itself (not whether the template exists), as JSON pointers into the body.
    public var issues: [FieldIssue] {
        var issues: [FieldIssue] = []
        if rules == nil && fromTemplate == nil {
            issues.append(
                FieldIssue(pointer: "/rules", detail: "is required unless fromTemplate names a template to start from")
            )
        }
        if let fromTemplate, fromTemplate.isEmpty {
            issues.append(FieldIssue(pointer: "/fromTemplate", detail: "must name a policy template"))
        }
        guard let rules else { return issues }
        if rules.count > Self.maximumRuleCount {
            issues.append(FieldIssue(pointer: "/rules", detail: "must have at most \(Self.maximumRuleCount) rules"))
        }
        for (index, names) in ruleMemberNames.enumerated() {
            for name in names.sorted() where !Self.ruleFields.contains(name) {
                issues.append(
                    FieldIssue(pointer: "/rules/\(index)/\(JSONPointer.escape(name))", detail: "is not a field of a rule")
                )
            }
        }
        return issues + PolicyValidator.validate(rules).map(FieldIssue.init)
    }

    /// The rules of the new version: the template's, then the ones sent.
    public func rules(startingFrom template: PolicyTemplate?) -> [PolicyRule] {
        (template?.rules ?? []) + (rules ?? [])
    }
}

extension FieldIssue {
    /// The same problem, as the API reports field problems.
    public init(_ issue: PolicyIssue) {
        self.init(pointer: issue.pointer, detail: issue.detail)
    }
}
