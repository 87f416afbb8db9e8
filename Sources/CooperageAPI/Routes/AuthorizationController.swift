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

    /// A new request checks its agency token in the statement that reads the decision's facts
    /// (``APIRoutes/deferring``).
    func register(on routes: APIRoutes) {
        routes.deferring.post("authorizations", use: create)
        routes.authenticated.get("authorizations", use: list)
        routes.authenticated.get("authorizations/{id}", use: get)
        routes.agency.post("authorizations/{id}/approvals", use: approve)
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

    @Sendable func list(_ request: Request, context: AuthenticatedRequestContext) async throws -> Page<AuthorizationRecord> {
        let tenantID = try context.requiredAgency(namedIn: request)
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

    @Sendable func get(_ request: Request, context: AuthenticatedRequestContext) async throws -> AuthorizationRecord {
        let id = try context.parameters.uuid("id")
        return try await authorizations.get(id, tenantID: try context.requiredAgency(namedIn: request))
    }

    @Sendable func approve(_ request: Request, context: AgencyRequestContext) async throws -> AuthorizationRecord {
        let id = try context.parameters.uuid("id")
        let principal = try context.require(.agencyApprover, .agencyAdmin)
        let tenantID = context.tenantID
        var request = request
        let body = try await request.decodeJSON(NewApproval.self, context: context)
        let issues = body.issues
        guard issues.isEmpty else { throw Problem.validation(issues) }
        return try await authorizations.approve(id, approval: body, tenantID: tenantID, by: principal)
    }
}
