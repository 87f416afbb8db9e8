import CooperageCore
import CooperageStore
import Foundation
import Hummingbird
import NIOCore

/// `/v1/supplier-reports`: a supplier's quarterly sales report for a Master Agreement (JSON, or CSV with the agreement
/// and quarter in the query), filed by the cooperative for the supplier or by the supplier itself with its
/// supplier-reporter token, and amended by filing a new version. A supplier reads and files only its own (another's
/// report or agreement is not found); cooperative staff read every supplier's.
struct SupplierReportController {
    let reports: SupplierReportStore

    /// CSV files may be larger than JSON bodies.
    static let maximumFileSize = 16 * 1024 * 1024

    func register(on routes: APIRoutes) {
        routes.caller.post("supplier-reports", use: create)
        routes.caller.get("supplier-reports", use: list)
        routes.caller.get("supplier-reports/overdue", use: overdue)
        routes.caller.get("supplier-reports/{id}", use: get)
        routes.caller.post("supplier-reports/{id}/amendments", use: amend)
    }

    @Sendable func create(_ request: Request, context: CallerRequestContext) async throws -> EditedResponse<SupplierReport> {
        let reader = try context.supplierReader(.cooperativeAdmin)
        let report = try await Self.body(request, context: context, amending: nil)
        let recorded = try await reports.record(report, as: reader, by: Actor(context.principal))
        return Self.created(recorded)
    }

    /// `POST /v1/supplier-reports/{id}/amendments`: the same bodies as a first report; the new version supersedes
    /// `{id}`, which must be the latest version.
    @Sendable func amend(_ request: Request, context: CallerRequestContext) async throws -> EditedResponse<SupplierReport> {
        let id = try context.parameters.uuid("id")
        let reader = try context.supplierReader(.cooperativeAdmin)
        let report: NewSupplierReport
        if request.mediaType == "text/csv" {
            // The CSV's agreement and quarter are the amended report's unless the query names them.
            let amended = try await reports.get(id, as: reader)
            report = try await Self.body(request, context: context, amending: amended)
        } else {
            report = try await Self.body(request, context: context, amending: nil)
        }
        let filed = try await reports.amend(id, with: report, as: reader, by: Actor(context.principal))
        return Self.created(filed)
    }

    static func created(_ report: SupplierReport) -> EditedResponse<SupplierReport> {
        EditedResponse(
            status: .created,
            headers: [.location: "/v1/supplier-reports/\(report.id.uuidString.lowercased())"],
            response: report
        )
    }

    /// The report of a JSON or CSV body, checked (422 naming each wrong field or line).
    static func body(_ request: Request, context: CallerRequestContext, amending: SupplierReport?) async throws
        -> NewSupplierReport
    {
        if request.mediaType == "text/csv" { return try await csvReport(request, amending: amending) }
        var request = request
        let report = try await request.decodeJSON(NewSupplierReport.self, context: context)
        let issues = report.issues
        guard issues.isEmpty else { throw Problem.validation(issues) }
        return report
    }

    /// A CSV body (`agency_name, cooperative_number, invoice_date, amount_cents, fee_cents`) with
    /// `?agreementId=&year=&quarter=` (for an amendment, those of the amended report when left out).
    static func csvReport(_ request: Request, amending: SupplierReport? = nil) async throws -> NewSupplierReport {
        guard let agreement = try request.queryUUID("agreementId") ?? amending?.agreementId else {
            throw Problem.badRequest("A CSV report names its agreement with the query parameter `agreementId`.")
        }
        func number(_ name: String, _ range: ClosedRange<Int>, _ amended: Int?) throws -> Int {
            guard let text = request.uri.queryParameters.get(name) else {
                if let amended { return amended }
                throw Problem.badRequest(
                    "A CSV report needs the query parameter `\(name)`, an integer from \(range.lowerBound) to \(range.upperBound)."
                )
            }
            guard let value = Int(text), range.contains(value) else {
                throw Problem.badRequest(
                    "The query parameter `\(name)` must be an integer from \(range.lowerBound) to \(range.upperBound)."
                )
            }
            return value
        }
        let year = try number("year", 2000...2200, amending?.year)
        let quarter = try number("quarter", 1...4, amending?.quarter)
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maximumFileSize)
        } catch is NIOTooManyBytesError {
            throw Problem.payloadTooLarge(limit: maximumFileSize)
        }
        do {
            let lines = try SupplierReportCSV.lines(
                in: Array(body.readableBytesView),
                quarter: NewSupplierReport.quarterDays(year: year, quarter: quarter)
            )
            let report = NewSupplierReport(agreementId: agreement, year: year, quarter: quarter, lines: lines)
            let issues = report.issues
            guard issues.isEmpty else { throw Problem.validation(issues) }
            return report
        } catch let failure as SupplierReportCSV.Failure {
            throw Problem.validation(
                failure.issues,
                detail: "The report was not recorded: \(failure.issues.prefix(20).map(\.detail).joined(separator: "; "))"
                    + (failure.issues.count > 20 ? "; ..." : "")
            )
        }
    }

    @Sendable func list(_ request: Request, context: CallerRequestContext) async throws -> Page<SupplierReport> {
        let reader = try context.supplierReader(.cooperativeAdmin, .cooperativeFinance)
        let limit = try request.queryInt("limit", default: 50, range: 1...200)
        let agreement = try request.queryUUID("agreementId")
        let latestOnly = try request.queryBool("latest") ?? false
        let cursor = try request.queryCursor()
        let (page, next) = try await reports.list(
            limit: limit,
            before: cursor,
            agreementID: agreement,
            latestOnly: latestOnly,
            as: reader
        )
        return Page(items: page, nextCursor: next.map(String.init))
    }

    @Sendable func get(_ request: Request, context: CallerRequestContext) async throws -> SupplierReport {
        let id = try context.parameters.uuid("id")
        let reader = try context.supplierReader(.cooperativeAdmin, .cooperativeFinance)
        return try await reports.get(id, as: reader)
    }

    /// What `GET /v1/supplier-reports/overdue` answers: the day judged and each quarter missing or late.
    struct OverdueList: ResponseEncodableBody {
        var asOf: LocalDate
        var missingCount: Int
        var lateCount: Int
        var items: [OverdueSupplierReport]
    }

    /// `GET /v1/supplier-reports/overdue?asOf=&agreementId=`: reports missing past their due date, and those that
    /// arrived late, on `asOf` (today, UTC, by default).
    @Sendable func overdue(_ request: Request, context: CallerRequestContext) async throws -> OverdueList {
        let reader = try context.supplierReader(.cooperativeAdmin, .cooperativeFinance)
        let asOf = try request.queryDate("asOf") ?? LocalDate.today()
        let items = try await reports.overdue(asOf: asOf, agreementID: try request.queryUUID("agreementId"), as: reader)
        return OverdueList(
            asOf: asOf,
            missingCount: items.count { $0.status == .missing },
            lateCount: items.count { $0.status == .late },
            items: items
        )
    }
}

extension SupplierReport: ResponseEncodable {}
