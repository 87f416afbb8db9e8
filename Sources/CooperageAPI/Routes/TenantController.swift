import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/v1/tenants`: the cooperative's registry of participating agencies.
struct TenantController {
    let tenants: TenantStore

    func register(on routes: APIRoutes) {
        routes.authenticated.post("tenants", use: create)
        routes.authenticated.get("tenants", use: list)
        routes.authenticated.get("tenants/{id}", use: get)
        routes.authenticated.patch("tenants/{id}", use: update)
        routes.authenticated.post("tenants/{id}/suspend", use: suspend)
        routes.authenticated.post("tenants/{id}/reactivate", use: reactivate)
    }

    @Sendable func create(_ request: Request, context: AuthenticatedRequestContext) async throws -> EditedResponse<Tenant> {
        let principal = try context.require(.cooperativeAdmin)
        var request = request
        let draft = try await request.decodeJSON(NewTenant.self, context: context)
        let issues = draft.issues
        guard issues.isEmpty else { throw Problem.validation(issues) }
        let tenant = try await tenants.create(draft, by: Actor(principal))
        return EditedResponse(
            status: .created,
            headers: [.location: "/v1/tenants/\(tenant.id.uuidString.lowercased())"],
            response: tenant
        )
    }

    @Sendable func list(_ request: Request, context: AuthenticatedRequestContext) async throws -> Page<Tenant> {
        let principal = context.principal
        let limit = try request.queryInt("limit", default: 50, range: 1...200)
        let status = try request.queryEnum("status", TenantStatus.self)
        let cursor = try request.queryCursor()
        // Agencies see their own entry only.
        let (page, next) = try await tenants.list(limit: limit, after: cursor, status: status, only: principal.tenantID)
        return Page(items: page, nextCursor: next.map(String.init))
    }

    @Sendable func get(_ request: Request, context: AuthenticatedRequestContext) async throws -> Tenant {
        let id = try context.parameters.uuid("id")
        try context.require(actingFor: id)
        return try await tenants.get(id)
    }

    @Sendable func update(_ request: Request, context: AuthenticatedRequestContext) async throws -> Tenant {
        let id = try context.parameters.uuid("id")
        let principal = try context.require(actingFor: id, [.cooperativeAdmin])
        var request = request
        let changes = try await request.decodeJSON(TenantChanges.self, context: context)
        let issues = changes.issues
        guard issues.isEmpty else { throw Problem.validation(issues) }
        if case .some(.some(let parent)) = changes.parentId, parent == id {
            throw Problem.validation([FieldIssue(pointer: "/parentId", detail: "a tenant cannot be its own parent")])
        }
        return try await tenants.update(id, with: changes, by: Actor(principal))
    }

    @Sendable func suspend(_ request: Request, context: AuthenticatedRequestContext) async throws -> Tenant {
        let id = try context.parameters.uuid("id")
        let principal = try context.require(actingFor: id, [.cooperativeAdmin])
        return try await tenants.setStatus(id, to: .suspended, by: Actor(principal))
    }

    @Sendable func reactivate(_ request: Request, context: AuthenticatedRequestContext) async throws -> Tenant {
        let id = try context.parameters.uuid("id")
        let principal = try context.require(actingFor: id, [.cooperativeAdmin])
        return try await tenants.setStatus(id, to: .active, by: Actor(principal))
    }
}

extension Tenant: ResponseEncodable {}
extension TokenInfo: ResponseEncodable {}
