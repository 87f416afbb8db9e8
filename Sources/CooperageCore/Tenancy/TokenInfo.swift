public import Foundation

/// A credential as listed: never its secret.
public struct TokenInfo: Codable, Hashable, Sendable {
    public var id: UUID
    public var name: String
    public var role: Role
    public var tenantId: UUID?
    /// The supplier of a supplier-reporter token.
    public var supplierId: UUID?
    public var createdAt: Date
    public var expiresAt: Date?
    public var revokedAt: Date?

    public init(
        id: UUID,
        name: String,
        role: Role,
        tenantId: UUID?,
        supplierId: UUID? = nil,
        createdAt: Date,
        expiresAt: Date?,
        revokedAt: Date?
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.tenantId = tenantId
        self.supplierId = supplierId
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}
