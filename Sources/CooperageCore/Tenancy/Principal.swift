public import Foundation

/// Who is calling: the credential's role and, for agency roles, its tenant; for the supplier role, its supplier.
public struct Principal: Hashable, Sendable {
    public var tokenID: UUID
    public var tokenName: String
    public var role: Role
    public var tenantID: UUID?
    /// The supplier a supplier-reporter token belongs to; nil for every other role.
    public var supplierID: UUID?

    public init(tokenID: UUID, tokenName: String, role: Role, tenantID: UUID?, supplierID: UUID? = nil) {
        self.tokenID = tokenID
        self.tokenName = tokenName
        self.role = role
        self.tenantID = tenantID
        self.supplierID = supplierID
    }

    /// True when this principal may act for `tenant`: cooperative roles may act for any tenant, agency roles for their
    /// own, a supplier for none.
    public func canAct(for tenant: UUID) -> Bool {
        role.isCooperativeRole || (role.isAgencyRole && tenantID == tenant)
    }
}

extension Principal {
    /// Whose rows a read shows when the caller names an agency (`tenantId`) as `asked`: an agency token reads its own
    /// agency's, cooperative staff every agency's or the one they name. Nil when an agency token names another
    /// agency: that read answers "not found", as any other tenant's object does; nil too for a supplier, which reads
    /// no agency's data. The API and the console both decide it here.
    public func readScope(naming asked: UUID?) -> ReportScope? {
        if role.isCooperativeRole { return .cooperative(tenant: asked) }
        guard role.isAgencyRole, let own = tenantID else { return nil }
        return asked == nil || asked == own ? .agency(own) : nil
    }
}
