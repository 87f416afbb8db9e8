import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/v1/suppliers`: the cooperative's suppliers; every role reads them, cooperative-admins write them.
struct SupplierController {
    let suppliers: SupplierStore

    func register(on routes: APIRoutes) {
        routes.authenticated.post("suppliers", use: create)
        routes.authenticated.get("suppliers", use: list)
        routes.authenticated.get("suppliers/{id}", use: get)
        routes.authenticated.patch("suppliers/{id}", use: update)
    }

    @Sendable func create(_ request: Request, context: AuthenticatedRequestContext) async throws -> EditedResponse<Supplier> {
        let principal = try context.require(.cooperativeAdmin)
        var request = request
        let draft = try await request.decodeJSON(NewSupplier.self, context: context)
        let issues = draft.issues
        guard issues.isEmpty else { throw Problem.validation(issues) }
        let supplier = try await suppliers.create(draft, by: Actor(principal))
        return EditedResponse(
            status: .created,
            headers: [.location: "/v1/suppliers/\(supplier.id.uuidString.lowercased())"],
            response: supplier
        )
    }

    @Sendable func list(_ request: Request, context: AuthenticatedRequestContext) async throws -> Page<Supplier> {
        let limit = try request.queryInt("limit", default: 50, range: 1...200)
        let status = try request.queryEnum("status", AuthorizationContext.SupplierStatus.self)
        let (page, next) = try await suppliers.list(
            limit: limit,
            after: try request.queryCursor(),
            status: status,
            nameContains: try request.queryText("q")
        )
        return Page(items: page, nextCursor: next.map(String.init))
    }

    @Sendable func get(_ request: Request, context: AuthenticatedRequestContext) async throws -> Supplier {
        let id = try context.parameters.uuid("id")
        return try await suppliers.get(id)
    }

    @Sendable func update(_ request: Request, context: AuthenticatedRequestContext) async throws -> Supplier {
        let id = try context.parameters.uuid("id")
        let principal = try context.require(.cooperativeAdmin)
        var request = request
        let changes = try await request.decodeJSON(SupplierChanges.self, context: context)
        let issues = changes.issues
        guard issues.isEmpty else { throw Problem.validation(issues) }
        return try await suppliers.update(id, with: changes, by: Actor(principal))
    }
}

extension Supplier: ResponseEncodable {}
