import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `GET /v1/me`: who the token says the caller is.
struct MeController {
    let tenants: TenantStore

    func register(on routes: APIRoutes) {
        routes.authenticated.get("me", use: me)
    }

    struct Me: ResponseEncodableBody {
        var role: Role
        var tenantId: UUID?
        var tokenId: UUID
        var tokenName: String
        var tenant: Tenant?
    }

    @Sendable func me(_ request: Request, context: AuthenticatedRequestContext) async throws -> Me {
        let principal = context.principal
        let tenant = try await principal.tenantID.asyncMap { try await tenants.get($0) }
        return Me(
            role: principal.role,
            tenantId: principal.tenantID,
            tokenId: principal.tokenID,
            tokenName: principal.tokenName,
            tenant: tenant
        )
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
