public import Foundation

/// A quarter whose supplier report is missing past its due date, or arrived after it
/// (`SupplierReportStore.overdue(asOf:)`, `GET /v1/supplier-reports/overdue`).
///
/// A report is due `supplierReportDueDays` after its quarter ends (30 unless the agreement says otherwise). Quarters
/// count from the one holding the agreement's effective date to the last that has ended, for agreements in force
/// (status `active`).
public struct OverdueSupplierReport: Codable, Hashable, Sendable {
    public enum Status: String, Codable, CaseIterable, Sendable {
        /// No report was filed by the day asked about, and its due date had passed.
        case missing
        /// The first version was filed after its due date.
        case late
    }

    public var status: Status
    public var agreementId: UUID
    public var agreementNumber: String
    public var supplierId: UUID
    public var supplierName: String
    public var year: Int
    public var quarter: Int
    /// `2026-Q3`.
    public var period: String
    public var quarterEndsOn: LocalDate
    public var dueOn: LocalDate
    /// Missing: days from the due date to the day asked about; late: days from the due date to the filing.
    public var daysOverdue: Int
    /// The late report's first version.
    public var reportId: UUID?
    /// The day the late report's first version was filed.
    public var submittedOn: LocalDate?

    public init(
        status: Status,
        agreementId: UUID,
        agreementNumber: String,
        supplierId: UUID,
        supplierName: String,
        year: Int,
        quarter: Int,
        quarterEndsOn: LocalDate,
        dueOn: LocalDate,
        daysOverdue: Int,
        reportId: UUID? = nil,
        submittedOn: LocalDate? = nil
    ) {
        self.status = status
        self.agreementId = agreementId
        self.agreementNumber = agreementNumber
        self.supplierId = supplierId
        self.supplierName = supplierName
        self.year = year
        self.quarter = quarter
        self.period = "\(year)-Q\(quarter)"
        self.quarterEndsOn = quarterEndsOn
        self.dueOn = dueOn
        self.daysOverdue = daysOverdue
        self.reportId = reportId
        self.submittedOn = submittedOn
    }

    /// The key that raises this quarter's `supplier-report.overdue` alert once, whatever the number of servers or
    /// runs: `supplier-report.overdue:<agreementId>:<year>-Q<quarter>`.
    public var alertDedupeKey: String {
        "supplier-report.overdue:\(agreementId.uuidString.lowercased()):\(period)"
    }
}
