import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/v1/suppliers/{id}/tokens`: a supplier's own credentials (role `supplier-reporter`), issued and listed by a
/// cooperative admin; the secret is shown once, as for agency tokens, and a token is revoked at `DELETE /v1/tokens/{id}`.
struct SupplierTokenController {
    let tokens: TokenStore

    func register(on routes: APIRoutes) {
        routes.authenticated.post("suppliers/{id}/tokens", use: create)
        routes.authenticated.get("suppliers/{id}/tokens", use: list)
    }

    @Sendable func create(_ request: Request, context: AuthenticatedRequestContext) async throws
        -> EditedResponse<TokenController.IssuedToken>
    {
        let supplierID = try context.parameters.uuid("id")
        let principal = try context.require(.cooperativeAdmin)
        var request = request
        let body = try await request.decodeJSON(TokenController.NewToken.self, context: context)
        guard body.role.isSupplierRole else {
            throw Problem.validation([
                FieldIssue(
                    pointer: "/role",
                    detail:
                        "tokens of a supplier have the role supplier-reporter; agency and cooperative roles are issued elsewhere"
                )
            ])
        }
        try TokenController.validate(body)
        let (info, secret) = try await tokens.createSupplierToken(
            supplierID: supplierID,
            name: body.name,
            expiresAt: body.expiresAt,
            by: Actor(principal)
        )
        return EditedResponse(
            status: .created,
            response: TokenController.IssuedToken(
                id: info.id,
                token: secret.text,
                name: info.name,
                role: info.role,
                tenantId: nil,
                supplierId: info.supplierId,
                createdAt: info.createdAt,
                expiresAt: info.expiresAt
            )
        )
    }

    @Sendable func list(_ request: Request, context: AuthenticatedRequestContext) async throws -> Page<TokenInfo> {
        let supplierID = try context.parameters.uuid("id")
        try context.require(.cooperativeAdmin)
        let listed = try await tokens.listSupplierTokens(supplierID: supplierID)
        if listed.isEmpty {
            // An unknown supplier is a 404, a known one without tokens an empty list.
            _ = try await tokens.supplierExists(supplierID)
        }
        return Page(items: listed, nextCursor: nil)
    }
}
