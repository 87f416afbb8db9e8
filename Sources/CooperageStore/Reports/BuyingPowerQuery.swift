import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// The buying-power report's query over `usage_monthly`: one column pair per dimension, real when the report
/// groups by it and a typed NULL otherwise, so every row has the same named columns whatever the grouping.
struct BuyingPowerQuery: Sendable {
    let parameters: ReportParameters
    let filter: ReportStore.Filter

    /// Each dimension's columns when grouped by it: (expression, name).
    private func columns(of dimension: ReportDimension) -> [(expression: String, name: String, type: String)] {
        switch dimension {
        case .agreement: [("a.id", "agreement_id", "uuid"), ("a.number", "agreement_number", "text")]
        case .supplier: [("s.id", "supplier_id", "uuid"), ("s.name", "supplier_name", "text")]
        case .category: [("rpad(left(m.category, \(parameters.categoryDigits)), 8, '0')", "category", "text")]
        case .leadAgency: [("l.id", "lead_agency_id", "uuid"), ("l.legal_name", "lead_agency_name", "text")]
        case .state: [("t.state", "state", "text")]
        case .entityType: [("t.entity_type", "entity_type", "text")]
        case .tenant: [("t.id", "tenant_id", "uuid"), ("t.legal_name", "tenant_name", "text")]
        }
    }

    /// Rows sort by period, then by the names, then by the ids.
    private static let order = [
        "period_start", "agreement_number", "supplier_name", "category", "lead_agency_name", "state", "entity_type",
        "tenant_name", "agreement_id", "supplier_id", "lead_agency_id", "tenant_id",
    ]

    /// The first day of each row's period, as SQL over `m.month`.
    private func periodStart(fiscalYearStartMonth fiscal: Int) -> String {
        switch parameters.period {
        case nil: "NULL::date"
        case .month: "m.month"
        case .quarter: "date_trunc('quarter', m.month)::date"
        case .fiscalYear:
            "(date_trunc('year', m.month - interval '\(fiscal - 1) months') + interval '\(fiscal - 1) months')::date"
        }
    }

    func sql(fiscalYearStartMonth fiscal: Int) -> String {
        let grouped = Set(parameters.groupBy)
        var select: [String] = []
        var groupBy: [String] = []
        for dimension in ReportDimension.allCases {
            for column in columns(of: dimension) {
                if grouped.contains(dimension) {
                    select.append("\(column.expression) AS \(column.name)")
                    groupBy.append(column.expression)
                } else {
                    select.append("NULL::\(column.type) AS \(column.name)")
                }
            }
        }
        let start = periodStart(fiscalYearStartMonth: fiscal)
        select.append("(\(start))::text AS period_start")
        if parameters.period != nil { groupBy.append("(\(start))::text") }
        return """
            SELECT \(select.joined(separator: ", ")),
                   coalesce(sum(m.amount_cents), 0)::bigint AS total_cents, coalesce(sum(m.order_count), 0)::bigint AS order_count,
                   count(DISTINCT m.tenant_id)::bigint AS agency_count
            FROM usage_monthly m
            JOIN agreement a ON a.id = m.agreement_id JOIN supplier s ON s.id = a.supplier_id
            JOIN tenant t ON t.id = m.tenant_id JOIN tenant l ON l.id = a.lead_tenant_id
            WHERE \(ReportStore.usageFilter)
            \(groupBy.isEmpty ? "" : "GROUP BY " + groupBy.joined(separator: ", "))
            ORDER BY \(Self.order.joined(separator: ", "))
            """
    }

    func rows(fiscalYearStartMonth: Int?, on connection: PostgresConnection, logger: Logger) async throws
        -> [BuyingPowerRow]
    {
        let fiscal = fiscalYearStartMonth ?? ReportPeriod.defaultFiscalYearStartMonth
        var rows: [BuyingPowerRow] = []
        for try await row in try await connection.query(filter.query(sql(fiscalYearStartMonth: fiscal)), logger: logger) {
            rows.append(try self.row(NamedRow(row), fiscalYearStartMonth: fiscal))
        }
        return rows
    }

    private func row(_ row: NamedRow, fiscalYearStartMonth fiscal: Int) throws -> BuyingPowerRow {
        var report = BuyingPowerRow(
            totalCents: try row["total_cents"],
            orderCount: try row["order_count"],
            agencyCount: try row["agency_count"]
        )
        report.agreementId = try row["agreement_id"]
        report.agreementNumber = try row["agreement_number"]
        report.supplierId = try row["supplier_id"]
        report.supplierName = try row["supplier_name"]
        report.category = try row["category"]
        report.leadAgencyId = try row["lead_agency_id"]
        report.leadAgencyName = try row["lead_agency_name"]
        report.state = try row["state"]
        report.entityType = try row["entity_type"]
        report.tenantId = try row["tenant_id"]
        report.tenantName = try row["tenant_name"]
        if let period = parameters.period, let start = try row.optionalDate("period_start") {
            report.period = period.label(start: start, fiscalYearStartMonth: fiscal)
            report.periodStart = start
            report.periodEnd = period.end(start: start)
        }
        return report
    }

    /// The number of each agreement in the filtered rows (an agency's own, under row-level security).
    func agreementNumbers(on connection: PostgresConnection, logger: Logger) async throws -> [UUID: String] {
        var numbers: [UUID: String] = [:]
        for try await (id, number) in try await connection.query(
            filter.query(
                """
                SELECT DISTINCT a.id, a.number FROM usage_monthly m JOIN agreement a ON a.id = m.agreement_id
                WHERE \(ReportStore.usageFilter)
                """
            ),
            logger: logger
        ).decode((UUID, String).self) {
            numbers[id] = number
        }
        return numbers
    }
}
