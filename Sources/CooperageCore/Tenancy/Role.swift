/// What a credential may do. Cooperative roles act across tenants; agency roles are bound to one tenant.
public enum Role: String, Codable, CaseIterable, Sendable {
    case cooperativeAdmin = "cooperative-admin"
    case cooperativeFinance = "cooperative-finance"
    case agencyAdmin = "agency-admin"
    case agencyBuyer = "agency-buyer"
    case agencyApprover = "agency-approver"
    case agencyFinance = "agency-finance"

    /// Agency roles must name a tenant; cooperative roles must not.
    public var isAgencyRole: Bool {
        switch self {
        case .cooperativeAdmin, .cooperativeFinance: false
        default: true
        }
    }
}
