import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/v1/events` and `/v1/alerts`: the outbox of the caller's scope. Agencies read their own events; cooperative
/// staff the cooperative's, or one agency's with `?tenantId=`. Alerts are the events that wait for a person:
/// `POST /v1/alerts/{id}/acknowledgement` closes one.
struct EventController {
    let events: EventStore

    func register(on routes: APIRoutes) {
        routes.authenticated.get("events", use: list)
        routes.authenticated.get("alerts", use: alerts)
        routes.authenticated.post("alerts/{id}/acknowledgement", use: acknowledge)
    }

    struct Acknowledgement: JSONRequestBody, Sendable {
        var note: String?

        enum CodingKeys: String, CodingKey, CaseIterable { case note }
    }

    @Sendable func list(_ request: Request, context: AuthenticatedRequestContext) async throws -> Page<Event> {
        let limit = try request.queryInt("limit", default: 100, range: 1...1000)
        let type = try request.queryEnum("type", EventType.self)
        let items = try await events.events(
            in: try scope(request, context),
            type: type,
            before: try request.queryCursor(),
            limit: limit
        )
        return Page(items: items, nextCursor: items.count == limit ? items.last.map { String($0.seq) } : nil)
    }

    @Sendable func alerts(_ request: Request, context: AuthenticatedRequestContext) async throws -> Page<Event> {
        let limit = try request.queryInt("limit", default: 100, range: 1...1000)
        let status = try request.queryEnum("status", EventStore.AlertStatus.self) ?? .open
        let items = try await events.alerts(
            in: try scope(request, context),
            status: status,
            before: try request.queryCursor(),
            limit: limit
        )
        return Page(items: items, nextCursor: items.count == limit ? items.last.map { String($0.seq) } : nil)
    }

    @Sendable func acknowledge(_ request: Request, context: AuthenticatedRequestContext) async throws -> Event {
        let id = try context.parameters.uuid("id")
        let principal = try context.require(Array(EventType.acknowledgingRoles))
        var request = request
        let body = try await request.decodeJSON(Acknowledgement.self, context: context)
        if let note = body.note, note.unicodeScalars.count > 1000 {
            throw Problem.validation([FieldIssue(pointer: "/note", detail: "must be at most 1000 characters")])
        }
        return try await events.acknowledge(id, in: try scope(request, context), note: body.note, by: Actor(principal))
    }

    /// The agency named (or the caller's own), else the cooperative's own events.
    private func scope(_ request: Request, _ context: AuthenticatedRequestContext) throws -> EventScope {
        try context.agency(namedIn: request).map(EventScope.agency) ?? .cooperative
    }
}
extension Event: ResponseEncodable {}
