public import Foundation

/// The reports of `GET /v1/reports/{name}` and `cooperage report NAME`.
public enum ReportName: String, CaseIterable, Codable, Sendable {
    case buyingPower = "buying-power"
    case tiers
    case adminFees = "admin-fees"
    case savings
    case reconciliation
    case statement

    /// The query parameters this report takes besides the common ones.
    var specificParameters: Set<String> {
        switch self {
        case .buyingPower: ["groupBy", "categoryDigits", "period", "fiscalYearStartMonth"]
        default: []
        }
    }
}

public enum ReportFormat: String, CaseIterable, Codable, Sendable {
    case json, csv
}

/// What buying power can be grouped by.
public enum ReportDimension: String, CaseIterable, Codable, Sendable {
    case agreement, supplier, category
    case leadAgency = "lead-agency"
    case state
    case entityType = "entity-type"
    case tenant
}

/// How buying power is split in time. Aggregates are monthly, so every period is a whole number of months.
public enum ReportPeriod: String, CaseIterable, Codable, Sendable {
    case month, quarter
    case fiscalYear = "fiscal-year"

    /// The fiscal year's first month when neither the request nor the agency names one: July, as for most US
    /// states and many local governments (a convention shown in the report, not a rule of law).
    public static let defaultFiscalYearStartMonth = 7

    /// The label of the period starting on `start`: `2026-12`, `2026-Q4`, or `FY2027` (the year the fiscal year ends).
    public func label(start: LocalDate, fiscalYearStartMonth: Int) -> String {
        switch self {
        case .month: String(start.description.prefix(7))
        case .quarter: "\(start.year)-Q\(start.quarter)"
        case .fiscalYear: "FY\(start.fiscalYear(startMonth: fiscalYearStartMonth))"
        }
    }

    /// The last day of the period starting on `start`.
    public func end(start: LocalDate) -> LocalDate {
        let months =
            switch self {
            case .month: 1
            case .quarter: 3
            case .fiscalYear: 12
            }
        let total = start.year * 12 + (start.month - 1) + months
        return LocalDate(validYear: total / 12, month: total % 12 + 1, day: 1).adding(days: -1)
    }
}

/// Whose rows a read shows: a report, a list of one agency's records, the audit trail.
public enum ReportScope: Hashable, Sendable {
    /// Cooperative staff: every tenant, or only `tenant` when given.
    case cooperative(tenant: UUID?)
    /// An agency's finance or admin: its own rows, plus agreement-level aggregates without other agencies' identities.
    case agency(UUID)

    /// How reports name the scope: `cooperative` or `agency`.
    public var name: String {
        switch self {
        case .cooperative: "cooperative"
        case .agency: "agency"
        }
    }

    public var isAgency: Bool {
        if case .agency = self { true } else { false }
    }

    /// The tenant whose rows are shown, if only one.
    public var tenant: UUID? {
        switch self {
        case .cooperative(let tenant): tenant
        case .agency(let tenant): tenant
        }
    }
}

/// A query parameter that cannot be used: the API answers 400 naming it, the command line names its option.
public struct ReportParameterError: Error, Hashable, Sendable {
    public var parameter: String
    public var detail: String

    public init(parameter: String, detail: String) {
        self.parameter = parameter
        self.detail = detail
    }

    public var message: String { "The query parameter `\(parameter)` \(detail)" }
}

/// The parameters of one report, parsed and checked.
///
/// ```swift
/// let parameters = try ReportParameters.parse(
///     name: "buying-power", query: [("groupBy", "agreement,state"), ("period", "quarter"), ("from", "2026-01")])
/// ```
public struct ReportParameters: Hashable, Sendable {
    public var name: ReportName
    public var format: ReportFormat = .json
    public var groupBy: [ReportDimension] = []
    /// How many leading UNSPSC digits the category grouping keeps: 2 (segment), 4 (family), 6 (class), 8 (commodity).
    public var categoryDigits: Int = 8
    public var period: ReportPeriod?
    /// Explicit fiscal-year start month; nil: 7 for the cooperative, the agency's own month for an agency.
    public var fiscalYearStartMonth: Int?
    /// First day included (the first of a month, except for the statement).
    public var from: LocalDate?
    /// Last day included (the last of a month, except for the statement).
    public var to: LocalDate?
    /// Only these agreements (empty: all).
    public var agreementIds: [UUID] = []
    /// Only this tenant (cooperative callers; required for the statement).
    public var tenantId: UUID?

    public init(name: ReportName) {
        self.name = name
    }

    public static let commonParameters: Set<String> = ["format", "from", "to", "agreementId", "tenantId"]

    /// Parses the query of `GET /v1/reports/{name}`; every problem names its parameter.
    public static func parse(name: String, query: [(String, String)]) throws(ReportParameterError) -> ReportParameters {
        guard let report = ReportName(rawValue: name) else {
            throw ReportParameterError(
                parameter: "name",
                detail: "must be one of: \(ReportName.allCases.map(\.rawValue).joined(separator: ", ")); got \"\(name)\"."
            )
        }
        var parameters = ReportParameters(name: report)
        var values: [String: String] = [:]
        let allowed = commonParameters.union(report.specificParameters)
        for (key, value) in query {
            guard allowed.contains(key) else {
                throw ReportParameterError(
                    parameter: key,
                    detail:
                        "is not a parameter of the \(report.rawValue) report; it takes \(allowed.sorted().joined(separator: ", "))."
                )
            }
            guard values[key] == nil else { throw ReportParameterError(parameter: key, detail: "is given more than once.") }
            values[key] = value
        }

        if let text = values["format"] {
            guard let format = ReportFormat(rawValue: text) else {
                throw ReportParameterError(parameter: "format", detail: "must be json or csv; got \"\(text)\".")
            }
            parameters.format = format
        }
        if let text = values["groupBy"] {
            var seen: Set<ReportDimension> = []
            for item in text.split(separator: ",", omittingEmptySubsequences: false) {
                let word = item.trimmingCharacters(in: .whitespaces)
                guard let dimension = ReportDimension(rawValue: word) else {
                    throw ReportParameterError(
                        parameter: "groupBy",
                        detail:
                            "must be a comma-separated list of \(ReportDimension.allCases.map(\.rawValue).joined(separator: ", ")); \"\(word)\" is not one of them."
                    )
                }
                if seen.insert(dimension).inserted { parameters.groupBy.append(dimension) }
            }
        }
        if let text = values["categoryDigits"] {
            guard let digits = Int(text), [2, 4, 6, 8].contains(digits) else {
                throw ReportParameterError(parameter: "categoryDigits", detail: "must be 2, 4, 6 or 8; got \"\(text)\".")
            }
            parameters.categoryDigits = digits
        }
        if let text = values["period"], text != "none" {
            guard let period = ReportPeriod(rawValue: text) else {
                throw ReportParameterError(
                    parameter: "period",
                    detail: "must be month, quarter, fiscal-year or none; got \"\(text)\"."
                )
            }
            parameters.period = period
        }
        if let text = values["fiscalYearStartMonth"] {
            guard let month = Int(text), (1...12).contains(month) else {
                throw ReportParameterError(
                    parameter: "fiscalYearStartMonth",
                    detail: "must be a month number from 1 to 12; got \"\(text)\"."
                )
            }
            parameters.fiscalYearStartMonth = month
        }
        // Every report but the statement reads monthly aggregates: its range is whole months.
        let wholeMonths = report != .statement
        if let text = values["from"] {
            parameters.from = try Self.date(text, parameter: "from", wholeMonths: wholeMonths, end: false)
        }
        if let text = values["to"] {
            parameters.to = try Self.date(text, parameter: "to", wholeMonths: wholeMonths, end: true)
        }
        if let from = parameters.from, let to = parameters.to, from > to {
            throw ReportParameterError(parameter: "to", detail: "must not be before `from`.")
        }
        if let text = values["agreementId"] {
            for item in text.split(separator: ",", omittingEmptySubsequences: false) {
                guard let id = UUID(uuidString: item.trimmingCharacters(in: .whitespaces)) else {
                    throw ReportParameterError(
                        parameter: "agreementId",
                        detail: "must be an agreement id (a UUID), or several separated by commas."
                    )
                }
                if !parameters.agreementIds.contains(id) { parameters.agreementIds.append(id) }
            }
        }
        if let text = values["tenantId"] {
            guard let id = UUID(uuidString: text) else {
                throw ReportParameterError(parameter: "tenantId", detail: "must be a tenant id (a UUID).")
            }
            parameters.tenantId = id
        }
        return parameters
    }

    /// `yyyy-MM` (the month's first or last day) or `yyyy-MM-dd`; with `wholeMonths`, a day must start (`from`)
    /// or end (`to`) its month.
    static func date(_ text: String, parameter: String, wholeMonths: Bool, end: Bool) throws(ReportParameterError) -> LocalDate {
        if text.count == 7, let first = LocalDate(iso8601: text + "-01") {
            return end ? ReportPeriod.month.end(start: first) : first
        }
        guard let date = LocalDate(iso8601: text) else {
            throw ReportParameterError(
                parameter: parameter,
                detail: "must be a month (yyyy-MM) or a date (yyyy-MM-dd); got \"\(text)\"."
            )
        }
        if wholeMonths {
            let first = LocalDate(validYear: date.year, month: date.month, day: 1)
            let wanted = end ? ReportPeriod.month.end(start: first) : first
            guard date == wanted else {
                throw ReportParameterError(
                    parameter: parameter,
                    detail:
                        "must be a whole month: reports count by month, so give a month (yyyy-MM) or the \(end ? "last" : "first") day of one (\(wanted)); got \(text)."
                )
            }
        }
        return date
    }
}
