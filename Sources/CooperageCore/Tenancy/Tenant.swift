public import Foundation

/// A participating agency: one tenant of the shared schema.
public struct Tenant: Codable, Hashable, Sendable {
    public var id: UUID
    public var legalName: String
    public var slug: String
    public var entityType: EntityType
    public var state: USState
    public var parentId: UUID?
    public var identifiers: TenantIdentifiers
    public var fiscalYearStartMonth: Int
    public var status: TenantStatus
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID,
        legalName: String,
        slug: String,
        entityType: EntityType,
        state: USState,
        parentId: UUID?,
        identifiers: TenantIdentifiers,
        fiscalYearStartMonth: Int,
        status: TenantStatus,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.legalName = legalName
        self.slug = slug
        self.entityType = entityType
        self.state = state
        self.parentId = parentId
        self.identifiers = identifiers
        self.fiscalYearStartMonth = fiscalYearStartMonth
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The public identifiers an agency is known by.
public struct TenantIdentifiers: Codable, Hashable, Sendable {
    /// Federal Employer Identification Number, `12-3456789`.
    public var ein: String?
    /// SAM.gov Unique Entity ID: 12 characters, letters and digits without I or O.
    public var samUei: String?
    /// The number the cooperative assigned at registration (as supplier sales reports quote it).
    public var cooperativeNumber: String?

    public init(ein: String? = nil, samUei: String? = nil, cooperativeNumber: String? = nil) {
        self.ein = ein
        self.samUei = samUei
        self.cooperativeNumber = cooperativeNumber
    }
}
