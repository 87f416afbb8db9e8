public import Foundation

/// A supplier's quarterly sales report for one Master Agreement, as the cooperative records it
/// (`POST /v1/supplier-reports`). Sourcewell-style: one line per invoice or per agency, naming the
/// agency as the supplier knows it and by the number the cooperative assigned. A report without lines
/// is a zero-sales report, which suppliers must file too.
public struct NewSupplierReport: Codable, Hashable, Sendable, JSONRequestBody {
    public var agreementId: UUID
    public var year: Int
    /// Calendar quarter, 1 to 4.
    public var quarter: Int
    public var lines: [NewSupplierReportLine]

    /// The members a body may carry (``JSONRequestBody``).
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case agreementId, year, quarter, lines
    }
    /// At most this many lines in one report.
    public static let maximumLines = 50_000
    /// A line's amount or fee beyond this (ten billion dollars) is refused, so sums stay within 64-bit cents.
    public static let maximumLineCents = 1_000_000_000_000

    public init(agreementId: UUID, year: Int, quarter: Int, lines: [NewSupplierReportLine]) {
        self.agreementId = agreementId
        self.year = year
        self.quarter = quarter
        self.lines = lines
    }

    /// The first and last day of the reported quarter, when year and quarter are valid.
    public var period: ClosedRange<LocalDate>? {
        guard (2000...2200).contains(year), (1...4).contains(quarter) else { return nil }
        return Self.quarterDays(year: year, quarter: quarter)
    }

    public static func quarterDays(year: Int, quarter: Int) -> ClosedRange<LocalDate> {
        let quarter = min(max(quarter, 1), 4)
        let first = LocalDate(validYear: year, month: quarter * 3 - 2, day: 1)
        let next =
            quarter == 4
            ? LocalDate(validYear: year + 1, month: 1, day: 1) : LocalDate(validYear: year, month: quarter * 3 + 1, day: 1)
        return first...next.adding(days: -1)
    }

    /// Everything wrong with the report; JSON pointers name the line (`/lines/3/invoiceDate`).
    public var issues: [FieldIssue] {
        var issues: [FieldIssue] = []
        if !(2000...2200).contains(year) {
            issues.append(FieldIssue(pointer: "/year", detail: "must be a year from 2000 to 2200"))
        }
        if !(1...4).contains(quarter) {
            issues.append(FieldIssue(pointer: "/quarter", detail: "must be a calendar quarter, 1 to 4"))
        }
        if lines.count > Self.maximumLines {
            issues.append(FieldIssue(pointer: "/lines", detail: "must have at most \(Self.maximumLines) lines"))
        }
        for (index, line) in lines.enumerated() {
            issues += line.issues(quarter: period).map { FieldIssue(pointer: "/lines/\(index)\($0.pointer)", detail: $0.detail) }
        }
        return issues
    }
}

/// One line of a supplier sales report.
public struct NewSupplierReportLine: Codable, Hashable, Sendable {
    /// The participating entity's name as the supplier reports it.
    public var agencyName: String
    /// The number the cooperative assigned to the agency; lines are matched to agencies by it.
    public var cooperativeNumber: String?
    /// The date invoiced (or revenue recognized); must fall in the reported quarter.
    public var invoiceDate: LocalDate
    /// The amount sold, in cents; negative for credits and returns.
    public var amountCents: Int
    /// The administrative fee the supplier applied to this line, in cents.
    public var feeCents: Int

    public init(agencyName: String, cooperativeNumber: String? = nil, invoiceDate: LocalDate, amountCents: Int, feeCents: Int = 0)
    {
        self.agencyName = agencyName
        self.cooperativeNumber = cooperativeNumber
        self.invoiceDate = invoiceDate
        self.amountCents = amountCents
        self.feeCents = feeCents
    }

    enum CodingKeys: String, CodingKey { case agencyName, cooperativeNumber, invoiceDate, amountCents, feeCents }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        agencyName = try container.decode(String.self, forKey: .agencyName)
        cooperativeNumber = try container.decodeIfPresent(String.self, forKey: .cooperativeNumber)
        invoiceDate = try container.decode(LocalDate.self, forKey: .invoiceDate)
        amountCents = try container.decode(Int.self, forKey: .amountCents)
        feeCents = try container.decodeIfPresent(Int.self, forKey: .feeCents) ?? 0
    }

    /// The cooperative number without surrounding spaces; nil when absent or blank.
    public var normalizedCooperativeNumber: String? {
        guard let number = cooperativeNumber?.trimmingCharacters(in: .whitespaces), !number.isEmpty else { return nil }
        return number
    }

    /// Issues with pointers relative to the line (`/invoiceDate`).
    public func issues(quarter: ClosedRange<LocalDate>?) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        let name = agencyName.trimmingCharacters(in: .whitespaces)
        if name.isEmpty || name.count > 300 {
            issues.append(FieldIssue(pointer: "/agencyName", detail: "must be 1 to 300 characters"))
        }
        if let number = cooperativeNumber, number.count > 50 {
            issues.append(FieldIssue(pointer: "/cooperativeNumber", detail: "must be at most 50 characters"))
        }
        if let quarter, !quarter.contains(invoiceDate) {
            issues.append(
                FieldIssue(
                    pointer: "/invoiceDate",
                    detail: "\(invoiceDate) is outside the reported quarter, \(quarter.lowerBound) to \(quarter.upperBound)"
                )
            )
        }
        if amountCents.magnitude > NewSupplierReport.maximumLineCents {
            issues.append(FieldIssue(pointer: "/amountCents", detail: "must be at most 1000000000000 cents in size"))
        }
        if feeCents.magnitude > NewSupplierReport.maximumLineCents {
            issues.append(FieldIssue(pointer: "/feeCents", detail: "must be at most 1000000000000 cents in size"))
        }
        return issues
    }
}

/// A recorded supplier sales report (one version of it), with its lines when one report is read.
///
/// Reports are never changed: an amendment is a new version that supersedes the current one. Every version is kept;
/// reconciliation and admin fees read the latest version of each agreement and quarter.
public struct SupplierReport: Codable, Hashable, Sendable {
    public var id: UUID
    public var agreementId: UUID
    public var agreementNumber: String
    public var supplierId: UUID
    public var supplierName: String
    public var year: Int
    public var quarter: Int
    /// 1 for the first report of the agreement and quarter, one more for each amendment.
    public var version: Int
    /// The version this one amends; nil for version 1.
    public var supersedesId: UUID?
    /// The version that amends this one; nil while this is the latest.
    public var supersededById: UUID?
    /// No later version supersedes this one: reconciliation and admin fees read it.
    public var current: Bool
    /// The day the quarter's report was due when this version was filed (the quarter's end plus the agreement's
    /// `supplierReportDueDays`).
    public var dueOn: LocalDate?
    /// The day (UTC) this version was filed.
    public var submittedOn: LocalDate
    /// Filed after its due date.
    public var late: Bool
    public var totalCents: Int
    public var feeCents: Int
    public var lineCount: Int
    /// Lines matched to an agency by cooperative number.
    public var matchedLineCount: Int
    public var submittedBy: UUID?
    public var createdAt: Date
    public var lines: [SupplierReportLine]?

    public init(
        id: UUID,
        agreementId: UUID,
        agreementNumber: String,
        supplierId: UUID,
        supplierName: String,
        year: Int,
        quarter: Int,
        version: Int = 1,
        supersedesId: UUID? = nil,
        supersededById: UUID? = nil,
        dueOn: LocalDate? = nil,
        submittedOn: LocalDate? = nil,
        totalCents: Int,
        feeCents: Int,
        lineCount: Int,
        matchedLineCount: Int,
        submittedBy: UUID?,
        createdAt: Date,
        lines: [SupplierReportLine]? = nil
    ) {
        self.id = id
        self.agreementId = agreementId
        self.agreementNumber = agreementNumber
        self.supplierId = supplierId
        self.supplierName = supplierName
        self.year = year
        self.quarter = quarter
        self.version = version
        self.supersedesId = supersedesId
        self.supersededById = supersededById
        self.dueOn = dueOn
        let submitted = submittedOn ?? LocalDate.today(createdAt)
        self.submittedOn = submitted
        self.current = supersededById == nil
        self.late = dueOn.map { submitted > $0 } ?? false
        self.totalCents = totalCents
        self.feeCents = feeCents
        self.lineCount = lineCount
        self.matchedLineCount = matchedLineCount
        self.submittedBy = submittedBy
        self.createdAt = createdAt
        self.lines = lines
    }
}

/// One recorded line, with the agency it was matched to (if any).
public struct SupplierReportLine: Codable, Hashable, Sendable {
    /// 1-based position in the report.
    public var lineNumber: Int
    public var agencyName: String
    public var cooperativeNumber: String?
    /// The tenant whose cooperative number the line quotes; nil when none (or more than one) matched.
    public var agencyTenantId: UUID?
    public var invoiceDate: LocalDate
    public var amountCents: Int
    public var feeCents: Int

    public init(
        lineNumber: Int,
        agencyName: String,
        cooperativeNumber: String?,
        agencyTenantId: UUID?,
        invoiceDate: LocalDate,
        amountCents: Int,
        feeCents: Int
    ) {
        self.lineNumber = lineNumber
        self.agencyName = agencyName
        self.cooperativeNumber = cooperativeNumber
        self.agencyTenantId = agencyTenantId
        self.invoiceDate = invoiceDate
        self.amountCents = amountCents
        self.feeCents = feeCents
    }
}
