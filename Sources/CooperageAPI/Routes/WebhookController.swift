import CooperageCore
import CooperageStore
import CooperageWebhooks
import Foundation
import Hummingbird

/// `/v1/webhooks`: endpoints that receive signed deliveries of events (Standard Webhooks 1.0). An agency-admin
/// manages its agency's endpoints (its events), a cooperative-admin the cooperative's (the cooperative's own
/// events); every other role gets 403, and another scope's endpoint is not found (404, row-level security).
struct WebhookController {
    let webhooks: WebhookStore
    let settings: WebhookSettings

    func register(on routes: APIRoutes) {
        routes.authenticated.post("webhooks", use: create)
        routes.authenticated.get("webhooks", use: list)
        routes.authenticated.get("webhooks/{id}", use: get)
        routes.authenticated.patch("webhooks/{id}", use: update)
        routes.authenticated.delete("webhooks/{id}", use: delete)
        routes.authenticated.post("webhooks/{id}/rotate-secret", use: rotateSecret)
        routes.authenticated.get("webhooks/{id}/deliveries", use: deliveries)
        routes.authenticated.post("webhooks/{id}/deliveries/{deliveryId}/retry", use: retry)
    }

    /// An endpoint with its secret: the only answers that carry it (creation and rotation).
    struct IssuedWebhook: ResponseEncodableBody {
        var endpoint: WebhookEndpoint
        var secret: String

        enum CodingKeys: String, CodingKey { case secret }

        func encode(to encoder: any Encoder) throws {
            try endpoint.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(secret, forKey: .secret)
        }
    }

    /// The caller and its scope: its agency, or the cooperative (nil) for a cooperative-admin.
    private func scope(of context: AuthenticatedRequestContext) throws -> (Principal, UUID?) {
        let principal = try context.require(.cooperativeAdmin, .agencyAdmin)
        return (principal, principal.tenantID)
    }

    @Sendable func create(_ request: Request, context: AuthenticatedRequestContext) async throws -> EditedResponse<IssuedWebhook>
    {
        let (principal, tenant) = try scope(of: context)
        var request = request
        let body = try await request.decodeJSON(NewWebhookEndpoint.self, context: context)
        let issues = body.issues
        guard issues.isEmpty else { throw Problem.validation(issues) }
        try await checkAddress(body.url)
        let secret = WebhookSecret.generate()
        let endpoint = try await webhooks.create(body, secret: secret, tenant: tenant, by: Actor(principal))
        return EditedResponse(
            status: .created,
            headers: [.location: "/v1/webhooks/\(endpoint.id.uuidString.lowercased())"],
            response: IssuedWebhook(endpoint: endpoint, secret: secret)
        )
    }

    @Sendable func list(_ request: Request, context: AuthenticatedRequestContext) async throws -> Page<WebhookEndpoint> {
        let (_, tenant) = try scope(of: context)
        let includeDeleted = try request.queryBool("includeDeleted") ?? false
        return Page(items: try await webhooks.list(tenant: tenant, includeDeleted: includeDeleted), nextCursor: nil)
    }

    @Sendable func get(_ request: Request, context: AuthenticatedRequestContext) async throws -> WebhookEndpoint {
        let id = try context.parameters.uuid("id")
        let (_, tenant) = try scope(of: context)
        return try await webhooks.get(id, tenant: tenant)
    }

    @Sendable func update(_ request: Request, context: AuthenticatedRequestContext) async throws -> WebhookEndpoint {
        let id = try context.parameters.uuid("id")
        let (principal, tenant) = try scope(of: context)
        var request = request
        let changes = try await request.decodeJSON(WebhookEndpointChanges.self, context: context)
        let issues = changes.issues
        guard issues.isEmpty else { throw Problem.validation(issues) }
        if let url = changes.url { try await checkAddress(url) }
        return try await webhooks.update(id, with: changes, tenant: tenant, by: Actor(principal))
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        let (principal, tenant) = try scope(of: context)
        try await webhooks.delete(id, tenant: tenant, by: Actor(principal))
        return Response(status: .noContent)
    }

    @Sendable func rotateSecret(_ request: Request, context: AuthenticatedRequestContext) async throws -> IssuedWebhook {
        let id = try context.parameters.uuid("id")
        let (principal, tenant) = try scope(of: context)
        let secret = WebhookSecret.generate()
        let endpoint = try await webhooks.rotateSecret(
            id,
            newSecret: secret,
            overlap: settings.secretOverlap,
            tenant: tenant,
            by: Actor(principal)
        )
        return IssuedWebhook(endpoint: endpoint, secret: secret)
    }

    @Sendable func deliveries(_ request: Request, context: AuthenticatedRequestContext) async throws -> Page<WebhookDelivery> {
        let id = try context.parameters.uuid("id")
        let (_, tenant) = try scope(of: context)
        let limit = try request.queryInt("limit", default: 50, range: 1...200)
        let status = try request.queryEnum("status", WebhookDelivery.Status.self)
        let (page, next) = try await webhooks.deliveries(
            endpoint: id,
            tenant: tenant,
            status: status,
            limit: limit,
            before: try request.queryCursor()
        )
        return Page(items: page, nextCursor: next.map(String.init))
    }

    @Sendable func retry(_ request: Request, context: AuthenticatedRequestContext) async throws -> EditedResponse<WebhookDelivery>
    {
        let id = try context.parameters.uuid("id")
        let deliveryID = try context.parameters.uuid("deliveryId")
        let (principal, tenant) = try scope(of: context)
        let delivery = try await webhooks.retry(delivery: deliveryID, endpoint: id, tenant: tenant, by: Actor(principal))
        return EditedResponse(status: .accepted, response: delivery)
    }

    /// A 422 naming `url` when its host resolves to an address webhooks may not reach.
    private func checkAddress(_ url: String) async throws {
        let guardian = AddressGuard(allowPrivateAddresses: settings.allowPrivateAddresses)
        if let refusal = await guardian.refusal(for: url) {
            throw Problem.validation([FieldIssue(pointer: "/url", detail: "may not be used: \(refusal)")])
        }
    }
}

extension WebhookEndpoint: ResponseEncodable {}
extension WebhookDelivery: ResponseEncodable {}
