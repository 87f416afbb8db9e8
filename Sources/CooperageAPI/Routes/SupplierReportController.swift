import CooperageCore
import CooperageStore
import Foundation
import Hummingbird
import NIOCore

/// `/v1/supplier-reports`: a supplier's quarterly sales report for a Master Agreement, recorded by the
/// cooperative (JSON, or CSV with the agreement and quarter in the query).
struct SupplierReportController {
    let reports: SupplierReportStore

    /// CSV files may be larger than JSON bodies.
    static let maximumFileSize = 16 * 1024 * 1024

    func register(on routes: APIRoutes) {
        routes.authenticated.post("supplier-reports", use: create)
        routes.authenticated.get("supplier-reports", use: list)
        routes.authenticated.get("supplier-reports/{id}", use: get)
    }

    @Sendable func create(_ request: Request, context: AuthenticatedRequestContext) async throws -> EditedResponse<SupplierReport>
    {
        let principal = try context.require(.cooperativeAdmin)
        let report: NewSupplierReport
        if request.mediaType == "text/csv" {
            report = try await Self.csvReport(request)
        } else {
            var request = request
            report = try await request.decodeJSON(NewSupplierReport.self, context: context)
            let issues = report.issues
            guard issues.isEmpty else { throw Problem.validation(issues) }
        }
        let recorded = try await reports.record(report, by: Actor(principal))
        return EditedResponse(
            status: .created,
            headers: [.location: "/v1/supplier-reports/\(recorded.id.uuidString.lowercased())"],
            response: recorded
        )
    }

    /// A CSV body (`agency_name, cooperative_number, invoice_date, amount_cents, fee_cents`) with
    /// `?agreementId=&year=&quarter=`.
    static func csvReport(_ request: Request) async throws -> NewSupplierReport {
        guard let agreement = try request.queryUUID("agreementId") else {
            throw Problem.badRequest("A CSV report names its agreement with the query parameter `agreementId`.")
        }
        func number(_ name: String, _ range: ClosedRange<Int>) throws -> Int {
            guard let text = request.uri.queryParameters.get(name), let value = Int(text), range.contains(value) else {
                throw Problem.badRequest(
                    "A CSV report needs the query parameter `\(name)`, an integer from \(range.lowerBound) to \(range.upperBound)."
                )
            }
            return value
        }
        let year = try number("year", 2000...2200)
        let quarter = try number("quarter", 1...4)
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

    @Sendable func list(_ request: Request, context: AuthenticatedRequestContext) async throws -> Page<SupplierReport> {
        try context.require(.cooperativeAdmin, .cooperativeFinance)
        let limit = try request.queryInt("limit", default: 50, range: 1...200)
        let agreement = try request.queryUUID("agreementId")
        let cursor = try request.queryCursor()
        let (page, next) = try await reports.list(limit: limit, before: cursor, agreementID: agreement)
        return Page(items: page, nextCursor: next.map(String.init))
    }

    @Sendable func get(_ request: Request, context: AuthenticatedRequestContext) async throws -> SupplierReport {
        let id = try context.parameters.uuid("id")
        try context.require(.cooperativeAdmin, .cooperativeFinance)
        return try await reports.get(id)
    }
}

extension SupplierReport: ResponseEncodable {}
