/// One rule of a tenant's local policy: a type, its parameters, the source it comes from, and when it applies.
///
/// `type` stays a plain string so a policy naming an unknown type still decodes and
/// ``PolicyValidator`` can point at it.
/// ```swift
/// let rule = PolicyRule(
///     type: RuleType.approvalThreshold.rawValue,
///     parameters: ["amountCents": 3_000_000, "approver": "city-council", "requiresResolution": true],
///     citation: "Palm Coast, FL Code 2-26")
/// ```
public struct PolicyRule: Codable, Hashable, Sendable {
    /// The rule type's raw value (see ``RuleType``).
    public var type: String
    /// A JSON object with the type's parameters; money in integer cents under keys ending in `Cents`.
    public var parameters: JSONValue
    /// The statute, ordinance or board policy the rule comes from.
    public var citation: String
    /// First purchase date the rule applies to (inclusive); nil means no start.
    public var effectiveOn: LocalDate?
    /// Last purchase date the rule applies to (inclusive); nil means no end.
    public var expiresOn: LocalDate?

    public init(
        type: String,
        parameters: JSONValue = .object([:]),
        citation: String,
        effectiveOn: LocalDate? = nil,
        expiresOn: LocalDate? = nil
    ) {
        self.type = type
        self.parameters = parameters
        self.citation = citation
        self.effectiveOn = effectiveOn
        self.expiresOn = expiresOn
    }

    public init(
        type: RuleType,
        parameters: JSONValue = .object([:]),
        citation: String,
        effectiveOn: LocalDate? = nil,
        expiresOn: LocalDate? = nil
    ) {
        self.init(
            type: type.rawValue,
            parameters: parameters,
            citation: citation,
            effectiveOn: effectiveOn,
            expiresOn: expiresOn
        )
    }

    /// Also the members a rule of a policy change may carry (``PolicyChange/ruleFields``).
    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, parameters, citation, effectiveOn, expiresOn
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        // A rule with nothing to configure may leave parameters out.
        parameters = try container.decodeIfPresent(JSONValue.self, forKey: .parameters) ?? .object([:])
        citation = try container.decodeIfPresent(String.self, forKey: .citation) ?? ""
        effectiveOn = try container.decodeIfPresent(LocalDate.self, forKey: .effectiveOn)
        expiresOn = try container.decodeIfPresent(LocalDate.self, forKey: .expiresOn)
    }

    /// Whether `date` falls inside `effectiveOn...expiresOn` (both ends inclusive, either may be open).
    public func isInEffect(on date: LocalDate) -> Bool {
        if let effectiveOn, date < effectiveOn { return false }
        if let expiresOn, date > expiresOn { return false }
        return true
    }
}
