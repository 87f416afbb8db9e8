public import CooperageCore
public import Foundation
import Logging
import PostgresNIO

/// Webhook endpoints and their deliveries (sql/0023), for one scope: an agency's tenant, or the cooperative (`tenant`
/// nil). Row-level security keeps each scope to its own rows: another scope's endpoint is not found.
///
/// Every change of an endpoint is audited on its scope's chain in the same transaction. Deliveries are made by the
/// fan-out trigger on `event`; the dispatcher's side (claims and outcomes) is in `WebhookStore+Dispatch.swift`.
/// ```swift
/// let endpoint = try await store.create(body, secret: WebhookSecretText, tenant: tenantID, by: Actor(principal))
/// ```
public struct WebhookStore: Sendable {
    public let database: Database

    /// The `tenant_id` of the cooperative's own rows (`event`'s convention).
    public static let cooperativeScope = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    public init(database: Database) {
        self.database = database
    }

    static let endpointColumns = """
        tenant_id, id, seq, url, description, events, enabled, disabled_reason, disabled_at, failing_since,
        secret_rotated_at, previous_secret_expires_at, created_at, updated_at, deleted_at
        """

    /// Runs `body` in the scope's transaction: the tenant's, or one with no tenant set for the cooperative.
    func inScope<Result: Sendable>(
        _ tenant: UUID?,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        if let tenant, tenant != Self.cooperativeScope { return try await database.withTenant(tenant, body) }
        return try await database.withTransaction(body)
    }

    /// The audit chain of a scope: nil for the cooperative's.
    static func auditTenant(_ scope: UUID?) -> UUID? {
        scope == cooperativeScope ? nil : scope
    }

    // MARK: Endpoints

    /// Subscribes an endpoint; `secret` (`whsec_...`) is the one the caller shows once.
    public func create(_ new: NewWebhookEndpoint, secret: String, tenant: UUID?, by actor: Actor) async throws
        -> WebhookEndpoint
    {
        let logger = database.logger
        let scope = tenant ?? Self.cooperativeScope
        return try await inScope(tenant) { connection in
            let id = try await connection.query(
                """
                INSERT INTO webhook_endpoint (tenant_id, url, description, events, secret)
                VALUES (\(scope), \(new.url), \(new.description ?? ""), \(new.events), \(secret))
                RETURNING id
                """,
                logger: logger
            ).decode(UUID.self).array().first(or: StoreError.notFound("webhook endpoint"))
            // Read back, not returned formatted: statements return plain columns only, as Citus requires.
            let endpoint = try await Self.fetch(id, on: connection, forUpdate: false, logger: logger)
            try await AuditLog.append(
                on: connection,
                tenant: tenant,
                actor: actor,
                action: .webhookCreated,
                subject: .webhookEndpoint(endpoint.id),
                payload: endpoint,
                logger: logger
            )
            return endpoint
        }
    }

    /// The scope's endpoints in creation order; deleted ones only when asked.
    public func list(tenant: UUID?, includeDeleted: Bool = false) async throws -> [WebhookEndpoint] {
        let logger = database.logger
        return try await inScope(tenant) { connection in
            try await Self.decodeEndpoints(
                connection.query(
                    """
                    SELECT \(unescaped: Self.endpointColumns) FROM webhook_endpoint
                    WHERE (\(includeDeleted) OR deleted_at IS NULL) ORDER BY seq LIMIT 1000
                    """,
                    logger: logger
                )
            )
        }
    }

    /// One endpoint of the scope (a deleted one too: its deliveries stay readable).
    public func get(_ id: UUID, tenant: UUID?) async throws -> WebhookEndpoint {
        let logger = database.logger
        return try await inScope(tenant) { connection in
            try await Self.fetch(id, on: connection, forUpdate: false, logger: logger)
        }
    }

    /// Applies a merge patch. Re-enabling clears the failure state and makes the endpoint's waiting deliveries due
    /// at once; disabling pauses them (they stay pending). A deleted endpoint cannot be changed (409).
    public func update(_ id: UUID, with changes: WebhookEndpointChanges, tenant: UUID?, by actor: Actor) async throws
        -> WebhookEndpoint
    {
        let logger = database.logger
        return try await inScope(tenant) { connection in
            let current = try await Self.fetch(id, on: connection, forUpdate: true, logger: logger)
            try Self.refuseDeleted(current)
            let enabling = changes.enabled == true && !current.enabled
            let disabling = changes.enabled == false && current.enabled
            let description: String? = changes.description.map { $0 ?? "" }
            try await connection.run(
                """
                UPDATE webhook_endpoint SET
                    url = coalesce(\(changes.url), url),
                    events = coalesce(\(changes.events), events),
                    description = coalesce(\(description), description),
                    enabled = coalesce(\(changes.enabled), enabled),
                    disabled_reason = CASE WHEN \(enabling) THEN NULL WHEN \(disabling) THEN 'disabled by an administrator'
                                           ELSE disabled_reason END,
                    disabled_at = CASE WHEN \(enabling) THEN NULL WHEN \(disabling) THEN now() ELSE disabled_at END,
                    failing_since = CASE WHEN \(enabling) THEN NULL ELSE failing_since END,
                    updated_at = now()
                WHERE id = \(id)
                """,
                logger: logger
            )
            let endpoint = try await Self.fetch(id, on: connection, forUpdate: false, logger: logger)
            if enabling {
                try await connection.run(
                    """
                    UPDATE webhook_delivery SET next_attempt_at = now()
                    WHERE endpoint_id = \(id) AND status = 'pending' AND next_attempt_at > now()
                    """,
                    logger: logger
                )
            }
            try await AuditLog.append(
                on: connection,
                tenant: tenant,
                actor: actor,
                action: .webhookUpdated,
                subject: .webhookEndpoint(id),
                payload: endpoint,
                logger: logger
            )
            return endpoint
        }
    }

    /// Deletes an endpoint: it receives nothing more, its secret is wiped, its waiting deliveries fail, and it and
    /// its deliveries stay readable (what was sent where is part of the record). Deleting twice is harmless.
    public func delete(_ id: UUID, tenant: UUID?, by actor: Actor) async throws {
        let logger = database.logger
        try await inScope(tenant) { connection in
            let current = try await Self.fetch(id, on: connection, forUpdate: true, logger: logger)
            if current.deletedAt != nil { return }
            try await connection.run(
                """
                UPDATE webhook_endpoint SET deleted_at = now(), enabled = false, secret = NULL, previous_secret = NULL,
                    previous_secret_expires_at = NULL, disabled_reason = 'deleted', disabled_at = now(), updated_at = now()
                WHERE id = \(id)
                """,
                logger: logger
            )
            let endpoint = try await Self.fetch(id, on: connection, forUpdate: false, logger: logger)
            try await connection.run(
                """
                UPDATE webhook_delivery SET status = 'failed', claim_token = NULL, claimed_by = NULL, claimed_until = NULL
                WHERE endpoint_id = \(id) AND status = 'pending'
                """,
                logger: logger
            )
            try await AuditLog.append(
                on: connection,
                tenant: tenant,
                actor: actor,
                action: .webhookDeleted,
                subject: .webhookEndpoint(id),
                payload: endpoint,
                logger: logger
            )
        }
    }

    /// Replaces the secret with `newSecret`; the replaced one keeps signing beside it for `overlap`, so receivers
    /// can switch without losing a delivery.
    public func rotateSecret(_ id: UUID, newSecret: String, overlap: Duration, tenant: UUID?, by actor: Actor) async throws
        -> WebhookEndpoint
    {
        let logger = database.logger
        let seconds = Self.seconds(overlap)
        return try await inScope(tenant) { connection in
            let current = try await Self.fetch(id, on: connection, forUpdate: true, logger: logger)
            try Self.refuseDeleted(current)
            try await connection.run(
                """
                UPDATE webhook_endpoint SET previous_secret = secret, secret = \(newSecret),
                    previous_secret_expires_at = now() + make_interval(secs => \(seconds)), secret_rotated_at = now(),
                    updated_at = now()
                WHERE id = \(id)
                """,
                logger: logger
            )
            let endpoint = try await Self.fetch(id, on: connection, forUpdate: false, logger: logger)
            try await AuditLog.append(
                on: connection,
                tenant: tenant,
                actor: actor,
                action: .webhookSecretRotated,
                subject: .webhookEndpoint(id),
                payload: endpoint,
                logger: logger
            )
            return endpoint
        }
    }

    // MARK: Deliveries

    /// An endpoint's deliveries, newest first, each with every attempt; `before` is the cursor of the previous page.
    public func deliveries(
        endpoint id: UUID,
        tenant: UUID?,
        status: WebhookDelivery.Status? = nil,
        limit: Int,
        before cursor: Int64?
    ) async throws -> ([WebhookDelivery], next: Int64?) {
        let logger = database.logger
        return try await inScope(tenant) { connection in
            _ = try await Self.fetch(id, on: connection, forUpdate: false, logger: logger)
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.deliveryColumns) FROM webhook_delivery
                WHERE endpoint_id = \(id) AND seq < \(cursor ?? Int64.max)
                  AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue))
                ORDER BY seq DESC LIMIT \(limit + 1)
                """,
                logger: logger
            )
            let page = try await Self.decodeDeliveries(rows)
            let kept = Array(page.prefix(limit))
            let attempts = try await Self.attempts(of: kept.map(\.delivery.id), on: connection, logger: logger)
            let next = page.count > limit ? kept.last?.seq : nil
            return (kept.map { $0.delivery.with(attempts: attempts[$0.delivery.id] ?? []) }, next)
        }
    }

    /// Schedules a delivery now: a pending one sooner, and one that was delivered or had failed for good once more
    /// (one attempt, not a new schedule). 409 when its endpoint is disabled or deleted.
    public func retry(delivery id: UUID, endpoint endpointID: UUID, tenant: UUID?, by actor: Actor) async throws
        -> WebhookDelivery
    {
        let logger = database.logger
        return try await inScope(tenant) { connection in
            let endpoint = try await Self.fetch(endpointID, on: connection, forUpdate: true, logger: logger)
            try Self.refuseDeleted(endpoint)
            guard endpoint.enabled else {
                throw StoreError.conflict(
                    pointer: "",
                    detail: "The endpoint is disabled (\(endpoint.disabledReason ?? "no reason recorded")); enable it first."
                )
            }
            let updated = try await connection.query(
                """
                UPDATE webhook_delivery SET next_attempt_at = now(),
                    one_more = (status <> 'pending'), status = 'pending'
                WHERE id = \(id) AND endpoint_id = \(endpointID)
                RETURNING id
                """,
                logger: logger
            ).decode(UUID.self).array()
            guard !updated.isEmpty else { throw StoreError.notFound("webhook delivery") }
            let rows = try await connection.query(
                "SELECT \(unescaped: Self.deliveryColumns) FROM webhook_delivery WHERE id = \(id)",
                logger: logger
            )
            let row = try await Self.decodeDeliveries(rows).first(or: StoreError.notFound("webhook delivery"))
            try await AuditLog.append(
                on: connection,
                tenant: tenant,
                actor: actor,
                action: .webhookDeliveryRetried,
                subject: .webhookDelivery(id),
                payload: row.delivery,
                logger: logger
            )
            let attempts = try await Self.attempts(of: [id], on: connection, logger: logger)
            return row.delivery.with(attempts: attempts[id] ?? [])
        }
    }

    // MARK: Reading rows

    static func fetch(_ id: UUID, on connection: PostgresConnection, forUpdate: Bool, logger: Logger) async throws
        -> WebhookEndpoint
    {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: endpointColumns) FROM webhook_endpoint WHERE id = \(id)
            \(unescaped: forUpdate ? "FOR UPDATE" : "")
            """,
            logger: logger
        )
        return try await decodeEndpoints(rows).first(or: StoreError.notFound("webhook endpoint"))
    }

    static func refuseDeleted(_ endpoint: WebhookEndpoint) throws {
        guard endpoint.deletedAt == nil else {
            throw StoreError.conflict(pointer: "", detail: "The webhook endpoint was deleted; it can be read but not changed.")
        }
    }

    static func decodeEndpoints(_ rows: PostgresRowSequence) async throws -> [WebhookEndpoint] {
        var endpoints: [WebhookEndpoint] = []
        for try await row in rows {
            let row = NamedRow(row)
            let tenant: UUID = try row["tenant_id"]
            endpoints.append(
                WebhookEndpoint(
                    id: try row["id"],
                    tenantId: tenant == cooperativeScope ? nil : tenant,
                    url: try row["url"],
                    description: try row["description"],
                    events: try row["events"],
                    enabled: try row["enabled"],
                    disabledReason: try row["disabled_reason"],
                    disabledAt: try row["disabled_at"],
                    failingSince: try row["failing_since"],
                    secretRotatedAt: try row["secret_rotated_at"],
                    previousSecretExpiresAt: try row["previous_secret_expires_at"],
                    createdAt: try row["created_at"],
                    updatedAt: try row["updated_at"],
                    deletedAt: try row["deleted_at"]
                )
            )
        }
        return endpoints
    }

    static let deliveryColumns = """
        id, seq, endpoint_id, event_id, event_type, status, attempt_count, next_attempt_at, delivered_at, created_at
        """

    static func decodeDeliveries(_ rows: PostgresRowSequence) async throws -> [(delivery: WebhookDelivery, seq: Int64)] {
        var deliveries: [(WebhookDelivery, Int64)] = []
        for try await row in rows {
            let row = NamedRow(row)
            let status = try row.enumValue("status", WebhookDelivery.Status.self)
            let next: Date = try row["next_attempt_at"]
            deliveries.append(
                (
                    WebhookDelivery(
                        id: try row["id"],
                        endpointId: try row["endpoint_id"],
                        eventId: try row["event_id"],
                        eventType: try row["event_type"],
                        status: status,
                        attemptCount: Int(try row["attempt_count"] as Int32),
                        nextAttemptAt: status == .pending ? next : nil,
                        deliveredAt: try row["delivered_at"],
                        createdAt: try row["created_at"],
                        attempts: []
                    ),
                    try row["seq"]
                )
            )
        }
        return deliveries
    }

    /// Every attempt of the given deliveries, in order, by delivery.
    static func attempts(of deliveries: [UUID], on connection: PostgresConnection, logger: Logger) async throws
        -> [UUID: [WebhookAttempt]]
    {
        guard !deliveries.isEmpty else { return [:] }
        let rows = try await connection.query(
            """
            SELECT delivery_id, number, attempted_at, duration_ms, response_status, error, succeeded
            FROM webhook_attempt WHERE delivery_id = ANY(\(deliveries)) ORDER BY delivery_id, number
            """,
            logger: logger
        )
        var attempts: [UUID: [WebhookAttempt]] = [:]
        for try await row in rows {
            let row = NamedRow(row)
            let status: Int32? = try row["response_status"]
            attempts[try row["delivery_id"], default: []].append(
                WebhookAttempt(
                    number: Int(try row["number"] as Int32),
                    attemptedAt: try row["attempted_at"],
                    durationMs: Int(try row["duration_ms"] as Int32),
                    responseStatus: status.map(Int.init),
                    error: try row["error"],
                    succeeded: try row["succeeded"]
                )
            )
        }
        return attempts
    }

    /// Whole and fractional seconds, for `make_interval(secs => ...)`.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

extension WebhookDelivery {
    func with(attempts: [WebhookAttempt]) -> WebhookDelivery {
        var copy = self
        copy.attempts = attempts
        return copy
    }
}
