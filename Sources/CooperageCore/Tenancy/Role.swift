/// What a credential may do. Cooperative roles act across tenants; agency roles are bound to one tenant; the supplier
/// role is bound to one supplier and is neither.
public enum Role: String, Codable, CaseIterable, Sendable {
    case cooperativeAdmin = "cooperative-admin"
    case cooperativeFinance = "cooperative-finance"
    case agencyAdmin = "agency-admin"
    case agencyBuyer = "agency-buyer"
    case agencyApprover = "agency-approver"
    case agencyFinance = "agency-finance"
    /// A supplier's own credential: lists its agreements, files and amends its quarterly sales reports, sees the
    /// usage registered under its agreements. Issued by a cooperative admin (`POST /v1/suppliers/{id}/tokens`).
    case supplierReporter = "supplier-reporter"

    /// Agency roles must name a tenant; other roles must not.
    public var isAgencyRole: Bool {
        switch self {
        case .agencyAdmin, .agencyBuyer, .agencyApprover, .agencyFinance: true
        case .cooperativeAdmin, .cooperativeFinance, .supplierReporter: false
        }
    }

    /// Cooperative staff: across tenants, no tenant or supplier of their own.
    public var isCooperativeRole: Bool {
        switch self {
        case .cooperativeAdmin, .cooperativeFinance: true
        case .agencyAdmin, .agencyBuyer, .agencyApprover, .agencyFinance, .supplierReporter: false
        }
    }

    /// Supplier roles must name a supplier; other roles must not.
    public var isSupplierRole: Bool { self == .supplierReporter }
}
