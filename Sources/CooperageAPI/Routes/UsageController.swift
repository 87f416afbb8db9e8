import CooperageCore
import CooperageStore
import Foundation
import HTTPTypes
import Hummingbird

/// `/v1/usage`: purchase orders placed under approved authorizations, and their reversals. Every write
/// takes an `Idempotency-Key`: a retry returns the first response and is never counted twice.
struct UsageController {
    let usage: UsageStore
    let tokens: TokenStore

    /// Registration checks its agency token in the statement that registers (``APIRoutes/deferring``).
    func register(on routes: APIRoutes) {
        routes.deferring.post("usage", use: register)
        routes.authenticated.get("usage", use: list)
        routes.authenticated.get("usage/{id}", use: get)
        routes.agency.post("usage/{id}/reversal", use: reverse)
    }

    @Sendable func register(_ request: Request, context: CooperageRequestContext) async throws -> EditedResponse<UsageRecord> {
        let roles: [Role] = [.agencyBuyer, .agencyAdmin]
        let credential = try context.deferredCredential(roles: roles)
        let (key, body) = try await tokens.reading(for: credential, roles: roles) {
            let key = try request.requiredIdempotencyKey()
            var request = request
            let body = try await request.decodeJSON(NewUsage.self, context: context)
            let issues = body.issues
            guard issues.isEmpty else { throw Problem.validation(issues) }
            return (key, body)
        }
        let (record, created) = try await usage.register(body, presenting: .token(credential), roles: roles, idempotencyKey: key)
        return .written(record, created: created, location: "/v1/usage/\(record.id.uuidString.lowercased())")
    }

    @Sendable func reverse(_ request: Request, context: AgencyRequestContext) async throws -> EditedResponse<UsageRecord> {
        let id = try context.parameters.uuid("id")
        let principal = try context.require(.agencyBuyer, .agencyAdmin)
        let tenantID = context.tenantID
        let key = try request.requiredIdempotencyKey()
        var request = request
        let body = try await request.decodeJSON(NewReversal.self, context: context)
        let issues = body.issues
        guard issues.isEmpty else { throw Problem.validation(issues) }
        let (record, created) = try await usage.reverse(
            id,
            body,
            tenantID: tenantID,
            by: Actor(principal),
            idempotencyKey: key
        )
        return .written(record, created: created, location: "/v1/usage/\(record.id.uuidString.lowercased())")
    }

    @Sendable func list(_ request: Request, context: AuthenticatedRequestContext) async throws -> Page<UsageRecord> {
        let tenantID = try context.requiredAgency(namedIn: request)
        let limit = try request.queryInt("limit", default: 50, range: 1...500)
        let cursor = try request.queryCursor()
        let (page, next) = try await usage.list(
            tenantID: tenantID,
            limit: limit,
            before: cursor,
            agreementID: try request.queryUUID("agreementId"),
            from: try request.queryDate("from"),
            to: try request.queryDate("to"),
            poNumber: request.uri.queryParameters.get("poNumber").map { String($0) }
        )
        return Page(items: page, nextCursor: next.map(String.init))
    }

    @Sendable func get(_ request: Request, context: AuthenticatedRequestContext) async throws -> UsageRecord {
        let id = try context.parameters.uuid("id")
        return try await usage.get(id, tenantID: try context.requiredAgency(namedIn: request))
    }
}

extension EditedResponse {
    /// 201 for a new write; for an idempotent replay the same status and body, marked `Idempotent-Replayed: true`.
    static func written(_ body: Generator, created: Bool, location: String) -> Self {
        var headers: HTTPFields = [.location: location]
        if !created { headers[.idempotentReplayed] = "true" }
        return Self(status: .created, headers: headers, response: body)
    }
}
