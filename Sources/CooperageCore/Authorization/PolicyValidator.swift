/// Checks a policy before it is saved, reporting every problem with a JSON pointer.
///
/// ```swift
/// let issues = PolicyValidator.validate(policy.rules)
/// // [PolicyIssue(pointer: "/rules/2/parameters/amountCents", detail: "is required (a whole number of cents)")]
/// ```
public enum PolicyValidator {
    /// Validates an ordered list of rules; pointers start at `/rules/N`.
    public static func validate(_ rules: [PolicyRule]) -> [PolicyIssue] {
        rules.enumerated().flatMap { index, rule in validate(rule, pointer: "/rules/\(index)") }
    }

    /// Validates a policy template: its own fields, then its rules.
    public static func validate(_ template: PolicyTemplate) -> [PolicyIssue] {
        var issues: [PolicyIssue] = []
        let slug = template.id.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
        }
        if template.id.isEmpty || !slug {
            issues.append(PolicyIssue(pointer: "/id", detail: "must be lowercase letters, digits and hyphens"))
        }
        if isBlank(template.name) { issues.append(PolicyIssue(pointer: "/name", detail: "must not be empty")) }
        if template.jurisdiction != "US", USState(template.jurisdiction) == nil {
            issues.append(PolicyIssue(pointer: "/jurisdiction", detail: "must be a two-letter state code or \"US\""))
        }
        if template.entityTypes.isEmpty {
            issues.append(PolicyIssue(pointer: "/entityTypes", detail: "must list at least one entity type"))
        }
        if template.sources.isEmpty {
            issues.append(PolicyIssue(pointer: "/sources", detail: "must list at least one source"))
        }
        for (index, source) in template.sources.enumerated() {
            if isBlank(source.citation) {
                issues.append(PolicyIssue(pointer: "/sources/\(index)/citation", detail: "must not be empty"))
            }
            if !(source.url.hasPrefix("https://") || source.url.hasPrefix("http://")) {
                issues.append(PolicyIssue(pointer: "/sources/\(index)/url", detail: "must be an http(s) URL"))
            }
        }
        if template.rules.isEmpty {
            issues.append(PolicyIssue(pointer: "/rules", detail: "must contain at least one rule"))
        }
        return issues + validate(template.rules)
    }

    static func validate(_ rule: PolicyRule, pointer: String) -> [PolicyIssue] {
        var issues: [PolicyIssue] = []
        if isBlank(rule.citation) {
            issues.append(
                PolicyIssue(
                    pointer: pointer + "/citation",
                    detail: "must name the statute, ordinance or board policy"
                )
            )
        }
        if let effectiveOn = rule.effectiveOn, let expiresOn = rule.expiresOn, expiresOn < effectiveOn {
            issues.append(
                PolicyIssue(pointer: pointer + "/expiresOn", detail: "is before effectiveOn (\(effectiveOn))")
            )
        }
        return issues + parse(rule, pointer: pointer).issues
    }

    /// Parses a rule's type and parameters into its typed form.
    static func parse(_ rule: PolicyRule, pointer: String) -> (rule: (any AuthorizationRule)?, issues: [PolicyIssue]) {
        guard let type = RuleType(rawValue: rule.type) else {
            let known = RuleType.allCases.map(\.rawValue).joined(separator: ", ")
            return (
                nil,
                [
                    PolicyIssue(
                        pointer: pointer + "/type",
                        detail: "unknown rule type \"\(rule.type)\"; known types: \(known)"
                    )
                ]
            )
        }
        var reader = ParameterReader(rule.parameters, pointer: pointer + "/parameters")
        let parsed = type.model.init(parameters: &reader)
        reader.rejectUnknownKeys()
        if parsed == nil, reader.issues.isEmpty {
            // Every failure path records an issue; this keeps the guarantee if one is ever missed.
            reader.report("could not be read")
        }
        return reader.issues.isEmpty ? (parsed, []) : (nil, reader.issues)
    }

    private static func isBlank(_ text: String) -> Bool { text.allSatisfy(\.isWhitespace) }
}
