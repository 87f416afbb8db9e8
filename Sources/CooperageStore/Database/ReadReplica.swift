public import Foundation
import PostgresNIO

/// A streaming standby of the primary (`database.replicaURL`) that serves the reads which tolerate lag (reports),
/// and the bound on how far behind it may be.
///
/// How current it is gets measured against the primary, not guessed from the standby alone: the server reads the
/// primary's WAL flush position and clock, then asks the standby whether it has replayed that far. If it has, the
/// standby holds every transaction the primary had committed at that instant, which is its as-of time (on an idle
/// primary too, where the standby's last replayed transaction can be hours old although nothing is missing). If it
/// has not, its as-of time is its last replayed transaction's commit time (`pg_last_xact_replay_timestamp()`), and
/// its lag is the primary's clock minus that time (one clock, so no skew between machines). Replay only moves
/// forward, so the report's own queries, which run after this check, read figures at least as fresh.
///
/// The standby is unusable, and ``whenUnusable`` decides what happens, when it does not answer, when it is not in
/// recovery (a promoted former standby is no longer a copy of this primary), when it has replayed nothing yet, or
/// when its lag is more than ``maxLag``.
public struct ReadReplica: Sendable {
    /// What a read meant for the replica does when the replica is unusable.
    public enum Fallback: String, Sendable, CaseIterable {
        /// Read the primary instead, and say so (`Read-From: primary`): the default.
        case primary
        /// Answer 503 (`replica-unavailable`), keeping heavy reads off the primary whatever happens.
        case unavailable
    }

    /// Why the replica could not serve a read.
    public enum Unusable: Error, Sendable, Equatable, CustomStringConvertible {
        /// It did not answer, or refused work (see ``DatabaseUnavailable``).
        case down(String)
        /// It is not a standby in recovery: promoted, or not a replica at all.
        case notStandby
        /// It has replayed no transaction since it started and has not caught up with the primary.
        case noReplayYet
        /// Its last replayed transaction is older than the primary's clock by more than the bound.
        case lagging(behind: Duration, bound: Duration)
        /// PostgreSQL cancelled a report's statement on the standby for a conflict with recovery (SQLSTATE 40001).
        case recoveryConflict

        public var description: String {
            switch self {
            case .down(let reason): "the read replica does not answer (\(reason))"
            case .notStandby: "the read replica is not a standby in recovery (promoted, or not a replica of this primary)"
            case .noReplayYet: "the read replica has replayed nothing yet and has not caught up with the primary"
            case .lagging(let behind, let bound):
                "the read replica is \(Self.seconds(behind)) behind the primary, more than the \(Self.seconds(bound)) allowed"
            case .recoveryConflict: "the read replica cancelled the report's query for a conflict with recovery"
            }
        }

        /// ``description`` without what the server or driver said (socket paths, server messages): for clients.
        public var summary: String {
            switch self {
            case .down: "the read replica does not answer"
            default: description
            }
        }

        /// A short name for logs and metrics: `down`, `not-standby`, `no-replay`, `lagging`, `recovery-conflict`.
        public var name: String {
            switch self {
            case .down: "down"
            case .notStandby: "not-standby"
            case .noReplayYet: "no-replay"
            case .lagging: "lagging"
            case .recoveryConflict: "recovery-conflict"
            }
        }

        static func seconds(_ duration: Duration) -> String {
            let milliseconds = Database.Timeouts.milliseconds(duration)
            return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : String(format: "%.1f s", Double(milliseconds) / 1000)
        }
    }

    /// The standby's pool, as `cooperage_app` (roles and passwords replicate with everything else).
    public let database: Database
    /// The most a read may lag behind the primary. `database.replicaMaxLagSeconds`.
    public let maxLag: Duration
    public let whenUnusable: Fallback

    public init(database: Database, maxLag: Duration = .seconds(30), whenUnusable: Fallback = .primary) {
        self.database = database
        self.maxLag = maxLag
        self.whenUnusable = whenUnusable
    }

    /// The instant the standby's figures are current as of, measured against `primary` as the type says; throws
    /// ``Unusable`` when it cannot serve, and ``DatabaseUnavailable`` when the primary itself does not answer.
    public func asOf(measuredAgainst primary: Database) async throws -> Date {
        guard
            let mark = try await primary.statement(
                "SELECT pg_current_wal_flush_lsn()::text AS lsn, statement_timestamp() AS at"
            ).first.map(NamedRow.init)
        else { throw CatalogSQL.UnexpectedValue(column: "pg_current_wal_flush_lsn", value: "no row") }
        let lsn: String = try mark["lsn"]
        let primaryNow: Date = try mark["at"]
        let rows: [PostgresRow]
        do {
            rows = try await database.statement(
                """
                SELECT pg_is_in_recovery() AS in_recovery,
                       coalesce(pg_last_wal_replay_lsn() >= \(lsn)::pg_lsn, false) AS caught_up,
                       pg_last_xact_replay_timestamp() AS replayed_at
                """
            )
        } catch {
            // Whatever stops this one-line question (unreachable, a wrong password or database name, a server that
            // refuses) stops the report too: the replica cannot serve, and the log says why.
            throw Unusable.down(
                DatabaseUnavailable(classifying: error)?.description ?? DatabaseFailure(error)?.description
                    ?? String(describing: error)
            )
        }
        guard let row = rows.first.map(NamedRow.init) else {
            throw CatalogSQL.UnexpectedValue(column: "pg_is_in_recovery", value: "no row")
        }
        return try Self.asOf(
            inRecovery: try row["in_recovery"],
            caughtUp: try row["caught_up"],
            replayedAt: try row["replayed_at"],
            primaryNow: primaryNow,
            maxLag: maxLag
        )
    }

    /// The rule of ``asOf(measuredAgainst:)`` on what the two servers said.
    static func asOf(inRecovery: Bool, caughtUp: Bool, replayedAt: Date?, primaryNow: Date, maxLag: Duration) throws -> Date {
        guard inRecovery else { throw Unusable.notStandby }
        if caughtUp { return primaryNow }
        guard let replayedAt else { throw Unusable.noReplayYet }
        // Clamped before the conversion, so no clock the servers report can trap it (a day past any bound is enough).
        let milliseconds = min(max(0, (primaryNow.timeIntervalSince(replayedAt) * 1000).rounded(.up)), 86_400_000 * 366)
        let behind = Duration.milliseconds(Int64(milliseconds))
        guard behind <= maxLag else { throw Unusable.lagging(behind: behind, bound: maxLag) }
        return replayedAt
    }
}
