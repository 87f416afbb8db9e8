import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `GET /v1/me`: who the token says the caller is.
struct MeController {
    let tenants: TenantStore
    let suppliers: SupplierStore

    func register(on routes: APIRoutes) {
        routes.caller.get("me", use: me)
    }

    struct Me: ResponseEncodableBody {
        var role: Role
        var tenantId: UUID?
        var supplierId: UUID?
        var tokenId: UUID
        var tokenName: String
        var tenant: Tenant?
        var supplier: Supplier?
    }

    @Sendable func me(_ request: Request, context: CallerRequestContext) async throws -> Me {
        let principal = context.principal
        let tenant = try await principal.tenantID.asyncMap { try await tenants.get($0) }
        let supplier = try await principal.supplierID.asyncMap { try await suppliers.get($0) }
        return Me(
            role: principal.role,
            tenantId: principal.tenantID,
            supplierId: principal.supplierID,
            tokenId: principal.tokenID,
            tokenName: principal.tokenName,
            tenant: tenant,
            supplier: supplier
        )
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
