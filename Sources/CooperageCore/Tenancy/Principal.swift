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

extension Principal {
    /// Whose rows a read shows when the caller names an agency (`tenantId`) as `asked`: an agency token reads its own
    /// agency's, cooperative staff every agency's or the one they name. Nil when an agency token names another
    /// agency: that read answers "not found", as any other tenant's object does. The API and the console both
    /// decide it here.
    public func readScope(naming asked: UUID?) -> ReportScope? {
        guard let own = tenantID else { return .cooperative(tenant: asked) }
        return asked == nil || asked == own ? .agency(own) : nil
    }
}
