import CooperageCore
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Raises the date-driven alerts (`agreement.expiring`, `participation.expiring`) when the server starts and then
/// every `interval` (`alerts.interval`, a day by default).
///
/// Each alert is raised once per subject, date and threshold, whatever the number of server instances or restarts:
/// its dedupe key is unique in the outbox (sql/0022), so a second instance's attempt, or a second run the same day,
/// inserts nothing. The thresholds (90, 60 and 30 days before an agreement expires; 60 and 30 before a
/// participation instrument does) are rows of `alert_threshold`, not constants. A check raises only the nearest
/// threshold passed: an agreement found 20 days from its end raises the 30-day alert, not the 90- and 60-day ones
/// too. A renewal that moves the expiry re-arms them (the date is part of the key). A database that cannot be
/// reached is logged and tried again a minute later; the scheduler never stops the server.
public struct AlertScheduler: Service {
    public static let defaultInterval: Duration = .seconds(86_400)
    static let retryDelay: Duration = .seconds(60)

    let database: Database
    let interval: Duration
    let logger: Logger
    /// Further date-driven checks (supplier reports overdue), run after the built-in ones with the same date.
    let checks: [@Sendable (LocalDate) async throws -> Int]

    public init(
        database: Database,
        interval: Duration = Self.defaultInterval,
        checks: [@Sendable (LocalDate) async throws -> Int] = [],
        logger: Logger
    ) {
        self.database = database
        self.interval = interval
        self.checks = checks
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let done = await self.checkOnce()
                do {
                    try await Task.sleep(for: done ? self.interval : min(self.interval, Self.retryDelay))
                } catch {
                    return
                }
            }
        }
    }

    /// One turn for today; false (and a warning in the log) when the database could not do it.
    @discardableResult
    public func checkOnce(today: LocalDate = .today()) async -> Bool {
        do {
            let raised = try await raiseDue(asOf: today)
            logger.info("checked date-driven alerts", metadata: ["raised": "\(raised)", "asOf": "\(today)"])
            return true
        } catch {
            if Task.isCancelled { return false }
            logger.warning(
                "could not check date-driven alerts; trying again later",
                metadata: ["error": "\(DatabaseFailure(error)?.description ?? String(describing: error))"]
            )
            return false
        }
    }

    /// Raises every alert due on `today` that was not raised before, and returns how many it raised.
    public func raiseDue(asOf today: LocalDate) async throws -> Int {
        var raised = try await raiseAgreementsExpiring(asOf: today)
        raised += try await raiseParticipationsExpiring(asOf: today)
        raised += try await raiseCounterAlerts()
        for check in checks { raised += try await check(today) }
        return raised
    }

    /// The ceiling and price-tier alerts the agreements' counters have reached and that were not raised yet: a safety
    /// net where they are raised inline, and the only way they are raised on Citus (`on_citus()`).
    func raiseCounterAlerts() async throws -> Int {
        let logger = logger
        return try await database.withTransaction { connection in
            try await connection.query("SELECT agreement_counter_alerts()", logger: logger).decode(Int.self).array()
                .first ?? 0
        }
    }

    /// The cooperative's alerts for active agreements within a threshold of their expiry.
    func raiseAgreementsExpiring(asOf today: LocalDate) async throws -> Int {
        let logger = logger
        let day = today.description
        return try await database.withTransaction { connection in
            let rows = try await connection.query(
                """
                SELECT event_publish(
                           NULL, 'agreement.expiring', 'agreement', a.id::text,
                           jsonb_build_object('agreementId', a.id, 'number', a.number, 'title', a.title,
                                              'expiresOn', a.expires_on, 'daysLeft', a.expires_on - \(day)::date,
                                              'thresholdDays', t.threshold,
                                              'renewalsLeft', (SELECT count(*) FROM jsonb_array_elements(a.renewal_options) o
                                                               WHERE NOT coalesce((o ->> 'exercised')::boolean, false))),
                           true, 'agreement.expiring:' || a.id || ':' || a.expires_on || ':' || t.threshold) AS id
                FROM agreement a
                CROSS JOIN LATERAL (SELECT min(h.threshold) AS threshold FROM alert_threshold h
                                    WHERE h.event_type = 'agreement.expiring'
                                      AND h.threshold >= a.expires_on - \(day)::date) t
                WHERE a.status = 'active' AND a.expires_on >= \(day)::date AND t.threshold IS NOT NULL
                ORDER BY a.id
                """,
                logger: logger
            ).decode(UUID?.self).array()
            return rows.compactMap { $0 }.count
        }
    }

    /// Each agency's alerts for its participation instruments within a threshold of their expiry. The instruments
    /// are found through the cooperative read path (every agency's), and each alert is published in its agency's
    /// own scope, in one transaction.
    func raiseParticipationsExpiring(asOf today: LocalDate) async throws -> Int {
        let (logger, citus) = (logger, database.citus)
        let day = today.description
        return try await database.withTransaction { connection in
            try await connection.run("SET LOCAL ROLE cooperage_coop", logger: logger)
            let due = try await connection.query(
                """
                SELECT p.tenant_id, p.id, p.kind, p.agreement_id, to_char(p.expires_on, 'YYYY-MM-DD') AS expires_on,
                       p.expires_on - \(day)::date AS days_left, t.threshold
                FROM participation p
                CROSS JOIN LATERAL (SELECT min(h.threshold) AS threshold FROM alert_threshold h
                                    WHERE h.event_type = 'participation.expiring'
                                      AND h.threshold >= p.expires_on - \(day)::date) t
                WHERE p.expires_on >= \(day)::date AND t.threshold IS NOT NULL
                ORDER BY p.tenant_id, p.id
                """,
                logger: logger
            ).collect()
            try await connection.run("SET LOCAL ROLE NONE", logger: logger)
            var raised = 0
            for postgresRow in due {
                let row = NamedRow(postgresRow)
                let tenant: UUID = try row["tenant_id"]
                let id: UUID = try row["id"]
                let agreement: UUID? = try row["agreement_id"]
                let expiresOn: String = try row["expires_on"]
                let daysLeft: Int32 = try row["days_left"]
                let threshold: Int32 = try row["threshold"]
                try await Database.setTenant(tenant, on: connection, citus: citus, logger: logger)
                var data: [String: JSONValue] = [
                    "participationId": .string(id.uuidString.lowercased()),
                    "kind": .string(try row["kind"]),
                    "expiresOn": .string(expiresOn),
                    "daysLeft": .int(Int(daysLeft)),
                    "thresholdDays": .int(Int(threshold)),
                ]
                if let agreement { data["agreementId"] = .string(agreement.uuidString.lowercased()) }
                let published = try await EventLog.publish(
                    on: connection,
                    scope: .agency(tenant),
                    type: .participationExpiring,
                    subject: Event.Subject(type: "participation", id: id.uuidString.lowercased()),
                    data: .object(data),
                    dedupeKey: "participation.expiring:\(id.uuidString.lowercased()):\(expiresOn):\(threshold)",
                    logger: logger
                )
                if published != nil { raised += 1 }
            }
            return raised
        }
    }
}
