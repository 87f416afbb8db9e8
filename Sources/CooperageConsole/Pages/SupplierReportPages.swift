import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/console/supplier-reports`: the suppliers' quarterly sales reports the cooperative has recorded, newest first,
/// for the roles the API lets read them; the cooperative admin records one by uploading the supplier's CSV, read
/// and checked by the same code as the API's `POST /v1/supplier-reports` with a CSV body.
struct SupplierReportPages {
    let reports: SupplierReportStore
    let renderer: ConsoleRenderer

    func register(signedIn: RouterGroup<SignedInContext>) {
        signedIn.get("supplier-reports", use: list)
        signedIn.get("supplier-reports/new", use: uploadForm)
        signedIn.post("supplier-reports", use: upload)
    }

    /// A supplier's quarterly file is small; the API's limit for the same file.
    static let maximumSize = 16 * 1024 * 1024

    @Sendable func uploadForm(_ request: Request, context: SignedInContext) async throws -> Response {
        try context.require(.cooperativeAdmin)
        let agreement = request.uri.queryParameters.get("agreementId").map { String($0) } ?? ""
        return renderer.response(uploadPage(["agreementId": agreement]), session: context.session, path: request.uri.path)
    }

    @Sendable func upload(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = try context.require(.cooperativeAdmin)
        let form = try await MultipartForm.read(request, limit: Self.maximumSize)
        try form.requireCSRF(context.session)
        let typed = ["agreementId", "year", "quarter"].reduce(into: [String: String]()) {
            $0[$1] = form.fields[$1]?.trimmingCharacters(in: .whitespaces) ?? ""
        }
        var issues = FormIssues()
        let agreement = typed["agreementId"].flatMap(UUID.init(uuidString:))
        if agreement == nil { issues.add("agreementId", "must be the id of a Master Agreement") }
        let year = typed["year"].flatMap { Int($0) }.flatMap { (2000...2200).contains($0) ? $0 : nil }
        if year == nil { issues.add("year", "must be a year from 2000 to 2200") }
        let quarter = typed["quarter"].flatMap { Int($0) }.flatMap { (1...4).contains($0) ? $0 : nil }
        if quarter == nil { issues.add("quarter", "must be 1, 2, 3 or 4") }
        guard let file = form.files["file"], !file.bytes.isEmpty else {
            issues.add("file", "choose the supplier's CSV file")
            return renderer.response(uploadPage(typed, issues: issues), session: context.session, path: request.uri.path)
        }
        guard let agreement, let year, let quarter, issues.isEmpty else {
            return renderer.response(uploadPage(typed, issues: issues), session: context.session, path: request.uri.path)
        }
        do {
            let lines = try SupplierReportCSV.lines(
                in: file.bytes,
                quarter: NewSupplierReport.quarterDays(year: year, quarter: quarter)
            )
            let report = NewSupplierReport(agreementId: agreement, year: year, quarter: quarter, lines: lines)
            guard report.issues.isEmpty else {
                return renderer.response(
                    uploadPage(typed, lineIssues: report.issues),
                    session: context.session,
                    path: request.uri.path
                )
            }
            _ = try await reports.record(report, by: Actor(principal))
            return SessionPages.redirect(to: "/console/supplier-reports?agreementId=\(agreement.uuidString.lowercased())")
        } catch let failure as SupplierReportCSV.Failure {
            return renderer.response(
                uploadPage(typed, lineIssues: failure.issues),
                session: context.session,
                path: request.uri.path
            )
        } catch StoreError.conflict(let pointer, let detail), StoreError.invalid(let pointer, let detail) {
            let field = pointer.contains("agreement") ? "agreementId" : ""
            issues.add(field, detail)
            return renderer.response(uploadPage(typed, issues: issues), session: context.session, path: request.uri.path)
        }
    }

    /// The upload form, with what is wrong: fields next to their inputs, the file's lines in a table.
    private func uploadPage(_ values: [String: String], issues: FormIssues = FormIssues(), lineIssues: [FieldIssue] = [])
        -> ConsolePage
    {
        let failed = !issues.isEmpty || !lineIssues.isEmpty
        return ConsolePage(
            "supplier-report-new",
            title: "Record a supplier sales report",
            status: failed ? .unprocessableContent : .ok,
            [
                "values": values, "errors": issues.templateValues, "hasLineIssues": !lineIssues.isEmpty,
                "lineIssues": lineIssues.map { ["where": $0.pointer, "detail": $0.detail] as [String: any Sendable] },
            ]
        )
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
                "version": report.version, "superseded": !report.current, "late": report.late,
                "total": MoneyFormatter.dollars(cents: report.totalCents), "fee": MoneyFormatter.dollars(cents: report.feeCents),
                "lines": report.lineCount, "matched": report.matchedLineCount,
                "filedOn": LocalDate.today(report.createdAt).description,
            ] as [String: any Sendable]
        }
        var values: [String: any Sendable] = [
            "reports": rows, "empty": rows.isEmpty,
            "canUpload": context.principal.role == .cooperativeAdmin,
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
