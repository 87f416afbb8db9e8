/// A starting policy an agency copies: effective-dated rules with citations, for one kind of agency.
///
/// Templates ship as JSON under `config/policy-templates/<id>.json`.
/// ```swift
/// let template = try JSONDecoder().decode(PolicyTemplate.self, from: data)
/// precondition(PolicyValidator.validate(template).isEmpty)
/// ```
public struct PolicyTemplate: Codable, Hashable, Sendable {
    /// A published source a template relies on.
    public struct Source: Codable, Hashable, Sendable {
        /// The statute, regulation or policy section.
        public var citation: String
        public var url: String

        public init(citation: String, url: String) {
            self.citation = citation
            self.url = url
        }
    }

    /// Slug, same as the file name (`tx-school-district`).
    public var id: String
    /// Display name ("Texas school district").
    public var name: String
    /// What the template covers and what an agency must adjust before use.
    public var description: String
    /// Two-letter state code, or `US` for federal overlays.
    public var jurisdiction: String
    /// Entity types the template is written for.
    public var entityTypes: [EntityType]
    /// The published sources the rules rely on.
    public var sources: [Source]
    /// The policy an agency starts from, in evaluation order.
    public var rules: [PolicyRule]

    public init(
        id: String,
        name: String,
        description: String,
        jurisdiction: String,
        entityTypes: [EntityType],
        sources: [Source],
        rules: [PolicyRule]
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.jurisdiction = jurisdiction
        self.entityTypes = entityTypes
        self.sources = sources
        self.rules = rules
    }
}
