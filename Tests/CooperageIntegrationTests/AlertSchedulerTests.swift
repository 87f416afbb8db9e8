import CooperageCore
import CooperageStore
import Foundation
import PostgresNIO
import Testing

/// Date-driven alerts (``AlertScheduler``): raised once at the nearest threshold passed, in the right scope, however
/// many schedulers run.
@Suite struct AlertSchedulerTests {
    /// Events about `subject` in the scope of `tenant` (nil: the cooperative's), read as the administrator.
    func raised(about subject: String, tenant: String? = nil) async throws -> [(type: String, threshold: Int)] {
        try await Fixtures.admin { connection in
            try await connection.query(
                """
                SELECT type, (data ->> 'thresholdDays')::int FROM event
                WHERE subject_id = \(subject)
                  AND tenant_id = coalesce(\(tenant.flatMap(UUID.init(uuidString:)))::uuid, '00000000-0000-0000-0000-000000000000')
                ORDER BY seq
                """,
                logger: TestDatabase.logger
            ).decode((String, Int).self).array().map { (type: $0.0, threshold: $0.1) }
        }
    }

    /// A second pool of the server's role: another server instance on the same database.
    func withSecondInstance(_ body: @Sendable (Database) async throws -> Void) async throws {
        let database = try await TestDatabase.database()
        let running = Task { try await database.run() }
        defer { running.cancel() }
        try await body(database)
    }

    @Test func anAgreementNearItsEndRaisesTheNearestThresholdOnce() async throws {
        try await withApp { client in
            let lead = try await client.createTenant()
            // Alone in its years: no other test's agreement ends near 2031.
            let agreement = try await Fixtures.agreement(lead: lead, expiresOn: "2031-03-15")
            let scheduler = AlertScheduler(database: try await SharedPool.database.value, logger: TestDatabase.logger)
            _ = try await scheduler.raiseDue(asOf: LocalDate(iso8601: "2030-12-01")!)  // 104 days: none yet
            #expect(try await raised(about: agreement).isEmpty)
            _ = try await scheduler.raiseDue(asOf: LocalDate(iso8601: "2031-02-23")!)  // 20 days: the 30-day alert only
            _ = try await scheduler.raiseDue(asOf: LocalDate(iso8601: "2031-02-24")!)  // the next day: nothing new
            #expect(try await raised(about: agreement).map(\.threshold) == [30])
            #expect(try await raised(about: agreement).map(\.type) == ["agreement.expiring"])
            // A renewal moves the expiry: the alerts are armed again for the new date.
            try await Fixtures.admin { connection in
                try await connection.query(
                    "UPDATE agreement SET expires_on = '2031-05-15' WHERE id = \(UUID(uuidString: agreement)!)",
                    logger: TestDatabase.logger
                )
            }
            _ = try await scheduler.raiseDue(asOf: LocalDate(iso8601: "2031-02-24")!)  // 80 days: the 90-day alert
            #expect(try await raised(about: agreement).map(\.threshold) == [30, 90])
        }
    }

    @Test func twoInstancesCheckingAtOnceRaiseOneAlert() async throws {
        try await withApp { client in
            let lead = try await client.createTenant()
            let agreement = try await Fixtures.agreement(lead: lead, expiresOn: "2032-06-30")
            let day = LocalDate(iso8601: "2032-05-01")!
            let first = AlertScheduler(database: try await SharedPool.database.value, logger: TestDatabase.logger)
            try await withSecondInstance { database in
                let second = AlertScheduler(database: database, logger: TestDatabase.logger)
                async let a = first.raiseDue(asOf: day)
                async let b = second.raiseDue(asOf: day)
                _ = try await (a, b)
                _ = try await second.raiseDue(asOf: day)
            }
            #expect(try await raised(about: agreement).map(\.threshold) == [60])
        }
    }

    @Test func aParticipationNearItsEndAlertsItsOwnAgency() async throws {
        try await withApp { client in
            let agency = try await client.createTenant()
            let id = try await Fixtures.admin { connection in
                try await connection.query(
                    """
                    INSERT INTO participation (tenant_id, kind, resolution_number, resolution_date, effective_on, expires_on)
                    VALUES (\(UUID(uuidString: agency)!), 'interlocal-agreement', 'R-1', '2030-01-05', '2030-01-01', '2033-04-10')
                    RETURNING id
                    """,
                    logger: TestDatabase.logger
                ).decode(UUID.self).array().first!.uuidString.lowercased()
            }
            let scheduler = AlertScheduler(database: try await SharedPool.database.value, logger: TestDatabase.logger)
            _ = try await scheduler.raiseDue(asOf: LocalDate(iso8601: "2033-02-23")!)  // 46 days left
            #expect(try await raised(about: id, tenant: agency).map(\.threshold) == [60])
            #expect(try await raised(about: id).isEmpty)
            // The agency reads it as an open alert.
            let admin = try await client.token(for: agency, role: "agency-admin")
            let alerts = try await client.send(.get, "/v1/alerts", token: admin)
            let items = alerts.json["items"] as? [[String: Any]] ?? []
            #expect(items.compactMap { $0["type"] as? String } == ["participation.expiring"])
        }
    }
}
