import Foundation
import Logging
import PostgresNIO

/// Appends to and reads the hash-chained audit trail, inside the caller's transaction.
///
/// Every state change and every decision appends one event in the same transaction as the change,
/// so a change is never committed without its audit record. The append is one statement, the SQL
/// function `audit_append` (sql/schema.sql): it locks the chain's head (a tenant's row in `audit_chain_head`, on
/// the tenant's shard on Citus), so two concurrent changes never fork a chain, and inserts the event with its hash
/// (the same hash as ``AuditEvent/computedHash``, which `cooperage audit verify` recomputes).
/// ```swift
/// try await AuditLog.append(on: connection, tenant: tenantID, actor: Actor(principal),
///                           action: .usageReversed, subject: .usage(id), payload: reversal)
/// ```
public enum AuditLog {
    public static func append(
        on connection: PostgresConnection,
        tenant: UUID?,
        actor: Actor,
        action: AuditAction,
        subject: AuditSubject,
        payload: some Encodable,
        logger: Logger
    ) async throws {
        try await append(
            on: connection,
            tenant: tenant,
            actor: actor,
            action: action,
            subject: subject,
            payloadDigest: AuditEvent.digest(of: payload),
            logger: logger
        )
    }

    /// The same, for a payload whose digest the caller has already computed.
    static func append(
        on connection: PostgresConnection,
        tenant: UUID?,
        actor: Actor,
        action: AuditAction,
        subject: AuditSubject,
        payloadDigest: String,
        logger: Logger
    ) async throws {
        try await connection.run(
            """
            SELECT audit_append(\(tenant), \(actor.tokenID), \(actor.role), \(action.rawValue), \(subject.type.rawValue),
                                \(subject.id), \(payloadDigest))
            """,
            logger: logger
        )
    }

    /// The columns of an event, read by ``AuditEvent/init(row:tenant:)``.
    static let columns = """
        seq, (extract(epoch FROM occurred_at) * 1000000)::bigint AS occurred_at_micros, actor_token_id, actor_role, action,
        subject_type, subject_id, payload_digest, previous_hash, hash
        """

    /// Events of one chain in order, `after` the given sequence number, at most `limit`.
    public static func events(
        on connection: PostgresConnection,
        tenant: UUID?,
        after: Int64 = 0,
        limit: Int = 1000,
        descending: Bool = false,
        logger: Logger
    ) async throws -> [AuditEvent] {
        let order = descending ? "DESC" : "ASC"
        let rows: PostgresRowSequence
        if let tenant {
            rows = try await connection.query(
                """
                SELECT \(unescaped: columns) FROM audit_event
                WHERE tenant_id = \(tenant) AND (\(descending) AND (\(after) = 0 OR seq < \(after)) OR NOT \(descending) AND seq > \(after))
                ORDER BY seq \(unescaped: order) LIMIT \(limit)
                """,
                logger: logger
            )
        } else {
            rows = try await connection.query(
                """
                SELECT \(unescaped: columns) FROM cooperative_audit_event
                WHERE (\(descending) AND (\(after) = 0 OR seq < \(after)) OR NOT \(descending) AND seq > \(after))
                ORDER BY seq \(unescaped: order) LIMIT \(limit)
                """,
                logger: logger
            )
        }
        var events: [AuditEvent] = []
        for try await row in rows { events.append(try AuditEvent(row: NamedRow(row), tenant: tenant)) }
        return events
    }

    /// Every chain's events together (the cooperative's view), newest first, before `beforeMicros` when given.
    /// Needs a connection that may read all tenants' rows (the cooperative scope).
    public static func allEvents(on connection: PostgresConnection, beforeMicros: Int64?, limit: Int, logger: Logger) async throws
        -> [AuditEvent]
    {
        let rows = try await connection.query(
            """
            SELECT * FROM (
                SELECT tenant_id, \(unescaped: columns) FROM audit_event
                UNION ALL
                SELECT NULL::uuid, \(unescaped: columns) FROM cooperative_audit_event) AS e
            WHERE \(beforeMicros)::bigint IS NULL OR occurred_at_micros < \(beforeMicros)
            ORDER BY occurred_at_micros DESC, tenant_id NULLS FIRST, seq DESC
            LIMIT \(limit)
            """,
            logger: logger
        )
        var events: [AuditEvent] = []
        for try await row in rows {
            let row = NamedRow(row)
            events.append(try AuditEvent(row: row, tenant: try row["tenant_id"]))
        }
        return events
    }
}

extension AuditEvent {
    /// An event of ``AuditLog/columns``, in `tenant`'s chain (nil: the cooperative's).
    init(row: NamedRow, tenant: UUID?) throws {
        self.init(
            tenantId: tenant,
            seq: try row["seq"],
            occurredAtMicros: try row["occurred_at_micros"],
            actorTokenId: try row["actor_token_id"],
            actorRole: try row["actor_role"],
            action: try row["action"],
            subjectType: try row["subject_type"],
            subjectId: try row["subject_id"],
            payloadDigest: try row["payload_digest"],
            previousHash: try row["previous_hash"],
            hash: try row["hash"]
        )
    }
}
