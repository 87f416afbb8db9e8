public import Foundation

/// One event's delivery to one endpoint, with every attempt made so far.
public struct WebhookDelivery: Codable, Hashable, Sendable {
    public enum Status: String, Codable, CaseIterable, Sendable {
        /// Not delivered yet; the dispatcher tries at `nextAttemptAt`.
        case pending
        /// A 2xx answer was received.
        case delivered
        /// Given up: the retry schedule ran out, or the endpoint was disabled or deleted. A manual retry sends it once more.
        case failed
    }

    public var id: UUID
    public var endpointId: UUID
    /// The event's id: the `webhook-id` header of every attempt, so receivers can drop duplicates.
    public var eventId: UUID
    public var eventType: String
    public var status: Status
    public var attemptCount: Int
    /// When the dispatcher tries next; nil unless pending.
    public var nextAttemptAt: Date?
    public var deliveredAt: Date?
    public var createdAt: Date
    public var attempts: [WebhookAttempt]

    public init(
        id: UUID,
        endpointId: UUID,
        eventId: UUID,
        eventType: String,
        status: Status,
        attemptCount: Int,
        nextAttemptAt: Date?,
        deliveredAt: Date?,
        createdAt: Date,
        attempts: [WebhookAttempt]
    ) {
        self.id = id
        self.endpointId = endpointId
        self.eventId = eventId
        self.eventType = eventType
        self.status = status
        self.attemptCount = attemptCount
        self.nextAttemptAt = nextAttemptAt
        self.deliveredAt = deliveredAt
        self.createdAt = createdAt
        self.attempts = attempts
    }
}

/// One attempt to deliver: when, how long, and the receiver's answer or why there was none.
public struct WebhookAttempt: Codable, Hashable, Sendable {
    /// 1 for the first attempt of its delivery.
    public var number: Int
    public var attemptedAt: Date
    public var durationMs: Int
    /// The receiver's HTTP status; nil when no answer came (see `error`).
    public var responseStatus: Int?
    public var error: String?
    public var succeeded: Bool

    public init(number: Int, attemptedAt: Date, durationMs: Int, responseStatus: Int?, error: String?, succeeded: Bool) {
        self.number = number
        self.attemptedAt = attemptedAt
        self.durationMs = durationMs
        self.responseStatus = responseStatus
        self.error = error
        self.succeeded = succeeded
    }
}
