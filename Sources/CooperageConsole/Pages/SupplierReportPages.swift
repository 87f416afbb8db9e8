import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/console/supplier-reports`: the suppliers' quarterly sales reports the cooperative has recorded, newest first,
/// for the roles the API lets read them.
struct SupplierReportPages {
    let reports: SupplierReportStore
    let renderer: ConsoleRenderer

    func register(signedIn: RouterGroup<SignedInContext>) {
        signedIn.get("supplier-reports", use: list)
    }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        try context.require(.cooperativeAdmin, .cooperativeFinance)
        let agreement = request.uri.queryParameters.get("agreementId").flatMap { UUID(uuidString: String($0)) }
        let cursor = request.uri.queryParameters.get("cursor").flatMap { Int64($0) }
        let (page, next) = try await reports.list(limit: 50, before: cursor, agreementID: agreement)
        let rows = page.map { report in
            [
                "agreementId": report.agreementId.uuidString.lowercased(), "number": report.agreementNumber,
                "supplier": report.supplierName, "period": "Q\(report.quarter) \(report.year)",
                "total": MoneyFormatter.dollars(cents: report.totalCents), "fee": MoneyFormatter.dollars(cents: report.feeCents),
                "lines": report.lineCount, "matched": report.matchedLineCount,
                "filedOn": LocalDate.today(report.createdAt).description,
            ] as [String: any Sendable]
        }
        var values: [String: any Sendable] = [
            "reports": rows, "empty": rows.isEmpty, "policy": OverviewPolicy.reportGraceDays,
        ]
        if let next {
            values["next"] =
                "/console/supplier-reports?cursor=\(next)"
                + (agreement.map { "&agreementId=\($0.uuidString.lowercased())" } ?? "")
        }
        return renderer.response(
            ConsolePage("supplier-reports", title: "Supplier sales reports", values),
            session: context.session,
            path: request.uri.path
        )
    }
}
