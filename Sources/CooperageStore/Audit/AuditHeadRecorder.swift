import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Records every tenant chain's head in the cooperative's audit chain when the server starts and then every
/// `interval` (`audit.anchorInterval`, a day by default): an anchor inside the database, so that removing a tenant
/// chain's newest events (which leaves a valid, shorter chain) fails `cooperage audit verify` once those events'
/// heads were recorded.
///
/// Each recording is one cooperative event, action `audit.heads-recorded`, whose payload is an ``AuditAnchor``
/// document of the tenant chains (kept in `cooperative_audit_heads`, sql/schema.sql; the event's payload digest covers it).
/// Several server instances record one set per half interval between them, not one each: a recorder skips its turn
/// when another recorded less than half an interval ago. A database that cannot be reached or refuses the
/// recording is logged, and the recorder tries again a minute later (or at its interval, if that is shorter); it
/// never stops the server.
/// ```swift
/// app.addServices(database, AuditHeadRecorder(database: database, interval: .seconds(86_400), logger: logger))
/// ```
public struct AuditHeadRecorder: Service {
    /// The audit action of a recording.
    public static let action = AuditAction.auditHeadsRecorded
    public static let defaultInterval: Duration = .seconds(86_400)
    /// How soon a failed recording is tried again (at most the interval).
    static let retryDelay: Duration = .seconds(60)

    let database: Database
    let interval: Duration
    let logger: Logger

    public init(database: Database, interval: Duration = Self.defaultInterval, logger: Logger) {
        self.database = database
        self.interval = interval
        self.logger = logger
    }

    /// An interval as configured: a whole number with a unit, `24h`, `30m`, `90s` or `1d` (a bare number is seconds);
    /// nil unless it is at least a second and at most 366 days.
    public static func interval(parsing text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        var digits = Substring(trimmed)
        var unit: Int64 = 1
        if let last = trimmed.last, let seconds = units[last] {
            digits = trimmed.dropLast()
            unit = seconds
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), digits.count <= 9,
            let number = Int64(digits)
        else { return nil }
        let seconds = number * unit
        guard (1...(366 * 86_400)).contains(seconds) else { return nil }
        return .seconds(seconds)
    }

    /// Records now, then once per interval, until the application shuts down.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let recorded = await self.recordOnce()
                do {
                    try await Task.sleep(for: recorded ? self.interval : min(self.interval, Self.retryDelay))
                } catch {
                    return
                }
            }
        }
    }

    /// One turn: records the heads unless another recorder did less than half an interval ago. False (and a
    /// warning in the log) when the database could not do it.
    @discardableResult
    public func recordOnce() async -> Bool {
        do {
            if let seq = try await Self.record(database: database, unlessRecordedWithin: interval / 2) {
                logger.info("recorded the audit chains' heads", metadata: ["cooperativeEvent": "\(seq)"])
            } else {
                logger.debug("audit chains' heads were recorded recently; skipped")
            }
            return true
        } catch {
            if Task.isCancelled { return false }
            logger.warning(
                "could not record the audit chains' heads; trying again later",
                metadata: ["error": "\(DatabaseFailure(error)?.description ?? String(describing: error))"]
            )
            return false
        }
    }

    /// Appends one `audit.heads-recorded` event to the cooperative chain, with the head of every tenant chain that
    /// has events, and returns its sequence number; nil when such an event is younger than `window`.
    ///
    /// One transaction as the server's role: the cooperative chain's lock (the one `audit_append` takes, so
    /// recorders of several instances go one at a time), the heads through the cooperative read path
    /// (`cooperage_coop`, which may read every tenant's audit rows), then back to the server's role to append.
    public static func record(database: Database, unlessRecordedWithin window: Duration? = nil) async throws -> Int64? {
        let logger = database.logger
        let citus = database.citus
        return try await database.withTransaction { connection -> Int64? in
            if citus {
                // The heads are read from every shard, then the cooperative's chain (a reference table) is written:
                // Citus wants that done over one connection per node (measured: refused after a parallel read).
                try await connection.run("SET LOCAL citus.multi_shard_modify_mode = 'sequential'", logger: logger)
            }
            try await connection.run("SELECT pg_advisory_xact_lock(16757, 0)", logger: logger)
            if let window {
                let seconds = Double(window.components.seconds) + Double(window.components.attoseconds) / 1e18
                let recent = try await connection.query(
                    """
                    SELECT EXISTS (SELECT FROM cooperative_audit_event
                                   WHERE action = \(action.rawValue) AND occurred_at > clock_timestamp() - make_interval(secs => \(seconds)))
                    """,
                    logger: logger
                ).decode(Bool.self).array()
                if recent.first == true { return nil }
            }
            try await connection.run("SET LOCAL ROLE cooperage_coop", logger: logger)
            let heads = try await AuditAnchor.heads(on: connection, includingCooperative: false, logger: logger)
            try await connection.run("SET LOCAL ROLE NONE", logger: logger)
            let document = AuditAnchor(createdAt: AuditHead.timestamp(Date()), chains: heads).json
            let seq = try await connection.query(
                """
                SELECT audit_append(NULL, NULL, \(Actor.system.role), \(action.rawValue),
                                    \(AuditSubject.Kind.auditChainHeads.rawValue),
                                    \(String(heads.count)), \(AuditEvent.digest(json: Array(document.utf8))))
                """,
                logger: logger
            ).decode(Int64.self).array().first
            guard let seq else { throw StoreError.notFound("the appended audit event") }
            try await connection.run(
                "INSERT INTO cooperative_audit_heads (seq, heads) VALUES (\(seq), \(document))",
                logger: logger
            )
            return seq
        }
    }
}
