import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// Writes and reads the event outbox (sql/0022) on a connection the caller holds, so an event commits or rolls
/// back with the change it describes.
public enum EventLog {
    /// Publishes one event into `scope` (an agency's own transaction, or any transaction for the cooperative's).
    /// Returns its id, or nil when `dedupeKey` was already raised there.
    @discardableResult
    public static func publish(
        on connection: PostgresConnection,
        scope: EventScope,
        type: EventType,
        subject: Event.Subject,
        data: JSONValue,
        dedupeKey: String? = nil,
        logger: Logger
    ) async throws -> UUID? {
        let tenant = scope.tenantID
        let dataText = try JSONColumn.text(data)
        let rows = try await connection.query(
            """
            SELECT event_publish(\(tenant), \(type.rawValue), \(subject.type), \(subject.id), \(dataText)::jsonb,
                                 \(type.isAlert), \(dedupeKey))
            """,
            logger: logger
        ).collect()
        return try rows.first?.decode(UUID?.self)
    }

    /// The start of every read of events: the columns ``event(_:)`` reads, from `event e` with its acknowledgement.
    static let select = """
        SELECT e.id, e.tenant_id, e.seq, e.type, e.subject_type, e.subject_id, e.data::text AS data, e.alert,
               e.occurred_at, k.acknowledged_by, k.actor_role, k.note, k.acknowledged_at
        FROM event e LEFT JOIN alert_acknowledgement k ON k.tenant_id = e.tenant_id AND k.event_id = e.id
        """

    static let nilTenant = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    static func event(_ postgresRow: PostgresRow) throws -> Event {
        let row = NamedRow(postgresRow)
        let tenant: UUID = try row["tenant_id"]
        let acknowledgedAt: Date? = try row["acknowledged_at"]
        let acknowledgement = try acknowledgedAt.map { at in
            Event.Acknowledgement(
                tokenId: try row["acknowledged_by"],
                role: try row["actor_role"],
                note: try row["note"],
                at: at
            )
        }
        return Event(
            id: try row["id"],
            tenantId: tenant == nilTenant ? nil : tenant,
            seq: try row["seq"],
            type: try row["type"],
            subject: Event.Subject(type: try row["subject_type"], id: try row["subject_id"]),
            data: try row.json("data", JSONValue.self),
            alert: try row["alert"],
            occurredAt: try row["occurred_at"],
            acknowledgement: acknowledgement
        )
    }
}
