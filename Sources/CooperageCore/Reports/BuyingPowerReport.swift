public import Foundation

/// `buying-power`: spend, orders and participating agencies, grouped and split by period.
public struct BuyingPowerReport: ReportDocument, Hashable {
    public var report: ReportName { .buyingPower }
    /// Every agency, or the caller's own rows plus `agreementTotals`.
    public var scope: ReportScope
    public var groupBy: [ReportDimension]
    public var categoryDigits: Int?
    public var period: ReportPeriod?
    public var fiscalYearStartMonth: Int?
    public var from: LocalDate?
    public var to: LocalDate?
    public var rows: [BuyingPowerRow]
    /// For an agency: each agreement it bought under, with every agency's total and the number of agencies,
    /// never naming them. Nil for the cooperative.
    public var agreementTotals: [AgreementTotal]?

    public init(
        scope: ReportScope,
        groupBy: [ReportDimension],
        categoryDigits: Int?,
        period: ReportPeriod?,
        fiscalYearStartMonth: Int?,
        from: LocalDate?,
        to: LocalDate?,
        rows: [BuyingPowerRow],
        agreementTotals: [AgreementTotal]?
    ) {
        self.scope = scope
        self.groupBy = groupBy
        self.categoryDigits = categoryDigits
        self.period = period
        self.fiscalYearStartMonth = fiscalYearStartMonth
        self.from = from
        self.to = to
        self.rows = rows
        self.agreementTotals = agreementTotals
    }

    /// The one agency whose rows are shown, if the scope names one.
    public var tenantId: UUID? { scope.tenant }

    enum CodingKeys: String, CodingKey {
        case report, scope, tenantId, groupBy, categoryDigits, period, fiscalYearStartMonth, from, to, rows, agreementTotals
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(report, forKey: .report)
        try container.encode(scope.name, forKey: .scope)
        try container.encodeIfPresent(tenantId, forKey: .tenantId)
        try container.encode(groupBy, forKey: .groupBy)
        try container.encodeIfPresent(categoryDigits, forKey: .categoryDigits)
        try container.encodeIfPresent(period, forKey: .period)
        try container.encodeIfPresent(fiscalYearStartMonth, forKey: .fiscalYearStartMonth)
        try container.encodeIfPresent(from, forKey: .from)
        try container.encodeIfPresent(to, forKey: .to)
        try container.encode(rows, forKey: .rows)
        try container.encodeIfPresent(agreementTotals, forKey: .agreementTotals)
    }

    /// Columns: the groups in the order asked, the period, then the measures. An agency's file starts with a
    /// `scope` column: `own` rows, then one `all-agencies` row per agreement (agreement columns and measures only).
    public var csvTable: CSVTable {
        let agency = agreementTotals != nil
        var dimensions = groupBy
        if agency && !dimensions.contains(.agreement) { dimensions.insert(.agreement, at: 0) }
        var header = agency ? ["scope"] : []
        for dimension in dimensions { header += BuyingPowerRow.columns(of: dimension) }
        if period != nil { header += ["period", "period_start", "period_end"] }
        header += ["total_cents", "order_count", "agency_count"]

        var rows: [[String]] = []
        for row in self.rows {
            var fields = agency ? ["own"] : []
            for dimension in dimensions { fields += row.fields(of: dimension) }
            if period != nil { fields += [Cell.text(row.period), Cell.date(row.periodStart), Cell.date(row.periodEnd)] }
            fields += [String(row.totalCents), String(row.orderCount), String(row.agencyCount)]
            rows.append(fields)
        }
        for total in agreementTotals ?? [] {
            var fields = ["all-agencies"]
            for dimension in dimensions {
                fields +=
                    dimension == .agreement
                    ? [Cell.id(total.agreementId), total.agreementNumber]
                    : Array(repeating: "", count: BuyingPowerRow.columns(of: dimension).count)
            }
            if period != nil { fields += ["", "", ""] }
            fields += [String(total.totalCents), String(total.orderCount), String(total.agencyCount)]
            rows.append(fields)
        }
        return CSVTable(header: header, rows: rows, numberColumns: ["total_cents", "order_count", "agency_count"])
    }
}

/// One group (and period) of buying power; only the grouped members are present.
public struct BuyingPowerRow: Codable, Hashable, Sendable {
    public var agreementId: UUID?
    public var agreementNumber: String?
    public var supplierId: UUID?
    public var supplierName: String?
    /// The UNSPSC code cut to `categoryDigits` and padded with zeros (`43210000` for family 4321).
    public var category: String?
    public var leadAgencyId: UUID?
    public var leadAgencyName: String?
    public var state: String?
    public var entityType: String?
    public var tenantId: UUID?
    public var tenantName: String?
    /// `2026-12`, `2026-Q4`, `FY2027`.
    public var period: String?
    public var periodStart: LocalDate?
    public var periodEnd: LocalDate?
    /// Orders minus reversals, in cents.
    public var totalCents: Int
    /// Orders placed (reversals do not subtract).
    public var orderCount: Int
    /// Agencies with at least one order in the group.
    public var agencyCount: Int

    public init(totalCents: Int, orderCount: Int, agencyCount: Int) {
        self.totalCents = totalCents
        self.orderCount = orderCount
        self.agencyCount = agencyCount
    }

    static func columns(of dimension: ReportDimension) -> [String] {
        switch dimension {
        case .agreement: ["agreement_id", "agreement_number"]
        case .supplier: ["supplier_id", "supplier_name"]
        case .category: ["category"]
        case .leadAgency: ["lead_agency_id", "lead_agency_name"]
        case .state: ["state"]
        case .entityType: ["entity_type"]
        case .tenant: ["tenant_id", "tenant_name"]
        }
    }

    func fields(of dimension: ReportDimension) -> [String] {
        switch dimension {
        case .agreement: [Cell.id(agreementId), Cell.text(agreementNumber)]
        case .supplier: [Cell.id(supplierId), Cell.text(supplierName)]
        case .category: [Cell.text(category)]
        case .leadAgency: [Cell.id(leadAgencyId), Cell.text(leadAgencyName)]
        case .state: [Cell.text(state)]
        case .entityType: [Cell.text(entityType)]
        case .tenant: [Cell.id(tenantId), Cell.text(tenantName)]
        }
    }
}

/// One agreement's figures over every agency, without naming any.
public struct AgreementTotal: Codable, Hashable, Sendable {
    public var agreementId: UUID
    public var agreementNumber: String
    public var totalCents: Int
    public var orderCount: Int
    public var agencyCount: Int

    public init(agreementId: UUID, agreementNumber: String, totalCents: Int, orderCount: Int, agencyCount: Int) {
        self.agreementId = agreementId
        self.agreementNumber = agreementNumber
        self.totalCents = totalCents
        self.orderCount = orderCount
        self.agencyCount = agencyCount
    }
}
