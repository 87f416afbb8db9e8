import Foundation
import Logging
import PostgresNIO

/// The head of every audit chain at one moment, for the operator to keep outside the database.
///
/// The hash chains show an altered or removed event in the middle of a chain, but not the removal of a chain's
/// newest events: what is left is still a valid chain. An anchor taken earlier closes that gap: every chain it
/// names must still hold an event with the anchored sequence number and hash (``AuditVerifier/verify(anchors:)``),
/// so events removed from a chain's end, or a chain rewritten with fresh hashes, no longer reach it.
///
/// `cooperage audit anchor` writes it as JSON, one chain per line:
/// ```json
/// {
///   "format": "cooperage-audit-anchor/1",
///   "createdAt": "2026-03-01T12:00:00.000000Z",
///   "chains": [
///     {"tenantId": null, "seq": 41, "hash": "9f86d0…", "at": "2026-03-01T11:59:58.000001Z"},
///     {"tenantId": "0c1e7b3a-…", "seq": 1200, "hash": "2c26b4…", "at": "2026-03-01T11:58:02.123456Z"}
///   ]
/// }
/// ```
/// `tenantId` null is the cooperative's chain. A chain with no events yet is left out.
public struct AuditAnchor: Hashable, Sendable {
    /// The `format` of this version of the document; a reader refuses any other.
    public static let format = "cooperage-audit-anchor/1"

    /// When the anchor was taken (ISO 8601, UTC).
    public var createdAt: String
    public var chains: [AuditHead]
    /// Where the anchor came from, for messages (`anchor file heads.json`); not part of the document.
    public var source: String

    public init(createdAt: String, chains: [AuditHead], source: String? = nil) {
        self.createdAt = createdAt
        self.chains = chains
        self.source = source ?? "the anchor of \(createdAt)"
    }

    /// The head of every chain now, read as the administrative user (who sees every tenant's rows).
    public static func current(url: DatabaseURL, logger: Logger) async throws -> AuditAnchor {
        let connection = try await url.connect(logger: logger, startupParameters: [DatabaseURL.directConnectionProbe])
        do {
            try await connection.query("SET search_path = cooperage, public", logger: logger)
            let createdAt = AuditHead.timestamp(Date())
            let chains = try await heads(on: connection, includingCooperative: true, logger: logger)
            try await connection.close()
            return AuditAnchor(createdAt: createdAt, chains: chains)
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// The newest event of every chain that has one: the cooperative's first (when asked for), then every tenant's by id.
    /// Needs a connection that sees every tenant's audit rows (the administrative user, or the cooperative scope).
    /// Tenant chains come from `audit_chain_head`, which `audit_append` keeps: one row per tenant.
    static func heads(on connection: PostgresConnection, includingCooperative: Bool, logger: Logger) async throws
        -> [AuditHead]
    {
        let rows = try await connection.query(
            """
            SELECT tenant_id, seq, hash, micros FROM (
                SELECT NULL::uuid AS tenant_id, seq, hash, (extract(epoch FROM occurred_at) * 1000000)::bigint AS micros
                FROM (SELECT seq, hash, occurred_at FROM cooperative_audit_event ORDER BY seq DESC LIMIT 1) AS c
                WHERE \(includingCooperative)
                UNION ALL
                SELECT h.tenant_id, h.seq, h.hash, (extract(epoch FROM h.occurred_at) * 1000000)::bigint
                FROM audit_chain_head h WHERE h.seq > 0
            ) AS heads
            ORDER BY tenant_id NULLS FIRST
            """,
            logger: logger
        )
        var heads: [AuditHead] = []
        for try await (tenant, seq, hash, micros) in rows.decode((UUID?, Int64, String, Int64).self) {
            heads.append(AuditHead(tenantId: tenant, seq: seq, hash: hash, occurredAtMicros: micros))
        }
        return heads
    }

    /// The document, one chain per line, ending with a newline.
    public var json: String {
        var lines = [
            "{",
            "  \"format\": \(Self.quoted(Self.format)),",
            "  \"createdAt\": \(Self.quoted(createdAt)),",
            "  \"chains\": [",
        ]
        for (index, head) in chains.enumerated() {
            let tenant = head.tenantId.map { Self.quoted($0.uuidString.lowercased()) } ?? "null"
            lines.append(
                "    {\"tenantId\": \(tenant), \"seq\": \(head.seq), \"hash\": \(Self.quoted(head.hash)), "
                    + "\"at\": \(Self.quoted(head.at))}\(index == chains.count - 1 ? "" : ",")"
            )
        }
        lines += ["  ]", "}", ""]
        return lines.joined(separator: "\n")
    }

    /// A JSON string literal (hashes come from the database, so even they are escaped).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Reads a document written by ``json``; any other text is an ``AuditAnchorError`` that says, in one line,
    /// what is wrong and where.
    public init(json data: Data, source: String) throws(AuditAnchorError) {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch let error as DecodingError {
            throw AuditAnchorError(source: source, reason: Self.describe(error))
        } catch {
            throw AuditAnchorError(source: source, reason: "\(error)")
        }
        guard document.format == Self.format else {
            throw AuditAnchorError(
                source: source,
                reason: "format is \(Self.quoted(document.format)), not \(Self.quoted(Self.format))"
            )
        }
        var seen: Set<UUID?> = []
        for (index, head) in document.chains.enumerated() {
            guard seen.insert(head.tenantId).inserted else {
                throw AuditAnchorError(source: source, reason: "chains[\(index)]: the \(head.chainName) is anchored twice")
            }
        }
        self.init(createdAt: document.createdAt, chains: document.chains, source: source)
    }

    struct Document: Decodable {
        var format: String
        var createdAt: String
        var chains: [AuditHead]
    }

    /// A decoding error as `chains[2].hash: not 64 lower-case hexadecimal digits`.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let all = keys + (last.map { [$0] } ?? [])
            let text = all.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? "the document" : text)
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath, key)): missing"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(describe(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(describe(type)), found null"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "not JSON (\(context.debugDescription))" }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    static func describe(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Dictionary") { return "an object" }
        if name.hasPrefix("Array") { return "an array" }
        if name.hasPrefix("Int") { return "an integer" }
        if name == "String" { return "a string" }
        return "a value of type \(name)"
    }
}

/// An anchor file that cannot be read as an ``AuditAnchor``.
public struct AuditAnchorError: Error, CustomStringConvertible, Sendable {
    public let source: String
    public let reason: String
    public var description: String { "\(source) is not a valid audit anchor: \(reason)" }
}
