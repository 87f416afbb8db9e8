import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// Buying power by agreement from the agreement rollups (`agreement_rollup`, sql/schema.sql): one row per agreement and period instead
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
    ///
    /// The rows come back as one row of column arrays: thousands of rows read one by one cost the server
    /// more than PostgreSQL took to find them.
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
        // Sorted once (by the window, whose output the aggregates read in order); each row's rank comes along,
        // so the order is checked rather than assumed.
        let query = PostgresQuery(
            unsafeSQL: """
                SELECT coalesce(array_agg(q.id), '{}') AS ids, coalesce(array_agg(q.number), '{}') AS numbers,
                       \(supplier ? "array_agg(q.supplier_id)" : "NULL::uuid[]") AS supplier_ids,
                       \(supplier ? "array_agg(q.supplier_name)" : "NULL::text[]") AS supplier_names,
                       \(lead ? "array_agg(q.lead_id)" : "NULL::uuid[]") AS lead_ids,
                       \(lead ? "array_agg(q.lead_name)" : "NULL::text[]") AS lead_names,
                       coalesce(array_agg(q.start), '{}') AS starts, coalesce(array_agg(q.amount_cents), '{}') AS totals,
                       coalesce(array_agg(q.order_count), '{}') AS orders, coalesce(array_agg(q.agency_count), '{}') AS agencies,
                       coalesce(array_agg(q.rank), '{}') AS ranks
                FROM (SELECT a.id, a.number, \(supplier ? "s.id AS supplier_id, s.name AS supplier_name," : "")
                             \(lead ? "l.id AS lead_id, l.legal_name AS lead_name," : "") r.period_start::text AS start,
                             r.amount_cents, r.order_count, r.agency_count::bigint AS agency_count,
                             row_number() OVER (ORDER BY r.period_start, a.number, a.id) AS rank
                      FROM agreement_rollup r
                      JOIN agreement a ON a.id = r.agreement_id
                      \(supplier ? "JOIN supplier s ON s.id = a.supplier_id" : "")
                      \(lead ? "JOIN tenant l ON l.id = a.lead_tenant_id" : "")
                      WHERE r.period = $4
                        AND ($1::date IS NULL OR r.period_start >= $1::date) AND ($2::date IS NULL OR r.period_start <= $2::date)
                        AND (cardinality($3::uuid[]) = 0 OR r.agreement_id = ANY($3::uuid[]))) AS q
                """,
            binds: binds
        )
        let result = try await database.withCooperativeScope { connection in
            try await connection.query(query, logger: database.logger).array()
        }
        guard let row = result.first.map(NamedRow.init) else { return [] }
        let agreements: [UUID] = try row["ids"]
        let numbers: [String] = try row["numbers"]
        let suppliers: [UUID]? = try row["supplier_ids"]
        let supplierNames: [String]? = try row["supplier_names"]
        let leads: [UUID]? = try row["lead_ids"]
        let leadNames: [String]? = try row["lead_names"]
        let starts: [String] = try row["starts"]
        let totals: [Int] = try row["totals"]
        let orders: [Int] = try row["orders"]
        let agencies: [Int] = try row["agencies"]
        let ranks: [Int] = try row["ranks"]
        // Every column is indexed by the same position below: arrays of other lengths would trap, so they throw.
        let counts =
            [numbers.count, starts.count, totals.count, orders.count, agencies.count, ranks.count]
            + [suppliers?.count, supplierNames?.count, leads?.count, leadNames?.count].compactMap { $0 }
        guard counts.allSatisfy({ $0 == agreements.count }) else {
            throw CatalogSQL.UnexpectedValue(column: "agreement_rollup arrays", value: "arrays of different lengths")
        }
        // Every row of a period has the same label, start and end.
        var periods: [String: (label: String, start: LocalDate, end: LocalDate)] = [:]
        var rows: [BuyingPowerRow] = []
        rows.reserveCapacity(agreements.count)
        // Rank r is at position r - 1, unless PostgreSQL aggregated in another order.
        let positions =
            ranks.elementsEqual(1..<(ranks.count + 1)) ? Array(ranks.indices) : ranks.indices.sorted { ranks[$0] < ranks[$1] }
        for index in positions {
            var row = BuyingPowerRow(totalCents: totals[index], orderCount: orders[index], agencyCount: agencies[index])
            row.agreementId = agreements[index]
            row.agreementNumber = numbers[index]
            row.supplierId = suppliers?[index]
            row.supplierName = supplierNames?[index]
            row.leadAgencyId = leads?[index]
            row.leadAgencyName = leadNames?[index]
            if let reportPeriod = parameters.period {
                let text = starts[index]
                let known =
                    periods[text]
                    ?? LocalDate(iso8601: text).map { start in
                        let made = (
                            reportPeriod.label(start: start, fiscalYearStartMonth: ReportPeriod.defaultFiscalYearStartMonth),
                            start, reportPeriod.end(start: start)
                        )
                        periods[text] = made
                        return made
                    }
                row.period = known?.label
                row.periodStart = known?.start
                row.periodEnd = known?.end
            }
            rows.append(row)
        }
        return rows
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
