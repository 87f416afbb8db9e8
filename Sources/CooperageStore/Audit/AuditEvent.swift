import Crypto
import Foundation

/// One link of a hash chain: a change, who made it, and the hash binding it to the link before.
public struct AuditEvent: Codable, Hashable, Sendable {
    /// The tenant whose chain this is; nil for the cooperative's chain.
    public var tenantId: UUID?
    public var seq: Int64
    /// Microseconds since 1970, exactly as stored (the hash covers this integer).
    public var occurredAtMicros: Int64
    public var actorTokenId: UUID?
    public var actorRole: String
    public var action: String
    public var subjectType: String
    public var subjectId: String
    /// SHA-256 of the change's JSON payload.
    public var payloadDigest: String
    public var previousHash: String
    public var hash: String

    /// The hash of the first link's predecessor.
    public static let genesis = String(repeating: "0", count: 64)

    /// SHA-256 over the previous hash and every field, newline-separated; any edit changes it.
    public var computedHash: String {
        let fields = [
            previousHash, String(seq), tenantId?.uuidString.lowercased() ?? "cooperative", String(occurredAtMicros),
            actorTokenId?.uuidString.lowercased() ?? "-", actorRole, action, subjectType, subjectId, payloadDigest,
        ]
        return Self.hex(SHA256.hash(data: Data(fields.joined(separator: "\n").utf8)))
    }

    public var occurredAt: Date { Date(timeIntervalSince1970: Double(occurredAtMicros) / 1_000_000) }

    /// Lower-case hexadecimal (String(format:) per byte was 6% of a usage request's CPU).
    static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for byte in digest {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// SHA-256 of canonical JSON written elsewhere (the same as ``digest(of:)`` of the value it encodes).
    public static func digest(json: [UInt8]) -> String {
        hex(SHA256.hash(data: json))
    }

    /// SHA-256 of a payload's canonical JSON (sorted keys).
    public static func digest(of payload: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = (try? encoder.encode(payload)) ?? Data()
        return hex(SHA256.hash(data: data))
    }
}
