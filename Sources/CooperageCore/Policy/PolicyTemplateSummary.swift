/// A policy template as listed: what it is for, without its rules.
///
/// ```swift
/// let summary = PolicyTemplateSummary(template)  // summary.ruleCount == template.rules.count
/// ```
public struct PolicyTemplateSummary: Codable, Hashable, Sendable {
    public var id: String
    public var name: String
    public var description: String
    public var jurisdiction: String
    public var entityTypes: [EntityType]
    public var ruleCount: Int

    public init(_ template: PolicyTemplate) {
        self.id = template.id
        self.name = template.name
        self.description = template.description
        self.jurisdiction = template.jurisdiction
        self.entityTypes = template.entityTypes
        self.ruleCount = template.rules.count
    }
}
