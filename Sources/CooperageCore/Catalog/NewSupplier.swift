/// What a cooperative administrator supplies to register a supplier.
public struct NewSupplier: Codable, Hashable, Sendable, JSONRequestBody {
    public var name: String
    public var identifiers: SupplierIdentifiers?
    /// `active` when absent; a suspended or debarred supplier needs `statusEffectiveOn` and `statusReason`.
    public var status: AuthorizationContext.SupplierStatus?
    public var statusEffectiveOn: LocalDate?
    public var statusReason: String?
    public var diversityCertifications: [DiversityCertification]?

    /// The members a body may carry (``JSONRequestBody``).
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case name, identifiers, status, statusEffectiveOn, statusReason, diversityCertifications
    }

    public init(
        name: String,
        identifiers: SupplierIdentifiers? = nil,
        status: AuthorizationContext.SupplierStatus? = nil,
        statusEffectiveOn: LocalDate? = nil,
        statusReason: String? = nil,
        diversityCertifications: [DiversityCertification]? = nil
    ) {
        self.name = name
        self.identifiers = identifiers
        self.status = status
        self.statusEffectiveOn = statusEffectiveOn
        self.statusReason = statusReason
        self.diversityCertifications = diversityCertifications
    }

    public var issues: [FieldIssue] {
        var issues = CatalogValidation.supplierIssues(
            name: name,
            identifiers: identifiers,
            statusReason: statusReason,
            diversityCertifications: diversityCertifications
        )
        if let status, status != .active {
            if statusEffectiveOn == nil {
                issues.append(
                    FieldIssue(pointer: "/statusEffectiveOn", detail: "is required when the status is \(status.rawValue)")
                )
            }
            if statusReason == nil {
                issues.append(FieldIssue(pointer: "/statusReason", detail: "is required when the status is \(status.rawValue)"))
            }
        }
        return issues
    }
}
