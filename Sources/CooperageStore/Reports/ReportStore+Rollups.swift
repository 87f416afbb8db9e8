import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// Buying power by agreement from the agreement rollups (sql/0008): one row per agreement and period instead
/// of every agency's `usage_monthly` rows, with the agency counts kept as agencies first appear.
///
/// The rollups hold totals and distinct agency counts per month, per quarter and over all time, so they answer only
/// what those counts can: groupings that are functions of the agreement (the agreement, its supplier, its
/// lead agency), split by month, by quarter over whole quarters, or unsplit over all time. Anything else
/// (another grouping, one agency, fiscal years, part of a quarter) is answered from `usage_monthly`.
extension ReportStore {
    /// The period of `agreement_rollup` that answers `parameters`, or nil when none does.
    public static func rollupPeriod(for parameters: ReportParameters, scope: ReportScope) -> String? {
        guard case .cooperative(tenant: nil) = scope else { return nil }
        let grouped = Set(parameters.groupBy)
        guard grouped.contains(.agreement), grouped.isSubset(of: [.agreement, .supplier, .leadAgency]) else { return nil }
        switch parameters.period {
        case .month:
            return "month"
        case .quarter:
            let startsAQuarter = parameters.from.map { $0.day == 1 && $0.month % 3 == 1 } ?? true
            let endsAQuarter =
                parameters.to.map { $0 == ReportPeriod.month.end(start: $0.firstOfMonth) && $0.month % 3 == 0 } ?? true
            return startsAQuarter && endsAQuarter ? "quarter" : nil
        case nil:
            return parameters.from == nil && parameters.to == nil ? "all" : nil
        case .fiscalYear:
            return nil
        }
    }

    /// The rows of a buying-power report that ``rollupPeriod(for:scope:)`` can answer, in the order the
    /// general query gives them (period, then agreement number, which is unique).
    func buyingPowerFromRollups(_ parameters: ReportParameters, period: String) async throws -> [BuyingPowerRow] {
        let grouped = Set(parameters.groupBy)
        // Only the columns and joins the grouping shows.
        let supplier = grouped.contains(.supplier)
        let lead = grouped.contains(.leadAgency)
        var binds = PostgresBindings(capacity: 4)
        binds.append(parameters.from?.description)
        binds.append(parameters.to?.description)
        binds.append(parameters.agreementIds)
        binds.append(period)
        let query = PostgresQuery(
            unsafeSQL: """
                SELECT a.id, a.number, \(supplier ? "s.id, s.name" : "NULL::uuid, NULL::text"),
                       \(lead ? "l.id, l.legal_name" : "NULL::uuid, NULL::text"),
                       CASE WHEN $4 = 'all' THEN NULL ELSE r.period_start::text END,
                       r.amount_cents, r.order_count, r.agency_count::bigint
                FROM agreement_rollup r
                JOIN agreement a ON a.id = r.agreement_id
                \(supplier ? "JOIN supplier s ON s.id = a.supplier_id" : "")
                \(lead ? "JOIN tenant l ON l.id = a.lead_tenant_id" : "")
                WHERE r.period = $4
                  AND ($1::date IS NULL OR r.period_start >= $1::date) AND ($2::date IS NULL OR r.period_start <= $2::date)
                  AND (cardinality($3::uuid[]) = 0 OR r.agreement_id = ANY($3::uuid[]))
                ORDER BY r.period_start, a.number, a.id
                """,
            binds: binds
        )
        return try await database.withCooperativeScope { connection in
            var rows: [BuyingPowerRow] = []
            // Every row of a period has the same label and end.
            var labels: [LocalDate: (label: String, end: LocalDate)] = [:]
            for try await row in try await connection.query(query, logger: database.logger) {
                var columns = RowReader(row)
                let agreement = try columns.next(UUID.self)
                let number = try columns.next(String.self)
                let supplierID = try columns.next(UUID?.self)
                let supplierName = try columns.next(String?.self)
                let leadID = try columns.next(UUID?.self)
                let leadName = try columns.next(String?.self)
                let start = try columns.next(String?.self)
                var record = BuyingPowerRow(
                    totalCents: try columns.next(Int.self),
                    orderCount: try columns.next(Int.self),
                    agencyCount: try columns.next(Int.self)
                )
                record.agreementId = agreement
                record.agreementNumber = number
                record.supplierId = supplierID
                record.supplierName = supplierName
                record.leadAgencyId = leadID
                record.leadAgencyName = leadName
                if let reportPeriod = parameters.period, let start = start.flatMap({ LocalDate(iso8601: $0) }) {
                    let period =
                        labels[start]
                        ?? {
                            let made = (reportPeriod.label(start: start, fiscalYearStartMonth: 7), reportPeriod.end(start: start))
                            labels[start] = made
                            return made
                        }()
                    record.period = period.label
                    record.periodStart = start
                    record.periodEnd = period.end
                }
                rows.append(record)
            }
            return rows
        }
    }

    /// Every agency's totals and agency count per agreement over all time, from the rollups.
    func agreementTotalsFromRollups(_ agreements: [UUID]) async throws -> [UUID: (
        totalCents: Int, orderCount: Int, agencyCount: Int
    )] {
        try await database.withCooperativeScope { connection in
            var totals: [UUID: (totalCents: Int, orderCount: Int, agencyCount: Int)] = [:]
            for try await (agreement, total, orders, agencies) in try await connection.query(
                """
                SELECT agreement_id, amount_cents, order_count, agency_count::bigint
                FROM agreement_rollup
                WHERE agreement_id = ANY(\(agreements)::uuid[]) AND period = 'all' AND period_start = date '-infinity'
                """,
                logger: database.logger
            ).decode((UUID, Int, Int, Int).self) {
                totals[agreement] = (total, orders, agencies)
            }
            return totals
        }
    }
}
