import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// What a supplier's own token reads besides its reports: `/v1/supplier/agreements` (its Master Agreements) and
/// `/v1/supplier-usage` (what agencies registered under them, per quarter and agency). Supplier tokens only; another
/// supplier's agreement is not found.
struct SupplierSelfServiceController {
    let reports: SupplierReportStore

    func register(on routes: APIRoutes) {
        routes.supplier.get("supplier/agreements", use: agreements)
        routes.supplier.get("supplier/agreements/{id}", use: agreement)
        routes.supplier.get("supplier-usage", use: usage)
    }

    @Sendable func agreements(_ request: Request, context: SupplierRequestContext) async throws -> Page<SupplierAgreement> {
        Page(items: try await reports.agreements(of: context.supplierID), nextCursor: nil)
    }

    @Sendable func agreement(_ request: Request, context: SupplierRequestContext) async throws -> SupplierAgreement {
        let id = try context.parameters.uuid("id")
        guard let agreement = try await reports.agreements(of: context.supplierID, agreementID: id).first else {
            throw Problem.notFound("agreement")
        }
        return agreement
    }

    /// What `GET /v1/supplier-usage` answers.
    struct UsageList: ResponseEncodableBody {
        var items: [SupplierUsage]
    }

    /// `?year=&quarter=&agreementId=`: one quarter (`year` and `quarter`), one year (`year`), or all time.
    @Sendable func usage(_ request: Request, context: SupplierRequestContext) async throws -> UsageList {
        let year = try request.uri.queryParameters.get("year").map { _ in
            try request.queryInt("year", default: 0, range: 2000...2200)
        }
        let quarter = try request.uri.queryParameters.get("quarter").map { _ in
            try request.queryInt("quarter", default: 0, range: 1...4)
        }
        let period: ClosedRange<LocalDate>?
        switch (year, quarter) {
        case (let year?, let quarter?):
            period = NewSupplierReport.quarterDays(year: year, quarter: quarter)
        case (let year?, nil):
            period =
                NewSupplierReport.quarterDays(year: year, quarter: 1)
                .lowerBound...NewSupplierReport.quarterDays(year: year, quarter: 4).upperBound
        case (nil, _?):
            throw Problem.badRequest("The query parameter `quarter` needs `year` beside it.", pointer: "quarter")
        case (nil, nil):
            period = nil
        }
        let items = try await reports.usage(
            of: context.supplierID,
            period: period,
            agreementID: try request.queryUUID("agreementId")
        )
        return UsageList(items: items)
    }
}

extension SupplierAgreement: ResponseEncodable {}
