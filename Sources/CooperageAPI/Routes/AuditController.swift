import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `GET /v1/audit`: the hash-chained trail, for every role. Agencies read their own chain; cooperative staff one
/// tenant's (`?tenantId=`) or everything: every chain, the cooperative's included, newest first.
struct AuditController {
    let audit: AuditStore

    func register(on routes: APIRoutes) {
        routes.authenticated.get("audit", use: list)
    }

    @Sendable func list(_ request: Request, context: AuthenticatedRequestContext) async throws -> Page<AuditEvent> {
        let limit = try request.queryInt("limit", default: 100, range: 1...1000)
        let cursor = try request.queryCursor()
        guard let tenant = try context.agency(namedIn: request) else {
            // Everything: every agency's chain and the cooperative's, newest first; the cursor is a time.
            let all = try await audit.allEvents(beforeMicros: cursor, limit: limit)
            let next = all.count == limit ? all.last.map { String($0.occurredAtMicros) } : nil
            return Page(items: all, nextCursor: next)
        }
        let events = try await audit.events(tenant: tenant, before: cursor ?? 0, limit: limit)
        let next = events.count == limit ? events.last.map { String($0.seq) } : nil
        return Page(items: events, nextCursor: next)
    }
}
