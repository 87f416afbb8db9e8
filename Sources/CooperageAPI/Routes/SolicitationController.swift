import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/v1/solicitations`: how lead agencies solicited the contracts the cooperative publishes.
struct SolicitationController {
    let solicitations: SolicitationStore

    func register(on routes: APIRoutes) {
        routes.authenticated.post("solicitations", use: create)
        routes.authenticated.get("solicitations", use: list)
        routes.authenticated.get("solicitations/{id}", use: get)
    }

    @Sendable func create(_ request: Request, context: AuthenticatedRequestContext) async throws -> EditedResponse<Solicitation> {
        let principal = try context.require(.cooperativeAdmin)
        var request = request
        let draft = try await request.decodeJSON(NewSolicitation.self, context: context)
        let issues = draft.issues
        guard issues.isEmpty else { throw Problem.validation(issues) }
        let solicitation = try await solicitations.create(draft, by: Actor(principal))
        return EditedResponse(
            status: .created,
            headers: [.location: "/v1/solicitations/\(solicitation.id.uuidString.lowercased())"],
            response: solicitation
        )
    }

    @Sendable func list(_ request: Request, context: AuthenticatedRequestContext) async throws -> Page<Solicitation> {
        let limit = try request.queryInt("limit", default: 50, range: 1...200)
        let (page, next) = try await solicitations.list(
            limit: limit,
            after: try request.queryCursor(),
            leadTenantId: try request.queryUUID("leadTenantId")
        )
        return Page(items: page, nextCursor: next.map(String.init))
    }

    @Sendable func get(_ request: Request, context: AuthenticatedRequestContext) async throws -> Solicitation {
        let id = try context.parameters.uuid("id")
        return try await solicitations.get(id)
    }
}

extension Solicitation: ResponseEncodable {}
