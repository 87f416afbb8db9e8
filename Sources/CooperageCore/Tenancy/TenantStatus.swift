/// A tenant's standing with the cooperative. Only `active` tenants' credentials work.
public enum TenantStatus: String, Codable, CaseIterable, Sendable {
    case pending
    case active
    case suspended
    case closed
}
