public import Foundation

/// What a cooperative administrator supplies to register an agency.
public struct NewTenant: Codable, Hashable, Sendable, JSONRequestBody {
    public var legalName: String
    public var slug: String
    public var entityType: EntityType
    public var state: USState
    public var parentId: UUID?
    public var identifiers: TenantIdentifiers?
    /// The month (1-12) the agency's fiscal year starts; most US local governments and school districts use July.
    public var fiscalYearStartMonth: Int?
    /// `pending` or `active` (the default); suspension has its own action.
    public var status: TenantStatus?

    /// The members a body may carry (``JSONRequestBody``).
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case legalName, slug, entityType, state, parentId, identifiers, fiscalYearStartMonth, status
    }

    public init(
        legalName: String,
        slug: String,
        entityType: EntityType,
        state: USState,
        parentId: UUID? = nil,
        identifiers: TenantIdentifiers? = nil,
        fiscalYearStartMonth: Int? = nil,
        status: TenantStatus? = nil
    ) {
        self.legalName = legalName
        self.slug = slug
        self.entityType = entityType
        self.state = state
        self.parentId = parentId
        self.identifiers = identifiers
        self.fiscalYearStartMonth = fiscalYearStartMonth
        self.status = status
    }

    public var issues: [FieldIssue] {
        var issues = TenantValidation.issues(
            legalName: legalName,
            slug: slug,
            fiscalYearStartMonth: fiscalYearStartMonth,
            identifiers: identifiers
        )
        if let status, status != .pending && status != .active {
            issues.append(FieldIssue(pointer: "/status", detail: "a new tenant is pending or active"))
        }
        return issues
    }
}
