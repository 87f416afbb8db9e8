public import Foundation

/// `admin-fees`: the administrative fee due per supplier, agreement and calendar quarter.
///
/// `feeDueCents` = registered spend (orders minus reversals) x the agreement's `adminFeeBasisPoints` / 10000,
/// computed on the quarter's total and rounded half away from zero to the cent (``AdminFee/cents(spendCents:basisPoints:)``).
/// The rate is the one in force on the quarter's first day (``AdminFeeRow/termsVersion``): an amendment of the fee
/// applies from the next whole quarter and never changes a past one.
/// The supplier's own report for the quarter, when filed, is shown beside it.
public struct AdminFeeReport: ScopedReport, Hashable {
    public var report: ReportName { .adminFees }
    public var scope: ReportScope
    public var from: LocalDate?
    public var to: LocalDate?
    public var rounding: String { "half away from zero, to the cent, on each quarter's total per agreement" }
    public var rows: [AdminFeeRow]

    public init(scope: ReportScope, from: LocalDate?, to: LocalDate?, rows: [AdminFeeRow]) {
        self.scope = scope
        self.from = from
        self.to = to
        self.rows = rows
    }

    enum CodingKeys: String, CodingKey { case rounding, rows }

    public func encode(to encoder: any Encoder) throws {
        try encodeHeader(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rounding, forKey: .rounding)
        try container.encode(rows, forKey: .rows)
    }

    public var csvTable: CSVTable {
        CSVTable(
            header: [
                "supplier_id", "supplier_name", "agreement_id", "agreement_number", "year", "quarter", "period", "spend_cents",
                "admin_fee_basis_points", "fee_due_cents", "reported_sales_cents", "reported_fee_cents", "terms_version",
            ],
            rows: rows.map { row in
                [
                    Cell.id(row.supplierId), row.supplierName, Cell.id(row.agreementId), row.agreementNumber, String(row.year),
                    String(row.quarter), row.period, String(row.spendCents), String(row.adminFeeBasisPoints),
                    String(row.feeDueCents), Cell.int(row.reportedSalesCents), Cell.int(row.reportedFeeCents),
                    Cell.int(row.termsVersion),
                ]
            },
            numberColumns: [
                "year", "quarter", "spend_cents", "admin_fee_basis_points", "fee_due_cents", "reported_sales_cents",
                "reported_fee_cents", "terms_version",
            ]
        )
    }
}

public struct AdminFeeRow: Codable, Hashable, Sendable {
    public var supplierId: UUID
    public var supplierName: String
    public var agreementId: UUID
    public var agreementNumber: String
    public var year: Int
    public var quarter: Int
    /// `2026-Q4`.
    public var period: String
    /// Registered orders minus reversals in the quarter, in cents.
    public var spendCents: Int
    /// The rate applied: that of the agreement's terms version in force on the quarter's first day.
    public var adminFeeBasisPoints: Int
    /// That version (``AgreementTermsVersion``); nil for an agreement with no recorded version.
    public var termsVersion: Int?
    public var feeDueCents: Int
    /// What the supplier's report for the quarter says (for one tenant: its lines); nil when none was filed.
    public var reportedSalesCents: Int?
    public var reportedFeeCents: Int?

    public init(
        supplierId: UUID,
        supplierName: String,
        agreementId: UUID,
        agreementNumber: String,
        year: Int,
        quarter: Int,
        spendCents: Int,
        adminFeeBasisPoints: Int,
        termsVersion: Int? = nil,
        reportedSalesCents: Int?,
        reportedFeeCents: Int?
    ) {
        self.supplierId = supplierId
        self.supplierName = supplierName
        self.agreementId = agreementId
        self.agreementNumber = agreementNumber
        self.year = year
        self.quarter = quarter
        self.period = "\(year)-Q\(quarter)"
        self.spendCents = spendCents
        self.adminFeeBasisPoints = adminFeeBasisPoints
        self.termsVersion = termsVersion
        self.feeDueCents = AdminFee.cents(spendCents: spendCents, basisPoints: adminFeeBasisPoints)
        self.reportedSalesCents = reportedSalesCents
        self.reportedFeeCents = reportedFeeCents
    }
}
