import Foundation
import Logging
import PostgresNIO

/// Walks every audit chain and reports the first link that does not hold.
public struct AuditVerifier: Sendable {
    public struct Report: Sendable {
        public var chainsChecked: Int
        public var eventsChecked: Int
        /// The first broken link, in words; nil when every chain holds.
        public var firstBreak: String?
    }

    public let url: DatabaseURL
    public let logger: Logger

    public init(url: DatabaseURL, logger: Logger) {
        self.url = url
        self.logger = logger
    }

    /// Reads as the administrative user (the audit trail of every tenant), in pages.
    public func verify() async throws -> Report {
        let connection = try await url.connect(logger: logger)
        defer { Task { try? await connection.close() } }
        try await connection.query("SET search_path = cooperage, public", logger: logger)
        var report = Report(chainsChecked: 0, eventsChecked: 0, firstBreak: nil)
        let tenants = try await connection.query("SELECT DISTINCT tenant_id FROM audit_event ORDER BY tenant_id", logger: logger)
            .decode(UUID.self).array()
        for chain in [nil] + tenants.map(Optional.some) {
            report.chainsChecked += 1
            var previous = AuditEvent.genesis
            var expectedSeq: Int64 = 1
            var after: Int64 = 0
            while true {
                let page = try await AuditLog.events(on: connection, tenant: chain, after: after, limit: 5000, logger: logger)
                if page.isEmpty { break }
                for event in page {
                    report.eventsChecked += 1
                    let name = "\(chain.map { "tenant \($0.uuidString.lowercased())" } ?? "cooperative chain") event \(event.seq)"
                    if event.seq != expectedSeq {
                        report.firstBreak =
                            "\(name): expected event \(expectedSeq) next; events \(expectedSeq)…\(event.seq - 1) were removed"
                        return report
                    }
                    if event.previousHash != previous {
                        report.firstBreak =
                            "\(name): its previous hash does not match event \(event.seq - 1) (a row was altered or replaced)"
                        return report
                    }
                    if event.computedHash != event.hash {
                        report.firstBreak =
                            "\(name) (\(event.action) \(event.subjectType) \(event.subjectId)): its contents do not match its hash (the row was altered)"
                        return report
                    }
                    previous = event.hash
                    expectedSeq += 1
                }
                after = page.last!.seq
            }
        }
        return report
    }
}
