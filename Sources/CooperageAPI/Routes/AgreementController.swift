import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/v1/agreements`: published Master Agreements; every role reads and searches them, cooperative-admins write them.
struct AgreementController {
    let agreements: AgreementStore

    func register(on router: RouterGroup<CooperageRequestContext>) {
        router.post("agreements", use: create)
        router.get("agreements", use: list)
        router.get("agreements/{id}", use: get)
        router.patch("agreements/{id}", use: update)
    }

    @Sendable func create(_ request: Request, context: CooperageRequestContext) async throws -> EditedResponse<MasterAgreement> {
        let principal = try context.principal(.cooperativeAdmin)
        var request = request
        let draft = try await request.decodeJSON(NewAgreement.self, context: context)
        let issues = draft.issues
        guard issues.isEmpty else { throw Problem.validation(issues) }
        let agreement = try await agreements.create(draft, by: Actor(principal))
        return EditedResponse(
            status: .created,
            headers: [.location: "/v1/agreements/\(agreement.id.uuidString.lowercased())"],
            response: agreement
        )
    }

    @Sendable func list(_ request: Request, context: CooperageRequestContext) async throws -> Page<MasterAgreement> {
        let principal = try context.principal()
        let limit = try request.queryInt("limit", default: 50, range: 1...200)
        var search = AgreementStore.Search(
            status: try request.queryEnum("status", AuthorizationContext.AgreementStatus.self),
            supplierId: try CatalogQuery.uuid(request, "supplierId"),
            leadTenantId: try CatalogQuery.uuid(request, "leadTenantId"),
            text: try CatalogQuery.text(request, "q")
        )
        if let category = request.uri.queryParameters.get("category") {
            guard UNSPSC.isCode(category) else {
                throw Problem.badRequest("The query parameter `category` must be an 8-digit UNSPSC code.")
            }
            search.category = category
        }
        let on = try CatalogQuery.date(request, "on")
        if try CatalogQuery.bool(request, "usableByMe") == true {
            guard let tenantID = principal.tenantID else {
                throw Problem.badRequest(
                    "The query parameter `usableByMe` is for agency tokens: a cooperative token has no agency to check."
                )
            }
            search.usableBy = (tenantID: tenantID, on: on ?? CatalogQuery.today())
        } else if on != nil {
            throw Problem.badRequest("The query parameter `on` only applies with `usableByMe=true`.")
        }
        let (page, next) = try await agreements.list(limit: limit, after: try CatalogQuery.cursor(request), search: search)
        return Page(items: page, nextCursor: next.map(String.init))
    }

    @Sendable func get(_ request: Request, context: CooperageRequestContext) async throws -> MasterAgreement {
        let id = try context.parameters.uuid("id")
        _ = try context.principal()
        return try await agreements.get(id)
    }

    @Sendable func update(_ request: Request, context: CooperageRequestContext) async throws -> MasterAgreement {
        let id = try context.parameters.uuid("id")
        let principal = try context.principal(.cooperativeAdmin)
        var request = request
        let changes = try await request.decodeJSON(AgreementChanges.self, context: context)
        let issues = changes.issues
        guard issues.isEmpty else { throw Problem.validation(issues) }
        return try await agreements.update(id, with: changes, by: Actor(principal))
    }
}

extension MasterAgreement: ResponseEncodable {}
