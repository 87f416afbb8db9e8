import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/v1/agreements`: published Master Agreements; every role reads and searches them, cooperative-admins write them.
struct AgreementController {
    let agreements: AgreementStore

    func register(on routes: APIRoutes) {
        routes.authenticated.post("agreements", use: create)
        routes.authenticated.get("agreements", use: list)
        routes.authenticated.get("agreements/{id}", use: get)
        routes.authenticated.patch("agreements/{id}", use: update)
        routes.authenticated.post("agreements/{id}/renewals", use: renew)
        routes.authenticated.get("agreements/{id}/amendments", use: amendments)
        routes.authenticated.get("agreements/{id}/terms", use: terms)
    }

    @Sendable func create(_ request: Request, context: AuthenticatedRequestContext) async throws -> EditedResponse<
        MasterAgreement
    > {
        let principal = try context.require(.cooperativeAdmin)
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

    @Sendable func list(_ request: Request, context: AuthenticatedRequestContext) async throws -> Page<MasterAgreement> {
        let principal = context.principal
        let limit = try request.queryInt("limit", default: 50, range: 1...200)
        var search = AgreementStore.Search(
            status: try request.queryEnum("status", AuthorizationContext.AgreementStatus.self),
            supplierId: try request.queryUUID("supplierId"),
            leadTenantId: try request.queryUUID("leadTenantId"),
            text: try request.queryText("q")
        )
        if let category = request.uri.queryParameters.get("category") {
            guard UNSPSC.isCode(category) else {
                throw Problem.badRequest("The query parameter `category` must be an 8-digit UNSPSC code.")
            }
            search.category = category
        }
        let on = try request.queryDate("on")
        if try request.queryBool("usableByMe") == true {
            guard let tenantID = principal.tenantID else {
                throw Problem.badRequest(
                    "The query parameter `usableByMe` is for agency tokens: a cooperative token has no agency to check."
                )
            }
            search.usableBy = (tenantID: tenantID, on: on ?? LocalDate.today())
        } else if on != nil {
            throw Problem.badRequest("The query parameter `on` only applies with `usableByMe=true`.")
        }
        let (page, next) = try await agreements.list(limit: limit, after: try request.queryCursor(), search: search)
        return Page(items: page, nextCursor: next.map(String.init))
    }

    @Sendable func get(_ request: Request, context: AuthenticatedRequestContext) async throws -> MasterAgreement {
        let id = try context.parameters.uuid("id")
        return try await agreements.get(id)
    }

    @Sendable func update(_ request: Request, context: AuthenticatedRequestContext) async throws -> MasterAgreement {
        let id = try context.parameters.uuid("id")
        let principal = try context.require(.cooperativeAdmin)
        var request = request
        let changes = try await request.decodeJSON(AgreementChanges.self, context: context)
        let issues = changes.issues
        guard issues.isEmpty else { throw Problem.validation(issues) }
        return try await agreements.update(id, with: changes, by: Actor(principal))
    }

    /// Exercises the next renewal option (cooperative-admin). The body is optional; 409 when no option can be.
    @Sendable func renew(_ request: Request, context: AuthenticatedRequestContext) async throws -> MasterAgreement {
        let id = try context.parameters.uuid("id")
        let principal = try context.require(.cooperativeAdmin)
        var request = request
        let renewal: AgreementRenewal
        if request.headers[.contentType] == nil {
            // No body at all is the plain "renew it"; a body without a media type is refused as any other would be.
            let body = try await request.collectBody(upTo: context.maxUploadSize)
            guard body.readableBytes == 0 else { throw Problem.unsupportedMediaType("application/json") }
            renewal = AgreementRenewal()
        } else {
            renewal = try await request.decodeJSON(AgreementRenewal.self, context: context)
        }
        let issues = renewal.issues
        guard issues.isEmpty else { throw Problem.validation(issues) }
        return try await agreements.renew(id, with: renewal, by: Actor(principal))
    }

    /// The agreement's renewals and amendments of its terms, oldest first (every role).
    @Sendable func amendments(_ request: Request, context: AuthenticatedRequestContext) async throws
        -> Page<AgreementAmendment>
    {
        Page(items: try await agreements.amendments(of: try context.parameters.uuid("id")), nextCursor: nil)
    }

    /// Every version of the agreement's terms, oldest first (every role).
    @Sendable func terms(_ request: Request, context: AuthenticatedRequestContext) async throws
        -> Page<AgreementTermsVersion>
    {
        Page(items: try await agreements.termsVersions(of: try context.parameters.uuid("id")), nextCursor: nil)
    }
}

extension MasterAgreement: ResponseEncodable {}
