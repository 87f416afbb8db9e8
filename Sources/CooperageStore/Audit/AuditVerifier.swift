import Foundation
import Logging
import PostgresNIO

/// Walks every audit chain and reports the first link that does not hold.
///
/// A chain alone shows an event altered or removed in its middle, but not events removed from its end: what is
/// left is still a valid chain. So the heads anchored earlier must still be reached, each chain holding an event
/// with the anchored sequence number and hash: the heads in ``AuditAnchor`` files kept outside the database
/// (`cooperage audit verify --anchor FILE`) and the tenant chains' heads that the cooperative chain recorded
/// (``AuditHeadRecorder``).
public struct AuditVerifier: Sendable {
    public struct Report: Sendable {
        public var chainsChecked: Int
        public var eventsChecked: Int
        /// Heads from anchor files found in their chains.
        public var anchoredHeadsChecked: Int = 0
        /// Heads recorded in the cooperative chain found in their chains (each chain and sequence number counted once).
        public var recordedHeadsChecked: Int = 0
        /// The first broken link, in words; nil when every chain holds.
        public var firstBreak: String?
        /// The chain of the first broken link; nil when every chain holds.
        public var brokenChain: BrokenChain?
    }

    /// Where the first broken link is.
    public enum BrokenChain: Hashable, Sendable {
        /// The cooperative's chain, or its recordings of the tenant chains' heads.
        case cooperative
        case tenant(UUID)
    }

    public let url: DatabaseURL
    public let logger: Logger

    public init(url: DatabaseURL, logger: Logger) {
        self.url = url
        self.logger = logger
    }

    /// A head some chain must still reach, and who said so.
    struct Expectation {
        var hash: String
        var source: String
        var fromFile: Bool
    }

    /// Which chains a verification walks.
    public enum Chains: Hashable, Sendable {
        /// Every chain: the cooperative's, then each tenant's.
        case all
        /// The cooperative's chain (whose recordings of the tenant chains' heads are then trusted) and this
        /// tenant's chain: what one agency's status rests on.
        case tenant(UUID)
    }

    /// Reads as the administrative user (the audit trail of every tenant), in pages. Every chain must also reach the
    /// heads of `anchors` and the heads recorded in the cooperative chain.
    public func verify(anchors: [AuditAnchor] = []) async throws -> Report {
        let connection = try await url.connect(logger: logger, startupParameters: [DatabaseURL.directConnectionProbe])
        defer { Task { try? await connection.close() } }
        try await connection.query("SET search_path = cooperage, public", logger: logger)
        return try await Self.verify(on: connection, chains: .all, anchors: anchors, logger: logger)
    }

    /// The same checks over `connection`, which must read every chain: the administrative user's (above), or the
    /// server's in the cooperative scope (``Database/withCooperativeScope(_:)``), as the console does.
    public static func verify(
        on connection: PostgresConnection,
        chains: Chains,
        anchors: [AuditAnchor] = [],
        logger: Logger
    ) async throws -> Report {
        var report = Report(chainsChecked: 0, eventsChecked: 0, firstBreak: nil)
        var expected: [UUID?: [Int64: [Expectation]]] = [:]
        for anchor in anchors {
            for head in anchor.chains {
                expected[head.tenantId, default: [:]][head.seq, default: []].append(
                    Expectation(hash: head.hash, source: anchor.source, fromFile: true)
                )
            }
        }
        if let broken = try await walk(nil, expected: expected[nil] ?? [:], on: connection, report: &report, logger: logger) {
            report.firstBreak = broken
            report.brokenChain = .cooperative
            return report
        }
        // The cooperative chain holds, so its recordings of the tenant chains' heads can be trusted.
        do {
            try await addRecordedHeads(to: &expected, on: connection, logger: logger)
        } catch let error as RecordedHeadsError {
            report.firstBreak = error.description
            report.brokenChain = .cooperative
            return report
        }
        let walked: [UUID]
        switch chains {
        case .tenant(let tenant): walked = [tenant]
        case .all:
            let tenants = try await connection.query(
                "SELECT DISTINCT tenant_id FROM audit_event ORDER BY tenant_id",
                logger: logger
            ).decode(UUID.self).array()
            // Chains an anchor names but that are gone from the database are checked too (and found wanting).
            let gone = Set(expected.keys.compactMap { $0 }).subtracting(tenants)
            walked = (tenants + gone).sorted(by: { $0.uuidString < $1.uuidString })
        }
        for chain in walked {
            if let broken = try await walk(
                chain,
                expected: expected[chain] ?? [:],
                on: connection,
                report: &report,
                logger: logger
            ) {
                report.firstBreak = broken
                report.brokenChain = .tenant(chain)
                return report
            }
        }
        return report
    }

    /// Checks one chain from its first event, and that it reaches every head `expected` of it; the first break in
    /// words, or nil.
    private static func walk(
        _ chain: UUID?,
        expected: [Int64: [Expectation]],
        on connection: PostgresConnection,
        report: inout Report,
        logger: Logger
    ) async throws -> String? {
        report.chainsChecked += 1
        let chainName = AuditHead.chainName(chain)
        var previous = AuditEvent.genesis
        var expectedSeq: Int64 = 1
        var after: Int64 = 0
        while true {
            let page = try await AuditLog.events(on: connection, tenant: chain, after: after, limit: 5000, logger: logger)
            guard let last = page.last else { break }
            for event in page {
                report.eventsChecked += 1
                let name = "\(chainName) event \(event.seq)"
                if event.seq != expectedSeq {
                    return "\(name): expected event \(expectedSeq) next; events \(expectedSeq)…\(event.seq - 1) were removed"
                }
                if event.previousHash != previous {
                    return "\(name): its previous hash does not match event \(expectedSeq - 1) (a row was altered or replaced)"
                }
                if event.computedHash != event.hash {
                    return
                        "\(name) (\(event.action) \(event.subjectType) \(event.subjectId)): its contents do not match its hash (the row was altered)"
                }
                for anchored in expected[event.seq] ?? [] {
                    if anchored.hash != event.hash {
                        return
                            "\(name): its hash is \(event.hash.prefix(16))…, but \(anchored.source) has \(anchored.hash.prefix(16))… (the chain was rewritten up to this event)"
                    }
                    count(anchored, in: &report)
                }
                previous = event.hash
                expectedSeq += 1
            }
            after = last.seq
        }
        let end = expectedSeq - 1
        if case let (seq, anchored)? = expected.filter({ $0.key > end }).min(by: { $0.key < $1.key }),
            let first = anchored.first
        {
            let removed = end + 1 == seq ? "event \(seq) was removed" : "events \(end + 1)…\(seq) were removed"
            if end == 0 {
                return "\(chainName): it has no events, but \(first.source) has its head at event \(seq): the chain was removed"
            }
            return
                "\(chainName): it ends at event \(end), but \(first.source) has its head at event \(seq): \(removed) from its end"
        }
        return nil
    }

    private static func count(_ expectation: Expectation, in report: inout Report) {
        if expectation.fromFile {
            report.anchoredHeadsChecked += 1
        } else {
            report.recordedHeadsChecked += 1
        }
    }

    /// A recording of heads in the cooperative chain that cannot be read back.
    struct RecordedHeadsError: Error, CustomStringConvertible {
        let description: String
    }

    /// Adds the tenant chains' heads that the cooperative chain recorded (``AuditHeadRecorder``), each after checking
    /// that its text is the one the event's payload digest covers. A head recorded on several days is expected once.
    private static func addRecordedHeads(
        to expected: inout [UUID?: [Int64: [Expectation]]],
        on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        let rows = try await connection.query(
            """
            SELECT e.seq, e.payload_digest, h.heads FROM cooperative_audit_event e
            LEFT JOIN cooperative_audit_heads h ON h.seq = e.seq
            WHERE e.action = \(AuditHeadRecorder.action.rawValue)
            ORDER BY e.seq
            """,
            logger: logger
        )
        for try await (seq, digest, text) in rows.decode((Int64, String, String?).self) {
            let name = "cooperative chain event \(seq) (\(AuditHeadRecorder.action.rawValue))"
            guard let text else {
                throw RecordedHeadsError(description: "\(name): the heads it recorded are missing (a row was removed)")
            }
            guard AuditEvent.digest(json: Array(text.utf8)) == digest else {
                throw RecordedHeadsError(
                    description: "\(name): the heads it recorded do not match its digest (they were altered)"
                )
            }
            let recorded: AuditAnchor
            do {
                recorded = try AuditAnchor(json: Data(text.utf8), source: name)
            } catch {
                throw RecordedHeadsError(description: error.description)
            }
            for head in recorded.chains {
                var atSeq = expected[head.tenantId, default: [:]][head.seq, default: []]
                if atSeq.contains(where: { !$0.fromFile && $0.hash == head.hash }) { continue }
                atSeq.append(Expectation(hash: head.hash, source: name, fromFile: false))
                expected[head.tenantId, default: [:]][head.seq] = atSeq
            }
        }
    }
}
