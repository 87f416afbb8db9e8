public import Foundation

/// `reconciliation`: what each agency registered against what the supplier reported, per agreement and quarter.
public struct ReconciliationReport: ScopedReport, Hashable {
    public var report: ReportName { .reconciliation }
    public var scope: ReportScope
    public var from: LocalDate?
    public var to: LocalDate?
    public var rows: [ReconciliationRow]

    public init(scope: ReportScope, from: LocalDate?, to: LocalDate?, rows: [ReconciliationRow]) {
        self.scope = scope
        self.from = from
        self.to = to
        self.rows = rows
    }

    /// Rows whose figures disagree (every status but `match`).
    public var mismatchCount: Int { rows.count { $0.status != .match } }

    enum CodingKeys: String, CodingKey { case mismatchCount, rows }

    public func encode(to encoder: any Encoder) throws {
        try encodeHeader(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mismatchCount, forKey: .mismatchCount)
        try container.encode(rows, forKey: .rows)
    }

    public var csvTable: CSVTable {
        CSVTable(
            header: [
                "status", "tenant_id", "tenant_name", "reported_agency_name", "cooperative_number", "agreement_id",
                "agreement_number", "year", "quarter", "period", "registered_cents", "reported_cents", "difference_cents",
            ],
            rows: rows.map { row in
                [
                    row.status.rawValue, Cell.id(row.tenantId), Cell.text(row.tenantName), Cell.text(row.reportedAgencyName),
                    Cell.text(row.cooperativeNumber), Cell.id(row.agreementId), row.agreementNumber, String(row.year),
                    String(row.quarter), row.period, String(row.registeredCents), Cell.int(row.reportedCents),
                    String(row.differenceCents),
                ]
            },
            numberColumns: ["year", "quarter", "registered_cents", "reported_cents", "difference_cents"]
        )
    }
}

public struct ReconciliationRow: Codable, Hashable, Sendable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Registered and reported figures agree.
        case match
        /// Both exist (a report was filed) and differ; a report without a line for the agency counts as 0 reported.
        case mismatch
        /// The agency registered usage but the supplier has not filed a report for that agreement and quarter.
        case notReported = "not-reported"
        /// Reported lines whose cooperative number matched no agency.
        case unmatchedAgency = "unmatched-agency"
    }

    public var status: Status
    public var tenantId: UUID?
    public var tenantName: String?
    /// For unmatched lines: the agency name as the supplier wrote it.
    public var reportedAgencyName: String?
    public var cooperativeNumber: String?
    public var agreementId: UUID
    public var agreementNumber: String
    public var year: Int
    public var quarter: Int
    public var period: String
    /// What the agency registered (orders minus reversals), in cents.
    public var registeredCents: Int
    /// What the supplier reported; nil when no report was filed.
    public var reportedCents: Int?
    /// `reportedCents - registeredCents` (a missing report counts as 0).
    public var differenceCents: Int

    public init(
        tenantId: UUID?,
        tenantName: String?,
        reportedAgencyName: String?,
        cooperativeNumber: String?,
        agreementId: UUID,
        agreementNumber: String,
        year: Int,
        quarter: Int,
        registeredCents: Int,
        reportedCents: Int?
    ) {
        self.tenantId = tenantId
        self.tenantName = tenantName
        self.reportedAgencyName = reportedAgencyName
        self.cooperativeNumber = cooperativeNumber
        self.agreementId = agreementId
        self.agreementNumber = agreementNumber
        self.year = year
        self.quarter = quarter
        self.period = "\(year)-Q\(quarter)"
        self.registeredCents = registeredCents
        self.reportedCents = reportedCents
        self.differenceCents = Money.clampedDifference(reportedCents ?? 0, registeredCents)
        self.status =
            if tenantId == nil { .unmatchedAgency } else if reportedCents == nil {
                .notReported
            } else if reportedCents == registeredCents {
                .match
            } else { .mismatch }
    }
}
