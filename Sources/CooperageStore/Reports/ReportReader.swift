public import CooperageCore
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Builds reports on the read replica when one is configured and usable, else on the primary, and says which
/// and how current (``ReportFreshness``).
///
/// Only the reports go to the replica: they read aggregates, tolerate a bounded lag and say how fresh they are.
/// Everything else stays on the primary, including what a report request needs before it is built: the bearer
/// token is checked on the primary (a revoked token must stop working at once, whatever the replica has
/// replayed), and the primary's WAL position is read to measure the replica (``ReadReplica``). A report the
/// replica answers "not found" (an agency created after the replica's as-of time) is built again on the primary,
/// so a 404 is never the replica's word. When the replica is unusable, ``ReadReplica/whenUnusable`` decides:
/// the primary answers (the default), or the read fails with ``ReplicaUnavailable``.
public final class ReportReader: Sendable {
    /// A report and where it came from.
    public struct Read: Sendable {
        public var document: any ReportDocument
        public var freshness: ReportFreshness
        /// Why the replica did not serve it, when one is configured; nil when it did, or when there is none.
        public var fallback: ReadReplica.Unusable?
    }

    public let primary: ReportStore
    public let replica: ReadReplica?
    private let replicaStore: ReportStore?
    private let logger: Logger
    /// Whether the last read found the replica usable: a change is logged once, not on every report.
    private let lastUsable = Mutex<Bool?>(nil)

    public init(primary: ReportStore, replica: ReadReplica?) {
        self.primary = primary
        self.replica = replica
        self.replicaStore = replica.map { ReportStore(database: $0.database, useRollups: primary.useRollups) }
        self.logger = primary.database.logger
    }

    /// The report `parameters` name, as `scope` may see it, from the replica when it can serve.
    public func build(_ parameters: ReportParameters, scope: ReportScope) async throws -> Read {
        guard let replica, let replicaStore else { return try await fromPrimary(parameters, scope: scope, fallback: nil) }
        let unusable: ReadReplica.Unusable
        switch try await fromReplica(parameters, scope: scope, replica: replica, store: replicaStore) {
        case .served(let read):
            note(usable: true, nil)
            return read
        case .notFound:
            // The replica may not have replayed the object yet; only the primary may say it does not exist.
            return try await fromPrimary(parameters, scope: scope, fallback: nil)
        case .unusable(let reason):
            unusable = reason
        }
        note(usable: false, unusable)
        switch replica.whenUnusable {
        case .primary: return try await fromPrimary(parameters, scope: scope, fallback: unusable)
        case .unavailable: throw ReplicaUnavailable(reason: unusable)
        }
    }

    private enum ReplicaOutcome {
        case served(Read)
        case notFound
        case unusable(ReadReplica.Unusable)
    }

    /// The report from the replica, or why not. The primary's own failures (while the replica is measured against
    /// it) are thrown as they are: falling back to a primary that does not answer would not help.
    private func fromReplica(
        _ parameters: ReportParameters,
        scope: ReportScope,
        replica: ReadReplica,
        store: ReportStore
    ) async throws -> ReplicaOutcome {
        let asOf: Date
        do {
            asOf = try await replica.asOf(measuredAgainst: primary.database)
        } catch let reason as ReadReplica.Unusable {
            return .unusable(reason)
        }
        do {
            let document = try await store.build(parameters, scope: scope)
            return .served(Read(document: document, freshness: ReportFreshness(source: .replica, asOf: asOf), fallback: nil))
        } catch StoreError.notFound {
            return .notFound
        } catch let error as PSQLError where error.sqlState == .serializationFailure {
            // Replay removed rows a statement still needed (past max_standby_streaming_delay); the primary has them.
            return .unusable(.recoveryConflict)
        } catch {
            guard let unavailable = DatabaseUnavailable(classifying: error) else { throw error }
            return .unusable(.down(unavailable.description))
        }
    }

    private func fromPrimary(
        _ parameters: ReportParameters,
        scope: ReportScope,
        fallback: ReadReplica.Unusable?
    ) async throws -> Read {
        // The primary is current: its figures are as of the moment the report starts reading them.
        let asOf = Date()
        let document = try await primary.build(parameters, scope: scope)
        return Read(document: document, freshness: ReportFreshness(source: .primary, asOf: asOf), fallback: fallback)
    }

    private func note(usable: Bool, _ reason: ReadReplica.Unusable?) {
        let changed = lastUsable.withLock { last in
            defer { last = usable }
            return last != usable
        }
        guard changed else { return }
        if usable {
            logger.notice("the read replica serves reports")
        } else if let reason, let replica {
            logger.warning(
                "the read replica cannot serve reports",
                metadata: [
                    "reason": "\(reason)", "then": "\(replica.whenUnusable == .primary ? "read the primary" : "answer 503")",
                ]
            )
        }
    }
}

/// A report meant for the read replica, with ``ReadReplica/Fallback/unavailable`` configured and the replica
/// unusable: the API answers 503 `replica-unavailable` with `Retry-After`.
public struct ReplicaUnavailable: Error, Sendable, CustomStringConvertible {
    public let reason: ReadReplica.Unusable
    public var description: String { reason.description }
}
