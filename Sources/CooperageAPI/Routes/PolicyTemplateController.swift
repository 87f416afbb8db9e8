import CooperageCore
import Foundation
import Hummingbird

/// `/v1/policy-templates`: the starting policies shipped with Cooperage, readable by every role.
struct PolicyTemplateController {
    let catalog: PolicyTemplateCatalog

    func register(on routes: APIRoutes) {
        routes.authenticated.get("policy-templates", use: list)
        routes.authenticated.get("policy-templates/{id}", use: get)
    }

    @Sendable func list(_ request: Request, context: AuthenticatedRequestContext) async throws -> Page<PolicyTemplateSummary> {
        let entityType = try request.queryEnum("entityType", EntityType.self)
        let jurisdiction = request.uri.queryParameters.get("jurisdiction").map { String($0) }
        if let jurisdiction, jurisdiction != "US", USState(jurisdiction) == nil {
            throw Problem.badRequest("The query parameter `jurisdiction` must be a two-letter state code or US.")
        }
        let templates = try catalog.all().filter { template in
            (jurisdiction.map { template.jurisdiction == $0 } ?? true)
                && (entityType.map { template.entityTypes.contains($0) } ?? true)
        }
        return Page(items: templates.map(PolicyTemplateSummary.init), nextCursor: nil)
    }

    @Sendable func get(_ request: Request, context: AuthenticatedRequestContext) async throws -> PolicyTemplate {
        guard let id = context.parameters.get("id"), let template = try catalog.template(id: id) else {
            throw Problem.notFound("policy template")
        }
        return template
    }
}

extension PolicyTemplate: ResponseEncodable {}
