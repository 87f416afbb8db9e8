public import Foundation

/// One immutable version of a tenant's local policy. Every change makes a new version; none is ever edited.
///
/// Version 0 is the policy a tenant has before its first change: no rules, no author.
/// ```swift
/// let none = PolicyVersion.initial  // version 0, rules []
/// ```
public struct PolicyVersion: Codable, Hashable, Sendable {
    /// 1, 2, 3, ... per tenant; 0 only for ``initial``.
    public var version: Int
    /// The rules in evaluation order.
    public var rules: [PolicyRule]
    /// The template this version was started from, when it was.
    public var templateId: String?
    /// When the version was created; nil for ``initial``.
    public var createdAt: Date?
    /// The token that created it; nil for ``initial``.
    public var createdBy: UUID?

    public init(version: Int, rules: [PolicyRule], templateId: String?, createdAt: Date?, createdBy: UUID?) {
        self.version = version
        self.rules = rules
        self.templateId = templateId
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    /// The policy of a tenant that has never set one.
    public static let initial = PolicyVersion(version: 0, rules: [], templateId: nil, createdAt: nil, createdBy: nil)

    private enum CodingKeys: String, CodingKey {
        case version, rules, templateId, createdAt, createdBy
    }

    // Absent values are written as null, so every version has the same members.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(rules, forKey: .rules)
        try container.encode(templateId, forKey: .templateId)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(createdBy, forKey: .createdBy)
    }
}

/// A version as listed: its number and provenance, without its rules.
public struct PolicyVersionSummary: Codable, Hashable, Sendable {
    public var version: Int
    public var ruleCount: Int
    public var templateId: String?
    public var createdAt: Date
    public var createdBy: UUID

    public init(version: Int, ruleCount: Int, templateId: String?, createdAt: Date, createdBy: UUID) {
        self.version = version
        self.ruleCount = ruleCount
        self.templateId = templateId
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    private enum CodingKeys: String, CodingKey {
        case version, ruleCount, templateId, createdAt, createdBy
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(ruleCount, forKey: .ruleCount)
        try container.encode(templateId, forKey: .templateId)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(createdBy, forKey: .createdBy)
    }
}
