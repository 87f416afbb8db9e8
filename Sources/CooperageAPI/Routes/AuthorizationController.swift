import CooperageCore
import CooperageStore
import Foundation
import HTTPTypes
import Hummingbird

/// `/v1/authorizations`: may this agency use this Master Agreement for this purchase? Every answer is
/// a recorded, explained decision.
struct AuthorizationController {
    let authorizations: AuthorizationStore
    let tokens: TokenStore

    /// `deferring` is a group whose ``BearerAuthenticator`` defers agency tokens: a new request checks its token
    /// in the statement that reads the decision's facts.
    func register(on router: RouterGroup<CooperageRequestContext>, deferring: RouterGroup<CooperageRequestContext>) {
        deferring.post("authorizations", use: create)
        router.get("authorizations", use: list)
        router.get("authorizations/{id}", use: get)
        router.post("authorizations/{id}/approvals", use: approve)
    }

    @Sendable func create(_ request: Request, context: CooperageRequestContext) async throws -> EditedResponse<
        AuthorizationRecord
    > {
        let roles: [Role] = [.agencyBuyer, .agencyAdmin]
        let credential = try context.deferredCredential(roles: roles)
        let (key, body) = try await tokens.reading(for: credential, roles: roles) {
            let key = try request.idempotencyKey()
            var request = request
            let body = try await request.decodeJSON(NewAuthorization.self, context: context)
            let issues = body.issues
            guard issues.isEmpty else { throw Problem.validation(issues) }
            return (key, body)
        }
        let (record, created) = try await authorizations.request(
            body,
            presenting: credential,
            roles: roles,
            idempotencyKey: key
        )
        return .written(record, created: created, location: "/v1/authorizations/\(record.id.uuidString.lowercased())")
    }

    @Sendable func list(_ request: Request, context: CooperageRequestContext) async throws -> Page<AuthorizationRecord> {
        let principal = try context.principal()
        let tenantID = try tenantToRead(principal: principal, request: request)
        let limit = try request.queryInt("limit", default: 50, range: 1...200)
        let outcome = try request.queryEnum("outcome", DecisionOutcome.self)
        let agreement = try request.queryUUID("agreementId")
        let cursor = try request.queryCursor()
        let (page, next) = try await authorizations.list(
            tenantID: tenantID,
            limit: limit,
            before: cursor,
            outcome: outcome,
            agreementID: agreement
        )
        return Page(items: page, nextCursor: next.map(String.init))
    }

    @Sendable func get(_ request: Request, context: CooperageRequestContext) async throws -> AuthorizationRecord {
        let id = try context.parameters.uuid("id")
        let principal = try context.principal()
        return try await authorizations.get(id, tenantID: try tenantToRead(principal: principal, request: request))
    }

    @Sendable func approve(_ request: Request, context: CooperageRequestContext) async throws -> AuthorizationRecord {
        let id = try context.parameters.uuid("id")
        let (principal, tenantID) = try context.agencyPrincipal(.agencyApprover, .agencyAdmin)
        var request = request
        let body = try await request.decodeJSON(NewApproval.self, context: context)
        let issues = body.issues
        guard issues.isEmpty else { throw Problem.validation(issues) }
        return try await authorizations.approve(id, approval: body, tenantID: tenantID, by: principal)
    }

    /// Agencies read their own; cooperative staff name the tenant with `?tenantId=`.
    private func tenantToRead(principal: Principal, request: Request) throws -> UUID {
        if let tenant = principal.tenantID { return tenant }
        guard let tenant = try request.queryUUID("tenantId") else {
            throw Problem.badRequest("Cooperative staff name the agency with the query parameter `tenantId`.")
        }
        return tenant
    }
}

extension Request {
    /// A UUID query parameter, or a 400 naming it.
    func queryUUID(_ name: String) throws -> UUID? {
        guard let text = uri.queryParameters.get(name) else { return nil }
        guard let id = UUID(uuidString: text) else { throw Problem.badRequest("The query parameter `\(name)` must be a UUID.") }
        return id
    }

    /// The `Idempotency-Key` header: 1 to 200 visible ASCII characters.
    func idempotencyKey() throws -> String? {
        guard let key = headers[.idempotencyKey] else { return nil }
        guard (1...200).contains(key.count), key.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw Problem.badRequest("The Idempotency-Key header must be 1 to 200 visible ASCII characters.")
        }
        return key
    }
}
