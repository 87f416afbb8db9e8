import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `GET /v1/audit`: the hash-chained trail. Agencies read their own chain; cooperative admins any
/// tenant's (`?tenantId=`) or the cooperative's own chain (no tenantId).
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
                    on: connection, tenant: tenant, after: cursor, limit: limit, descending: true, logger: context.logger)
            }
        } else {
            let tenant = try request.queryUUID("tenantId")
            events = try await database.withCooperativeScope { connection in
                try await AuditLog.events(
                    on: connection, tenant: tenant, after: cursor, limit: limit, descending: true, logger: context.logger)
            }
        }
        let next = events.count == limit ? events.last.map { String($0.seq) } : nil
        return Page(items: events, nextCursor: next)
    }
}
