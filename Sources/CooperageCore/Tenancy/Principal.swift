public import Foundation

/// Who is calling: the credential's role and, for agency roles, its tenant.
public struct Principal: Hashable, Sendable {
    public var tokenID: UUID
    public var tokenName: String
    public var role: Role
    public var tenantID: UUID?

    public init(tokenID: UUID, tokenName: String, role: Role, tenantID: UUID?) {
        self.tokenID = tokenID
        self.tokenName = tokenName
        self.role = role
        self.tenantID = tenantID
    }

    /// True when this principal may act for `tenant`: cooperative roles may act for any tenant.
    public func canAct(for tenant: UUID) -> Bool {
        !role.isAgencyRole || tenantID == tenant
    }
}
