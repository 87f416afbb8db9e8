public import Foundation

/// A supplier awarded (or eligible for) Master Agreements: a cooperative-level record every tenant reads.
public struct Supplier: Codable, Hashable, Sendable {
    public var id: UUID
    public var name: String
    public var identifiers: SupplierIdentifiers
    /// Suspended and debarred suppliers cannot be used (a system gate of every authorization).
    public var status: AuthorizationContext.SupplierStatus
    /// The day the current status took (or takes) effect; nil when never recorded.
    public var statusEffectiveOn: LocalDate?
    /// Why the supplier has its current status (for example the SAM.gov exclusion record).
    public var statusReason: String?
    public var diversityCertifications: [DiversityCertification]
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID,
        name: String,
        identifiers: SupplierIdentifiers,
        status: AuthorizationContext.SupplierStatus,
        statusEffectiveOn: LocalDate?,
        statusReason: String?,
        diversityCertifications: [DiversityCertification],
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.name = name
        self.identifiers = identifiers
        self.status = status
        self.statusEffectiveOn = statusEffectiveOn
        self.statusReason = statusReason
        self.diversityCertifications = diversityCertifications
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
