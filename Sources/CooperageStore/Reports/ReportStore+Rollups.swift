import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// Buying power by agreement from the agreement rollups (sql/0008): a few rows per agreement and period
/// instead of every agency's `usage_monthly` rows, with the agency counts kept as agencies first appear.
///
/// The rollups hold distinct agency counts per month, per quarter and over all time, so they answer only
/// what those counts can: groupings that are functions of the agreement (the agreement, its supplier, its
/// lead agency), split by month, by quarter over whole quarters, or unsplit over all time. Anything else
/// (another grouping, one agency, fiscal years, part of a quarter) is answered from `usage_monthly`.
extension ReportStore {
    /// The period kind of `agreement_agency_count` that answers `parameters`, or nil when none does.
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
    /// general query gives them (period, agreement number, supplier name, lead agency name, then ids).
    func buyingPowerFromRollups(_ parameters: ReportParameters, period: String) async throws -> [BuyingPowerRow] {
        let grouped = Set(parameters.groupBy)
        let periodStart =
            switch period {
            case "month": "m.month"
            case "quarter": "date_trunc('quarter', m.month::timestamp)::date"
            default: "date '-infinity'"
            }
        var binds = PostgresBindings(capacity: 4)
        binds.append(parameters.from?.description)
        binds.append(parameters.to?.description)
        binds.append(parameters.agreementIds)
        binds.append(period)
        let query = PostgresQuery(
            unsafeSQL: """
                SELECT a.id, a.number, s.id, s.name, l.id, l.legal_name, CASE WHEN $4 = 'all' THEN NULL ELSE t.start::text END,
                       t.amount, t.orders, coalesce(c.agency_count, 0)::bigint
                FROM (SELECT m.agreement_id, \(periodStart) AS start, sum(m.amount_cents)::bigint AS amount,
                             sum(m.order_count)::bigint AS orders
                      FROM agreement_monthly m
                      WHERE ($1::date IS NULL OR m.month >= $1::date) AND ($2::date IS NULL OR m.month <= $2::date)
                        AND (cardinality($3::uuid[]) = 0 OR m.agreement_id = ANY($3::uuid[]))
                      GROUP BY 1, 2) AS t
                JOIN agreement a ON a.id = t.agreement_id
                JOIN supplier s ON s.id = a.supplier_id
                JOIN tenant l ON l.id = a.lead_tenant_id
                LEFT JOIN agreement_agency_count c
                       ON c.agreement_id = t.agreement_id AND c.period = $4 AND c.period_start = t.start
                ORDER BY t.start, a.number, s.name, l.legal_name, a.id, s.id, l.id
                """,
            binds: binds
        )
        return try await database.withCooperativeScope { connection in
            var rows: [BuyingPowerRow] = []
            for try await (agreement, number, supplier, supplierName, lead, leadName, start, total, orders, agencies)
                in try await connection.query(query, logger: database.logger).decode(
                    (UUID, String, UUID, String, UUID, String, String?, Int, Int, Int).self
                )
            {
                var row = BuyingPowerRow(totalCents: total, orderCount: orders, agencyCount: agencies)
                row.agreementId = agreement
                row.agreementNumber = number
                if grouped.contains(.supplier) {
                    row.supplierId = supplier
                    row.supplierName = supplierName
                }
                if grouped.contains(.leadAgency) {
                    row.leadAgencyId = lead
                    row.leadAgencyName = leadName
                }
                if let reportPeriod = parameters.period, let start = start.flatMap({ LocalDate(iso8601: $0) }) {
                    row.period = reportPeriod.label(start: start, fiscalYearStartMonth: 7)
                    row.periodStart = start
                    row.periodEnd = reportPeriod.end(start: start)
                }
                rows.append(row)
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
                SELECT m.agreement_id, sum(m.amount_cents)::bigint, sum(m.order_count)::bigint,
                       coalesce(max(c.agency_count), 0)::bigint
                FROM agreement_monthly m
                LEFT JOIN agreement_agency_count c
                       ON c.agreement_id = m.agreement_id AND c.period = 'all' AND c.period_start = date '-infinity'
                WHERE m.agreement_id = ANY(\(agreements)::uuid[])
                GROUP BY m.agreement_id
                """,
                logger: database.logger
            ).decode((UUID, Int, Int, Int).self) {
                totals[agreement] = (total, orders, agencies)
            }
            return totals
        }
    }
}
