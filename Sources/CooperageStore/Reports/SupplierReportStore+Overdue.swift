import CooperageCore
import Foundation
import PostgresNIO

extension SupplierReportStore {
    /// Every quarter whose report was missing past its due date on `asOf`, or whose first version arrived after its
    /// due date (by `asOf`), for agreements in force (status `active`), from the quarter of each agreement's effective
    /// date to the last quarter of its term that has ended. A report is due its agreement's `supplierReportDueDays`
    /// after the quarter ends; a late report is judged by the due date recorded when it was filed. Oldest quarter
    /// first.
    ///
    /// The cooperative's alert scheduler raises `supplier-report.overdue` for the `missing` ones
    /// (``OverdueSupplierReport/alertDedupeKey``); a supplier reads its own with `as: .supplier(id)`.
    public func overdue(asOf: LocalDate, agreementID: UUID? = nil, as reader: Reader = .cooperative) async throws
        -> [OverdueSupplierReport]
    {
        let day = asOf.description
        let logger = database.logger
        return try await scoped(reader) { connection in
            var items: [OverdueSupplierReport] = []
            for try await row in try await connection.query(
                """
                WITH quarter AS (
                    SELECT a.id AS agreement_id, a.number AS agreement_number, a.supplier_id, s.name AS supplier_name,
                           extract(year FROM q)::int AS year, extract(quarter FROM q)::int AS quarter,
                           (q + interval '3 months')::date - 1 AS ends_on, a.supplier_report_due_days AS due_days
                    FROM agreement a JOIN supplier s ON s.id = a.supplier_id
                    CROSS JOIN LATERAL generate_series(
                        date_trunc('quarter', a.effective_on::timestamp),
                        date_trunc('quarter', least(a.expires_on, \(day)::date)::timestamp),
                        interval '3 months') AS q
                    WHERE a.status = 'active' AND (\(agreementID)::uuid IS NULL OR a.id = \(agreementID))),
                judged AS (
                    SELECT q.*, f.id AS report_id, f.submitted_on,
                           coalesce(f.due_on, q.ends_on + q.due_days) AS due_on
                    FROM quarter q
                    LEFT JOIN LATERAL (
                        SELECT r.id, r.due_on, (r.created_at AT TIME ZONE 'UTC')::date AS submitted_on
                        FROM supplier_report r
                        WHERE r.agreement_id = q.agreement_id AND r.year = q.year AND r.quarter = q.quarter AND r.version = 1
                    ) AS f ON true
                    WHERE q.ends_on < \(day)::date)
                SELECT agreement_id, agreement_number, supplier_id, supplier_name, year, quarter,
                       to_char(ends_on, 'YYYY-MM-DD') AS ends_on, to_char(due_on, 'YYYY-MM-DD') AS due_on, report_id,
                       to_char(submitted_on, 'YYYY-MM-DD') AS submitted_on,
                       (report_id IS NULL OR submitted_on > \(day)::date) AS missing
                FROM judged
                WHERE ((report_id IS NULL OR submitted_on > \(day)::date) AND due_on < \(day)::date)
                   OR (submitted_on <= \(day)::date AND submitted_on > due_on)
                ORDER BY ends_on, agreement_number, agreement_id
                """,
                logger: logger
            ) {
                let row = NamedRow(row)
                let missing: Bool = try row["missing"]
                let dueOn = try row.date("due_on")
                let submittedOn = try row.optionalDate("submitted_on")
                let until = missing ? asOf : (submittedOn ?? asOf)
                items.append(
                    OverdueSupplierReport(
                        status: missing ? .missing : .late,
                        agreementId: try row["agreement_id"],
                        agreementNumber: try row["agreement_number"],
                        supplierId: try row["supplier_id"],
                        supplierName: try row["supplier_name"],
                        year: try row["year"],
                        quarter: try row["quarter"],
                        quarterEndsOn: try row.date("ends_on"),
                        dueOn: dueOn,
                        daysOverdue: until.daysSinceEpoch - dueOn.daysSinceEpoch,
                        reportId: missing ? nil : try row["report_id"],
                        submittedOn: missing ? nil : submittedOn
                    )
                )
            }
            return items
        }
    }
}
