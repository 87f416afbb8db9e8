import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `GET /v1/audit`: the hash-chained trail. Agencies read their own chain; cooperative admins one
/// tenant's (`?tenantId=`) or everything: every chain, the cooperative's included, newest first.
struct AuditController {
    let database: Database

    func register(on router: RouterGroup<CooperageRequestContext>) {
        router.get("audit", use: list)
    }

    @Sendable func list(_ request: Request, context: CooperageRequestContext) async throws -> Page<AuditEvent> {
        let principal = try context.principal(.cooperativeAdmin, .agencyAdmin, .agencyApprover, .agencyFinance)
        let limit = try request.queryInt("limit", default: 100, range: 1...1000)
        let cursor = try request.queryCursor() ?? 0
        let events: [AuditEvent]
        if let tenant = principal.tenantID {
            events = try await database.withTenant(tenant) { connection in
                try await AuditLog.events(
                    on: connection,
                    tenant: tenant,
                    after: cursor,
                    limit: limit,
                    descending: true,
                    logger: context.logger
                )
            }
        } else if let tenant = try request.queryUUID("tenantId") {
            events = try await database.withCooperativeScope { connection in
                try await AuditLog.events(
                    on: connection,
                    tenant: tenant,
                    after: cursor,
                    limit: limit,
                    descending: true,
                    logger: context.logger
                )
            }
        } else {
            // Everything: every agency's chain and the cooperative's, newest first; the cursor is a time.
            let all = try await database.withCooperativeScope { connection in
                try await AuditLog.allEvents(
                    on: connection,
                    beforeMicros: cursor == 0 ? nil : cursor,
                    limit: limit,
                    logger: context.logger
                )
            }
            let next = all.count == limit ? all.last.map { String($0.occurredAtMicros) } : nil
            return Page(items: all, nextCursor: next)
        }
        let next = events.count == limit ? events.last.map { String($0.seq) } : nil
        return Page(items: events, nextCursor: next)
    }
}
