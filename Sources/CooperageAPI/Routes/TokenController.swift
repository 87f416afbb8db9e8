import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// Credentials: agency tokens under `/v1/tenants/{id}/tokens`, cooperative ones under `/v1/tokens`, supplier ones
/// under `/v1/suppliers/{id}/tokens` (``SupplierTokenController``); any of them is revoked at `/v1/tokens/{id}`.
struct TokenController {
    let tokens: TokenStore
    let tenants: TenantStore

    func register(on routes: APIRoutes) {
        routes.authenticated.post("tenants/{id}/tokens", use: createAgencyToken)
        routes.authenticated.get("tenants/{id}/tokens", use: listAgencyTokens)
        routes.authenticated.post("tokens", use: createCooperativeToken)
        routes.authenticated.get("tokens", use: listCooperativeTokens)
        routes.authenticated.delete("tokens/{id}", use: revoke)
    }

    /// The body of every token issuance.
    struct NewToken: JSONRequestBody {
        var role: Role
        var name: String
        var expiresAt: Date?
        enum CodingKeys: String, CodingKey, CaseIterable { case role, name, expiresAt }
    }

    /// The one response that carries a token's secret.
    struct IssuedToken: ResponseEncodableBody {
        var id: UUID
        var token: String
        var name: String
        var role: Role
        var tenantId: UUID?
        var supplierId: UUID?
        var createdAt: Date
        var expiresAt: Date?
    }

    @Sendable func createAgencyToken(_ request: Request, context: AuthenticatedRequestContext) async throws
        -> EditedResponse<IssuedToken>
    {
        let tenantID = try context.parameters.uuid("id")
        let principal = try context.require(actingFor: tenantID, [.cooperativeAdmin, .agencyAdmin])
        var request = request
        let body = try await request.decodeJSON(NewToken.self, context: context)
        guard body.role.isAgencyRole else {
            throw Problem.validation([
                FieldIssue(
                    pointer: "/role",
                    detail:
                        "tokens of a tenant have an agency role; cooperative roles are issued at /v1/tokens, supplier-reporter at /v1/suppliers/{id}/tokens"
                )
            ])
        }
        try Self.validate(body)
        _ = try await tenants.get(tenantID)
        return try await issue(body, tenantID: tenantID, by: principal)
    }

    @Sendable func listAgencyTokens(_ request: Request, context: AuthenticatedRequestContext) async throws -> Page<TokenInfo> {
        let tenantID = try context.parameters.uuid("id")
        try context.require(actingFor: tenantID, [.cooperativeAdmin, .agencyAdmin])
        _ = try await tenants.get(tenantID)
        return Page(items: try await tokens.listAgencyTokens(tenantID: tenantID), nextCursor: nil)
    }

    @Sendable func createCooperativeToken(_ request: Request, context: AuthenticatedRequestContext) async throws
        -> EditedResponse<IssuedToken>
    {
        let principal = try context.require(.cooperativeAdmin)
        var request = request
        let body = try await request.decodeJSON(NewToken.self, context: context)
        guard body.role.isCooperativeRole else {
            throw Problem.validation([
                FieldIssue(
                    pointer: "/role",
                    detail:
                        "agency tokens are issued at /v1/tenants/{id}/tokens for their tenant, supplier tokens at /v1/suppliers/{id}/tokens"
                )
            ])
        }
        try Self.validate(body)
        return try await issue(body, tenantID: nil, by: principal)
    }

    @Sendable func listCooperativeTokens(_ request: Request, context: AuthenticatedRequestContext) async throws -> Page<TokenInfo>
    {
        try context.require(.cooperativeAdmin)
        return Page(items: try await tokens.listCooperativeTokens(), nextCursor: nil)
    }

    @Sendable func revoke(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        let principal = try context.require(.cooperativeAdmin, .agencyAdmin)
        _ = try await tokens.revoke(id, by: principal)
        return Response(status: .noContent)
    }

    static func validate(_ body: NewToken) throws {
        var issues: [FieldIssue] = []
        if body.name.trimmingCharacters(in: .whitespaces).isEmpty || body.name.count > 200 {
            issues.append(FieldIssue(pointer: "/name", detail: "must be 1 to 200 characters"))
        }
        if let expiresAt = body.expiresAt, expiresAt <= Date() {
            issues.append(FieldIssue(pointer: "/expiresAt", detail: "must be in the future"))
        }
        guard issues.isEmpty else { throw Problem.validation(issues) }
    }

    private func issue(_ body: NewToken, tenantID: UUID?, by principal: Principal) async throws -> EditedResponse<IssuedToken> {
        let (info, secret) = try await tokens.create(
            role: body.role,
            name: body.name,
            tenantID: tenantID,
            expiresAt: body.expiresAt,
            by: Actor(principal)
        )
        return EditedResponse(
            status: .created,
            response: IssuedToken(
                id: info.id,
                token: secret.text,
                name: info.name,
                role: info.role,
                tenantId: info.tenantId,
                createdAt: info.createdAt,
                expiresAt: info.expiresAt
            )
        )
    }
}
