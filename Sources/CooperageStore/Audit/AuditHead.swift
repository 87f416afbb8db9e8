import Foundation

/// The newest event of one audit chain: what an anchor keeps, and what the chain must still reach later.
///
/// Its JSON is `{"tenantId": null | "uuid", "seq": 41, "hash": "64 hex digits", "at": "2026-03-01T11:59:58.000001Z"}`
/// (`tenantId` null for the cooperative's chain; `at` is the event's time, in UTC to the microsecond, for people:
/// the hash already covers the time).
public struct AuditHead: Hashable, Sendable {
    /// The tenant whose chain this is; nil for the cooperative's chain.
    public var tenantId: UUID?
    public var seq: Int64
    public var hash: String
    public var at: String

    public init(tenantId: UUID?, seq: Int64, hash: String, at: String) {
        self.tenantId = tenantId
        self.seq = seq
        self.hash = hash
        self.at = at
    }

    public init(tenantId: UUID?, seq: Int64, hash: String, occurredAtMicros: Int64) {
        self.init(tenantId: tenantId, seq: seq, hash: hash, at: Self.timestamp(micros: occurredAtMicros))
    }

    /// The chain's name in messages, as `cooperage audit verify` names it.
    public var chainName: String { Self.chainName(tenantId) }

    static func chainName(_ tenant: UUID?) -> String {
        tenant.map { "tenant \($0.uuidString.lowercased())" } ?? "cooperative chain"
    }

    /// ISO 8601 in UTC with six fractional digits: `2026-03-01T11:59:58.000001Z`.
    public static func timestamp(micros: Int64) -> String {
        var (seconds, fraction) = micros.quotientAndRemainder(dividingBy: 1_000_000)
        if fraction < 0 {
            // Before 1970: the fraction counts forwards from the second before.
            seconds -= 1
            fraction += 1_000_000
        }
        let whole = Date(timeIntervalSince1970: Double(seconds)).formatted(.iso8601)
        let digits = String(fraction)
        return "\(whole.dropLast()).\(String(repeating: "0", count: max(0, 6 - digits.count)))\(digits)Z"
    }

    /// The same for a time that is not an event's (when an anchor was made).
    public static func timestamp(_ date: Date) -> String {
        timestamp(micros: Int64(exactly: (date.timeIntervalSince1970 * 1_000_000).rounded()) ?? 0)
    }
}

extension AuditHead: Codable {
    enum CodingKeys: String, CodingKey {
        case tenantId, seq, hash, at
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let text = try container.decodeIfPresent(String.self, forKey: .tenantId) {
            guard let tenant = UUID(uuidString: text) else {
                throw DecodingError.dataCorruptedError(forKey: .tenantId, in: container, debugDescription: "not a UUID")
            }
            tenantId = tenant
        } else {
            tenantId = nil
        }
        seq = try container.decode(Int64.self, forKey: .seq)
        guard seq >= 1 else {
            throw DecodingError.dataCorruptedError(forKey: .seq, in: container, debugDescription: "must be 1 or more")
        }
        hash = try container.decode(String.self, forKey: .hash)
        guard hash.utf8.count == 64, hash.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw DecodingError.dataCorruptedError(
                forKey: .hash,
                in: container,
                debugDescription: "not 64 lower-case hexadecimal digits"
            )
        }
        at = try container.decode(String.self, forKey: .at)
    }

    /// Writes `tenantId` as null for the cooperative's chain, rather than leaving it out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tenantId?.uuidString.lowercased(), forKey: .tenantId)
        try container.encode(seq, forKey: .seq)
        try container.encode(hash, forKey: .hash)
        try container.encode(at, forKey: .at)
    }
}
