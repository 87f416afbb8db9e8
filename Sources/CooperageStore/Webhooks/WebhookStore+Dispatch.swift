import CooperageCore
public import Foundation
import Logging
import PostgresNIO

/// A delivery a dispatcher has claimed: everything it needs to send it, and the claim's token, which its outcome
/// must present (a claim whose lease lapsed and was taken over no longer decides the delivery's state).
public struct ClaimedDelivery: Sendable, Hashable {
    /// The scope's `tenant_id` (``WebhookStore/cooperativeScope`` for the cooperative).
    public var scope: UUID
    public var id: UUID
    public var claimToken: UUID
    public var endpointID: UUID
    public var url: String
    /// The current secret, then the previous one while it still signs.
    public var secrets: [String]
    /// The event's id: the `webhook-id` header.
    public var eventID: UUID
    public var eventType: String
    /// The JSON body, the same bytes on every attempt.
    public var body: String
    /// Attempts made so far on the retry schedule.
    public var scheduledAttempts: Int
    /// A manual retry of a delivery that was finished: one attempt only.
    public var oneMore: Bool
}

/// What one attempt came to.
public struct AttemptOutcome: Sendable, Hashable {
    public var startedAt: Date
    public var durationMilliseconds: Int
    /// The receiver's HTTP status, nil when no response came.
    public var responseStatus: Int?
    /// Why there was no response or why it counts as a failure; nil for a 2xx.
    public var error: String?
    /// When to try again after a failure; nil: the delivery has failed for good.
    public var retryIn: Duration?
    /// The receiver answered 410 Gone: the endpoint is disabled at once.
    public var gone: Bool

    public var succeeded: Bool { responseStatus.map { (200..<300).contains($0) } ?? false }

    public init(
        startedAt: Date,
        durationMilliseconds: Int,
        responseStatus: Int?,
        error: String?,
        retryIn: Duration?,
        gone: Bool = false
    ) {
        self.startedAt = startedAt
        self.durationMilliseconds = durationMilliseconds
        self.responseStatus = responseStatus
        self.error = error
        self.retryIn = retryIn
        self.gone = gone
    }
}

/// What recording an outcome did.
public struct RecordedAttempt: Sendable, Hashable {
    /// The attempt's number within its delivery.
    public var number: Int
    /// False when the claim had lapsed and another dispatcher holds the delivery: only the attempt was recorded.
    public var decided: Bool
    /// The endpoint was disabled by this outcome (410, or failing longer than allowed); its event was published.
    public var disabledEndpoint: Bool
}

extension WebhookStore {
    /// Scopes with deliveries due now to enabled endpoints, those due longest first: read across scopes through the
    /// cooperative's read path (which sees no secrets), so that each scope's deliveries are then claimed inside it.
    public func scopesWithDueDeliveries(limit: Int) async throws -> [UUID] {
        let logger = database.logger
        return try await database.withCooperativeScope { connection in
            try await connection.query(
                """
                SELECT d.tenant_id FROM webhook_delivery d
                JOIN webhook_endpoint w ON w.tenant_id = d.tenant_id AND w.id = d.endpoint_id
                WHERE d.status = 'pending' AND d.next_attempt_at <= now()
                  AND (d.claimed_until IS NULL OR d.claimed_until <= now()) AND w.enabled
                GROUP BY d.tenant_id ORDER BY min(d.next_attempt_at) LIMIT \(limit)
                """,
                logger: logger
            ).decode(UUID.self).array()
        }
    }

    /// Claims up to `limit` due deliveries of one scope for `lease`: the rows are locked with `FOR UPDATE SKIP
    /// LOCKED` (two dispatchers never take one row) and marked claimed until the lease ends (so a dispatcher that
    /// dies mid-send lets its claims lapse, and another takes them over). The transaction ends before anything is
    /// sent. The lease counts from the transaction's start (`now()`: Citus refuses a volatile clock in an UPDATE).
    public func claim(scope: UUID, dispatcher: String, lease: Duration, limit: Int) async throws -> [ClaimedDelivery] {
        let logger = database.logger
        let seconds = Self.seconds(lease)
        // One token for this claim: the outcome of each delivery presents it.
        let token = UUID()
        return try await inScope(scope) { connection in
            try await connection.run(
                """
                WITH due AS (
                    SELECT d.tenant_id, d.id FROM webhook_delivery d
                    JOIN webhook_endpoint w ON w.tenant_id = d.tenant_id AND w.id = d.endpoint_id
                    WHERE d.tenant_id = \(scope) AND d.status = 'pending' AND d.next_attempt_at <= now()
                      AND (d.claimed_until IS NULL OR d.claimed_until <= now()) AND w.enabled AND w.deleted_at IS NULL
                    ORDER BY d.next_attempt_at LIMIT \(limit)
                    FOR UPDATE OF d SKIP LOCKED)
                UPDATE webhook_delivery d
                SET claim_token = \(token), claimed_by = \(dispatcher),
                    claimed_until = now() + make_interval(secs => \(seconds))
                FROM due
                WHERE d.tenant_id = due.tenant_id AND d.id = due.id
                """,
                logger: logger
            )
            // What to send, read in the claim's transaction. The body is the same bytes on every attempt.
            let rows = try await connection.query(
                """
                SELECT d.tenant_id, d.id, d.claim_token, d.endpoint_id, w.url, w.secret,
                    CASE WHEN w.previous_secret_expires_at > now() THEN w.previous_secret END AS previous_secret,
                    d.event_id, d.event_type, d.scheduled_attempts, d.one_more,
                    jsonb_build_object(
                        'id', e.id, 'type', e.type,
                        'occurredAt', to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                        'tenantId', CASE WHEN e.tenant_id <> \(Self.cooperativeScope) THEN e.tenant_id END,
                        'subject', jsonb_build_object('type', e.subject_type, 'id', e.subject_id),
                        'data', e.data)::text AS body
                FROM webhook_delivery d
                JOIN webhook_endpoint w ON w.tenant_id = d.tenant_id AND w.id = d.endpoint_id
                JOIN event e ON e.tenant_id = d.tenant_id AND e.id = d.event_id
                WHERE d.tenant_id = \(scope) AND d.claim_token = \(token)
                ORDER BY d.next_attempt_at
                """,
                logger: logger
            )
            var claimed: [ClaimedDelivery] = []
            for try await row in rows {
                let row = NamedRow(row)
                let current: String? = try row["secret"]
                let previous: String? = try row["previous_secret"]
                claimed.append(
                    ClaimedDelivery(
                        scope: try row["tenant_id"],
                        id: try row["id"],
                        claimToken: try row["claim_token"],
                        endpointID: try row["endpoint_id"],
                        url: try row["url"],
                        secrets: [current, previous].compactMap { $0 },
                        eventID: try row["event_id"],
                        eventType: try row["event_type"],
                        body: try row["body"],
                        scheduledAttempts: Int(try row["scheduled_attempts"] as Int32),
                        oneMore: try row["one_more"]
                    )
                )
            }
            return claimed
        }
    }

    /// Records one attempt and what follows from it, in one transaction of the delivery's scope: the attempt row
    /// (always: it happened), then, while the claim is still this dispatcher's, the delivery's new state (delivered,
    /// due again after `retryIn`, or failed for good) and the endpoint's failure state. An endpoint that answered
    /// 410 Gone, or whose attempts have all failed for `disableAfter`, is disabled, audited and announced by a
    /// `webhook.endpoint-disabled` event in its scope (its waiting deliveries stay pending until it is enabled again).
    ///
    /// Locks the endpoint, then the delivery: the order every writer of both uses.
    public func record(
        _ outcome: AttemptOutcome,
        for delivery: ClaimedDelivery,
        dispatcher: String,
        disableAfter: Duration
    ) async throws -> RecordedAttempt {
        let logger = database.logger
        let disableSeconds = Self.seconds(disableAfter)
        let retrySeconds = outcome.retryIn.map(Self.seconds)
        let error = outcome.error.map { String($0.prefix(1000)) }
        return try await inScope(delivery.scope) { connection in
            try await connection.run(
                "SELECT 1 FROM webhook_endpoint WHERE id = \(delivery.endpointID) FOR UPDATE",
                logger: logger
            )
            let state = try await connection.query(
                "SELECT attempt_count, claim_token FROM webhook_delivery WHERE id = \(delivery.id) FOR UPDATE",
                logger: logger
            ).decode((Int32, UUID?).self).array().first(or: StoreError.notFound("webhook delivery"))
            let number = Int(state.0) + 1
            let decided = state.1 == delivery.claimToken
            try await connection.run(
                """
                INSERT INTO webhook_attempt (tenant_id, delivery_id, number, attempted_at, duration_ms, response_status, error,
                                             succeeded, dispatcher)
                VALUES (\(delivery.scope), \(delivery.id), \(number), \(outcome.startedAt),
                        \(max(0, min(outcome.durationMilliseconds, Int(Int32.max)))), \(outcome.responseStatus), \(error),
                        \(outcome.succeeded), \(dispatcher))
                """,
                logger: logger
            )
            guard decided else {
                try await connection.run(
                    """
                    UPDATE webhook_delivery SET attempt_count = \(number), last_attempt_at = \(outcome.startedAt),
                        last_response_status = \(outcome.responseStatus)
                    WHERE id = \(delivery.id)
                    """,
                    logger: logger
                )
                return RecordedAttempt(number: number, decided: false, disabledEndpoint: false)
            }
            let status = outcome.succeeded ? "delivered" : (retrySeconds == nil ? "failed" : "pending")
            try await connection.run(
                """
                UPDATE webhook_delivery SET attempt_count = \(number), last_attempt_at = \(outcome.startedAt),
                    last_response_status = \(outcome.responseStatus), status = \(status),
                    scheduled_attempts = scheduled_attempts + \(delivery.oneMore ? 0 : 1), one_more = false,
                    next_attempt_at = CASE WHEN \(status) = 'pending' THEN now() + make_interval(secs => \(retrySeconds ?? 0))
                                           ELSE next_attempt_at END,
                    delivered_at = CASE WHEN \(outcome.succeeded) THEN now() ELSE delivered_at END,
                    claim_token = NULL, claimed_by = NULL, claimed_until = NULL
                WHERE id = \(delivery.id)
                """,
                logger: logger
            )
            if outcome.succeeded {
                try await connection.run(
                    "UPDATE webhook_endpoint SET failing_since = NULL WHERE id = \(delivery.endpointID) AND failing_since IS NOT NULL",
                    logger: logger
                )
                return RecordedAttempt(number: number, decided: true, disabledEndpoint: false)
            }
            let reason = outcome.gone ? "the endpoint answered 410 Gone" : nil
            let disabled = try await connection.query(
                """
                UPDATE webhook_endpoint SET failing_since = coalesce(failing_since, \(outcome.startedAt)),
                    enabled = CASE WHEN \(outcome.gone)
                                     OR coalesce(failing_since, \(outcome.startedAt)) <= now() - make_interval(secs => \(disableSeconds))
                                   THEN false ELSE enabled END,
                    disabled_at = CASE WHEN \(outcome.gone)
                                         OR coalesce(failing_since, \(outcome.startedAt)) <= now() - make_interval(secs => \(disableSeconds))
                                       THEN now() ELSE disabled_at END,
                    disabled_reason = CASE
                        WHEN \(outcome.gone) THEN \(reason)
                        WHEN coalesce(failing_since, \(outcome.startedAt)) <= now() - make_interval(secs => \(disableSeconds))
                        THEN 'every delivery attempt failed since '
                             || to_char(coalesce(failing_since, \(outcome.startedAt)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                        ELSE disabled_reason END,
                    updated_at = now()
                WHERE id = \(delivery.endpointID) AND enabled AND deleted_at IS NULL
                RETURNING enabled, url, disabled_reason, failing_since
                """,
                logger: logger
            ).decode((Bool, String, String?, Date?).self).array().first
            guard let disabled, !disabled.0 else {
                return RecordedAttempt(number: number, decided: true, disabledEndpoint: false)
            }
            try await Self.announceDisabled(
                endpoint: delivery.endpointID,
                scope: delivery.scope,
                url: disabled.1,
                reason: disabled.2 ?? "failing",
                failingSince: disabled.3,
                lastStatus: outcome.responseStatus,
                on: connection,
                logger: logger
            )
            return RecordedAttempt(number: number, decided: true, disabledEndpoint: true)
        }
    }

    /// The facts of a `webhook.endpoint-disabled` event.
    struct EndpointDisabled: Encodable {
        /// Lowercase, as the event's subject id.
        var endpointId: String
        var url: String
        var reason: String
        var failingSince: Date?
        var lastResponseStatus: Int?
    }

    /// Audits the dispatcher's disabling of an endpoint and publishes `webhook.endpoint-disabled` in its scope, in
    /// the transaction that disabled it.
    static func announceDisabled(
        endpoint: UUID,
        scope: UUID,
        url: String,
        reason: String,
        failingSince: Date?,
        lastStatus: Int?,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        let facts = EndpointDisabled(
            endpointId: endpoint.uuidString.lowercased(),
            url: url,
            reason: reason,
            failingSince: failingSince,
            lastResponseStatus: lastStatus
        )
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let data = try JSONDecoder().decode(JSONValue.self, from: try encoder.encode(facts))
        let tenant = auditTenant(scope)
        try await AuditLog.append(
            on: connection,
            tenant: tenant,
            actor: .system,
            action: .webhookDisabled,
            subject: .webhookEndpoint(endpoint),
            payload: facts,
            logger: logger
        )
        try await EventLog.publish(
            on: connection,
            scope: tenant.map(EventScope.agency) ?? .cooperative,
            type: .webhookEndpointDisabled,
            subject: Event.Subject(type: AuditSubject.Kind.webhookEndpoint.rawValue, id: endpoint.uuidString.lowercased()),
            data: data,
            logger: logger
        )
    }
}
