public import Foundation

/// One entry of the outbox: something that happened to an agency's data (`tenantId`) or the cooperative's (nil).
public struct Event: Codable, Hashable, Sendable {
    public var id: UUID
    /// The agency the event belongs to; nil for the cooperative's own events.
    public var tenantId: UUID?
    /// Order of writing within its scope; the list's cursor.
    public var seq: Int64
    /// An ``EventType`` raw value; kept as text so events written by a newer server still read.
    public var type: String
    public var subject: Subject
    /// The event's facts: ids, amounts, thresholds, dates.
    public var data: JSONValue
    /// An alert stays open until acknowledged.
    public var alert: Bool
    public var occurredAt: Date
    public var acknowledgement: Acknowledgement?

    public struct Subject: Codable, Hashable, Sendable {
        public var type: String
        public var id: String

        public init(type: String, id: String) {
            self.type = type
            self.id = id
        }
    }

    /// Who closed an alert, when, and why.
    public struct Acknowledgement: Codable, Hashable, Sendable {
        public var tokenId: UUID?
        public var role: String
        public var note: String?
        public var at: Date

        public init(tokenId: UUID?, role: String, note: String?, at: Date) {
            self.tokenId = tokenId
            self.role = role
            self.note = note
            self.at = at
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, tenantId, seq, type, subject, data, alert, occurredAt, acknowledgement
    }

    // Absent values are written as null, so every event has the same members.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(tenantId, forKey: .tenantId)
        try container.encode(seq, forKey: .seq)
        try container.encode(type, forKey: .type)
        try container.encode(subject, forKey: .subject)
        try container.encode(data, forKey: .data)
        try container.encode(alert, forKey: .alert)
        try container.encode(occurredAt, forKey: .occurredAt)
        try container.encode(acknowledgement, forKey: .acknowledgement)
    }

    public init(
        id: UUID,
        tenantId: UUID?,
        seq: Int64,
        type: String,
        subject: Subject,
        data: JSONValue,
        alert: Bool,
        occurredAt: Date,
        acknowledgement: Acknowledgement?
    ) {
        self.id = id
        self.tenantId = tenantId
        self.seq = seq
        self.type = type
        self.subject = subject
        self.data = data
        self.alert = alert
        self.occurredAt = occurredAt
        self.acknowledgement = acknowledgement
    }
}
