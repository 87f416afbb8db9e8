import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/v1/tenants/{id}/policy`: a tenant's local authorization rules, as immutable numbered versions.
struct PolicyController {
    let policies: PolicyStore
    let templates: PolicyTemplateCatalog

    func register(on routes: APIRoutes) {
        routes.authenticated.get("tenants/{id}/policy", use: current)
        routes.authenticated.put("tenants/{id}/policy", use: replace)
        routes.authenticated.get("tenants/{id}/policy/versions", use: versions)
        routes.authenticated.get("tenants/{id}/policy/versions/{version}", use: version)
    }

    @Sendable func current(_ request: Request, context: AuthenticatedRequestContext) async throws -> PolicyVersion {
        let tenantID = try context.parameters.uuid("id")
        try context.require(actingFor: tenantID)
        return try await policies.current(tenantID: tenantID)
    }

    /// Creates version n+1; nothing stored is ever changed.
    @Sendable func replace(_ request: Request, context: AuthenticatedRequestContext) async throws -> EditedResponse<PolicyVersion>
    {
        let tenantID = try context.parameters.uuid("id")
        let principal = try context.require(actingFor: tenantID, [.cooperativeAdmin, .agencyAdmin])
        var request = request
        let change = try await request.decodeJSON(PolicyChange.self, context: context)
        let (rules, template, issues) = try templates.resolve(change)
        guard issues.isEmpty else { throw Problem.validation(issues) }
        let created = try await policies.createVersion(
            rules: rules,
            templateID: template?.id,
            tenantID: tenantID,
            by: Actor(principal)
        )
        return EditedResponse(
            status: .created,
            headers: [.location: "/v1/tenants/\(tenantID.uuidString.lowercased())/policy/versions/\(created.version)"],
            response: created
        )
    }

    @Sendable func versions(_ request: Request, context: AuthenticatedRequestContext) async throws -> Page<PolicyVersionSummary> {
        let tenantID = try context.parameters.uuid("id")
        try context.require(actingFor: tenantID)
        let limit = try request.queryInt("limit", default: 100, range: 1...500)
        let after = Int(try request.queryCursor() ?? 0)
        let (page, hasMore) = try await policies.versions(tenantID: tenantID, after: after, limit: limit)
        return Page(items: page, nextCursor: hasMore ? page.last.map { String($0.version) } : nil)
    }

    @Sendable func version(_ request: Request, context: AuthenticatedRequestContext) async throws -> PolicyVersion {
        let tenantID = try context.parameters.uuid("id")
        try context.require(actingFor: tenantID)
        guard let text = context.parameters.get("version"), let number = Int(text), number >= 0 else {
            throw Problem.badRequest("The path parameter `version` must be a version number (1, 2, ...).")
        }
        guard number > 0 else { throw Problem.notFound("policy version") }
        return try await policies.version(number, tenantID: tenantID)
    }
}

extension PolicyVersion: ResponseEncodable {}
