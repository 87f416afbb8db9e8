import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// Reads the outbox for the API and the console, and records acknowledgements of alerts. Row-level security decides
/// what a scope sees: an agency's transaction its own events, a transaction with no tenant set the cooperative's.
public struct EventStore: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Which alerts a list shows.
    public enum AlertStatus: String, CaseIterable, Sendable {
        case open, acknowledged, all
    }

    /// Events of `scope`, newest first, before sequence number `before` (nil: from the newest).
    public func events(in scope: EventScope, type: EventType?, before: Int64?, limit: Int) async throws -> [Event] {
        try await inScope(scope) { connection, logger in
            try await connection.query(
                """
                \(unescaped: EventLog.select)
                WHERE e.tenant_id = event_scope() AND e.seq < \(before ?? Int64.max)
                  AND (\(type?.rawValue)::text IS NULL OR e.type = \(type?.rawValue))
                ORDER BY e.seq DESC LIMIT \(limit)
                """,
                logger: logger
            ).collect().map(EventLog.event)
        }
    }

    /// Alerts of `scope`, newest first.
    public func alerts(in scope: EventScope, status: AlertStatus, before: Int64?, limit: Int) async throws -> [Event] {
        try await inScope(scope) { connection, logger in
            try await connection.query(
                """
                \(unescaped: EventLog.select)
                WHERE e.tenant_id = event_scope() AND e.alert AND e.seq < \(before ?? Int64.max)
                  AND CASE \(status.rawValue) WHEN 'open' THEN k.event_id IS NULL
                                              WHEN 'acknowledged' THEN k.event_id IS NOT NULL ELSE true END
                ORDER BY e.seq DESC LIMIT \(limit)
                """,
                logger: logger
            ).collect().map(EventLog.event)
        }
    }

    /// Closes an alert of `scope`, audited. Acknowledging one twice keeps the first acknowledgement and answers it
    /// again (a retried click is not an error); an event that is not an alert of `scope` is ``StoreError/notFound``.
    public func acknowledge(_ id: UUID, in scope: EventScope, note: String?, by actor: Actor) async throws -> Event {
        try await inScope(scope) { connection, logger in
            let inserted = try await connection.query(
                """
                INSERT INTO alert_acknowledgement (tenant_id, event_id, acknowledged_by, actor_role, note)
                SELECT e.tenant_id, e.id, \(actor.tokenID), \(actor.role), \(note)
                FROM event e WHERE e.tenant_id = event_scope() AND e.id = \(id) AND e.alert
                ON CONFLICT (tenant_id, event_id) DO NOTHING
                RETURNING event_id
                """,
                logger: logger
            ).collect()
            if !inserted.isEmpty {
                try await AuditLog.append(
                    on: connection,
                    tenant: scope.tenantID,
                    actor: actor,
                    action: .alertAcknowledged,
                    subject: .alert(id),
                    payload: ["note": note ?? ""],
                    logger: logger
                )
            }
            let rows = try await connection.query(
                """
                \(unescaped: EventLog.select)
                WHERE e.tenant_id = event_scope() AND e.id = \(id) AND e.alert
                """,
                logger: logger
            ).collect()
            guard let row = rows.first else { throw StoreError.notFound("alert") }
            return try EventLog.event(row)
        }
    }

    /// Runs `body` where row-level security shows `scope`'s events.
    private func inScope<Result: Sendable>(
        _ scope: EventScope,
        _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> Result
    ) async throws -> Result {
        let logger = database.logger
        switch scope {
        case .agency(let tenant): return try await database.withTenant(tenant) { try await body($0, logger) }
        case .cooperative: return try await database.withTransaction { try await body($0, logger) }
        }
    }
}
