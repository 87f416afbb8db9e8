import CooperageCore
import PostgresNIO

extension TokenStore.Rejection {
    /// What a statement that checks the token it is presented with (`usage_register_presented`,
    /// `authorization_decision_facts_presented`) said of it in its `status` column, with `token_role` and
    /// `tenant_status` beside it; nil when the token passed.
    init?(status: String, row: NamedRow, roles: [Role]) throws {
        switch status {
        case "unauthenticated":
            self = .invalid
        case "tenant-not-active":
            self = .tenantNotActive(TenantStatus(rawValue: try (row["tenant_status"] as String)) ?? .closed)
        case "forbidden":
            guard let role = Role(rawValue: try (row["token_role"] as String)) else {
                self = .invalid
                return
            }
            self = .roleNotAllowed(role, needs: roles)
        default:
            return nil
        }
    }
}
