import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// The cooperative staff's overview (console home): counts and attention lists, read across tenants through the
/// cooperative scope. The thresholds are the caller's (the console's display policy), not rules of the program.
public struct AdminOverviewStore: Sendable {
    public let database: Database

    /// Each attention list shows at most this many items.
    public static let listLimit = 50

    public init(database: Database) {
        self.database = database
    }

    /// What needs attention on `today`.
    /// - Parameters:
    ///   - expiryWindowDays: agreements and instruments ending within this many days are listed.
    ///   - ceilingPercent: agreements with at least this percentage of their ceiling committed are listed.
    /// A quarter's sales report is overdue once its agreement's due date has passed (`supplier_report_due_days` after
    /// the quarter ended, 30 unless the agreement says otherwise).
    public func overview(today: LocalDate, expiryWindowDays: Int, ceilingPercent: Int) async throws
        -> AdminOverview
    {
        let day = today.description
        let quarterStart = today.firstOfQuarter
        let limit = Self.listLimit
        let logger = database.logger
        return try await database.withCooperativeScope { connection in
            let countRows = try await connection.query(
                """
                SELECT (SELECT count(*) FROM tenant) AS agencies,
                       (SELECT count(*) FROM tenant WHERE status = 'active') AS active_agencies,
                       (SELECT count(*) FROM supplier) AS suppliers,
                       (SELECT count(*) FROM agreement) AS agreements,
                       (SELECT count(*) FROM agreement WHERE status = 'active') AS active_agreements,
                       (SELECT coalesce(sum(amount_cents), 0) FROM agreement_rollup
                        WHERE period = 'quarter' AND period_start = \(quarterStart.description)::date)::bigint AS usage_cents
                """,
                logger: logger
            )
            var counts: (Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0)
            for try await row in countRows {
                let row = NamedRow(row)
                counts = (
                    try row["agencies"], try row["active_agencies"], try row["suppliers"], try row["agreements"],
                    try row["active_agreements"], try row["usage_cents"]
                )
            }
            let expiring = try await Self.agreements(
                connection.query(
                    """
                    SELECT \(unescaped: Self.agreementColumns) FROM \(unescaped: Self.agreementSource)
                    WHERE a.status = 'active'
                      AND a.expires_on BETWEEN \(day)::date AND \(day)::date + \(expiryWindowDays)::int
                    ORDER BY a.expires_on, a.number LIMIT \(limit + 1)
                    """,
                    logger: logger
                )
            )
            let nearCeiling = try await Self.agreements(
                connection.query(
                    """
                    SELECT \(unescaped: Self.agreementColumns) FROM \(unescaped: Self.agreementSource)
                    WHERE a.status = 'active' AND a.ceiling_cents > 0
                      AND c.committed_cents::numeric * 100 >= a.ceiling_cents::numeric * \(ceilingPercent)::int
                    ORDER BY c.committed_cents::numeric / a.ceiling_cents DESC, a.number LIMIT \(limit + 1)
                    """,
                    logger: logger
                )
            )
            let instruments = try await Self.instruments(
                connection.query(
                    """
                    SELECT p.tenant_id, t.legal_name, p.kind, to_char(p.expires_on, 'YYYY-MM-DD') AS expires_on
                    FROM participation p JOIN tenant t ON t.id = p.tenant_id
                    WHERE p.expires_on BETWEEN \(day)::date AND \(day)::date + \(expiryWindowDays)::int
                    ORDER BY p.expires_on, t.legal_name LIMIT \(limit + 1)
                    """,
                    logger: logger
                )
            )
            // Every calendar quarter of an active agreement's term (up to today) with an admin fee to collect,
            // whose report's due date (the agreement's due days after its last day) has passed, and for which no
            // supplier report was filed.
            let overdue = try await Self.overdue(
                connection.query(
                    """
                    SELECT a.id, a.number, s.name AS supplier_name, extract(year FROM q)::int AS year,
                           extract(quarter FROM q)::int AS quarter,
                           to_char((q + interval '3 months')::date - 1, 'YYYY-MM-DD') AS quarter_ends_on
                    FROM agreement a JOIN supplier s ON s.id = a.supplier_id
                    CROSS JOIN LATERAL generate_series(
                        date_trunc('quarter', a.effective_on::timestamp),
                        date_trunc('quarter', least(a.expires_on, \(day)::date)::timestamp),
                        interval '3 months') AS q
                    WHERE a.status = 'active' AND a.admin_fee_basis_points > 0
                      AND (q + interval '3 months')::date - 1 + a.supplier_report_due_days < \(day)::date
                      AND NOT EXISTS (
                          SELECT 1 FROM supplier_report r
                          WHERE r.agreement_id = a.id AND r.year = extract(year FROM q) AND r.quarter = extract(quarter FROM q))
                    ORDER BY q, a.number LIMIT \(limit + 1)
                    """,
                    logger: logger
                )
            )
            return AdminOverview(
                agencies: counts.0,
                activeAgencies: counts.1,
                suppliers: counts.2,
                agreements: counts.3,
                activeAgreements: counts.4,
                usageThisQuarterCents: counts.5,
                quarterStart: quarterStart,
                expiringAgreements: Array(expiring.prefix(limit)),
                agreementsNearCeiling: Array(nearCeiling.prefix(limit)),
                expiringInstruments: Array(instruments.prefix(limit)),
                overdueReports: Array(overdue.prefix(limit)),
                truncated: [expiring.count, nearCeiling.count, instruments.count, overdue.count].contains { $0 > limit }
            )
        }
    }

    static let agreementColumns = """
        a.id, a.number, a.title, s.name AS supplier_name, to_char(a.expires_on, 'YYYY-MM-DD') AS expires_on,
        a.ceiling_cents, coalesce(c.committed_cents, 0) AS committed_cents
        """

    /// An agreement with its supplier and its committed amount (`agreement_commitment`; none before its first decision).
    static let agreementSource = """
        agreement a JOIN supplier s ON s.id = a.supplier_id LEFT JOIN agreement_commitment c ON c.agreement_id = a.id
        """

    static func agreements(_ rows: PostgresRowSequence) async throws -> [AdminOverview.AgreementItem] {
        var items: [AdminOverview.AgreementItem] = []
        for try await row in rows {
            let row = NamedRow(row)
            items.append(
                AdminOverview.AgreementItem(
                    id: try row["id"],
                    number: try row["number"],
                    title: try row["title"],
                    supplierName: try row["supplier_name"],
                    expiresOn: try row.date("expires_on"),
                    ceilingCents: try row["ceiling_cents"],
                    committedCents: try row["committed_cents"]
                )
            )
        }
        return items
    }

    static func instruments(_ rows: PostgresRowSequence) async throws -> [AdminOverview.InstrumentItem] {
        var items: [AdminOverview.InstrumentItem] = []
        for try await row in rows {
            let row = NamedRow(row)
            items.append(
                AdminOverview.InstrumentItem(
                    tenantID: try row["tenant_id"],
                    agencyName: try row["legal_name"],
                    kind: try row["kind"],
                    expiresOn: try row.date("expires_on")
                )
            )
        }
        return items
    }

    static func overdue(_ rows: PostgresRowSequence) async throws -> [AdminOverview.OverdueReport] {
        var items: [AdminOverview.OverdueReport] = []
        for try await row in rows {
            let row = NamedRow(row)
            items.append(
                AdminOverview.OverdueReport(
                    agreementID: try row["id"],
                    number: try row["number"],
                    supplierName: try row["supplier_name"],
                    year: try row["year"],
                    quarter: try row["quarter"],
                    quarterEndsOn: try row.date("quarter_ends_on")
                )
            )
        }
        return items
    }
}
