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

    /// `deferring` is a group whose ``BearerAuthenticator`` defers agency tokens: registration checks its
    /// token in the statement that registers.
    func register(on router: RouterGroup<CooperageRequestContext>, deferring: RouterGroup<CooperageRequestContext>) {
        deferring.post("usage", use: register)
        router.get("usage", use: list)
        router.get("usage/{id}", use: get)
        router.post("usage/{id}/reversal", use: reverse)
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
        let (record, created) = try await usage.register(body, presenting: credential, roles: roles, idempotencyKey: key)
        return .written(record, created: created, location: "/v1/usage/\(record.id.uuidString.lowercased())")
    }

    @Sendable func reverse(_ request: Request, context: CooperageRequestContext) async throws -> EditedResponse<UsageRecord> {
        let id = try context.parameters.uuid("id")
        let (principal, tenantID) = try context.agencyPrincipal(.agencyBuyer, .agencyAdmin)
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

    @Sendable func list(_ request: Request, context: CooperageRequestContext) async throws -> Page<UsageRecord> {
        let principal = try context.principal()
        let tenantID = try principal.tenantID ?? request.requiredTenantParameter()
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

    @Sendable func get(_ request: Request, context: CooperageRequestContext) async throws -> UsageRecord {
        let id = try context.parameters.uuid("id")
        let principal = try context.principal()
        return try await usage.get(id, tenantID: try principal.tenantID ?? request.requiredTenantParameter())
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

extension Request {
    /// Usage writes must carry an `Idempotency-Key`, so a retried request is never counted twice.
    func requiredIdempotencyKey() throws -> String {
        guard let key = try idempotencyKey() else {
            throw Problem.badRequest(
                "Usage writes need an Idempotency-Key header (any unique string per intended write, such as a UUID), so that retries are not counted twice."
            )
        }
        return key
    }

    /// Cooperative staff name the agency whose data they read with `?tenantId=`.
    func requiredTenantParameter() throws -> UUID {
        guard let tenant = try queryUUID("tenantId") else {
            throw Problem.badRequest("Cooperative staff name the agency with the query parameter `tenantId`.")
        }
        return tenant
    }

    /// A `yyyy-MM-dd` query parameter, or a 400 naming it.
    func queryDate(_ name: String) throws -> LocalDate? {
        guard let text = uri.queryParameters.get(name) else { return nil }
        guard let date = LocalDate(iso8601: text) else {
            throw Problem.badRequest("The query parameter `\(name)` must be a date written yyyy-MM-dd.")
        }
        return date
    }
}
