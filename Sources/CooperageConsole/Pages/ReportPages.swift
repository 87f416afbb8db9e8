import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/console/reports/{name}`: the API's reports (`GET /v1/reports/{name}`) as pages, with the same parameters,
/// the same roles and scopes, and a "Download CSV" link (`/console/reports/{name}.csv?...`) giving the API's bytes.
struct ReportPages {
    let reports: ReportStore
    let agreements: AgreementStore
    let tenants: TenantStore
    let renderer: ConsoleRenderer

    func register(signedIn: RouterGroup<SignedInContext>) {
        signedIn.get("reports/{name}", use: report)
    }

    static let titles: [ReportName: String] = [
        .buyingPower: "Buying power", .tiers: "Tier attainment", .adminFees: "Admin fees", .savings: "Savings",
        .reconciliation: "Reconciliation", .statement: "Statement",
    ]

    @Sendable func report(_ request: Request, context: SignedInContext) async throws -> Response {
        // The API's roles for reports.
        let principal = try context.require(.cooperativeAdmin, .cooperativeFinance, .agencyAdmin, .agencyFinance)
        var name = context.parameters.get("name") ?? ""
        let csv = name.hasSuffix(".csv")
        if csv { name.removeLast(".csv".count) }
        guard let report = ReportName(rawValue: name) else { throw ConsolePageError.notFound }
        let query = ReportQuery(request)
        let parameters: ReportParameters
        do {
            parameters = try ReportParameters.parse(name: name, query: query.pairs)
        } catch {
            if csv { throw Problem.badRequest(error.message, pointer: error.parameter) }
            return try await page(report, query: query, context: context, request: request, refusal: error)
        }
        let scope = try Self.scope(of: parameters, for: principal)
        guard let scope else {
            if csv {
                throw Problem.badRequest(
                    "The statement is one agency's: cooperative staff name it with the query parameter `tenantId`.",
                    pointer: "tenantId"
                )
            }
            return try await page(report, query: query, context: context, request: request)
        }
        let document = try await reports.build(parameters, scope: scope)
        if csv {
            // The API's own rendering, so the download is byte for byte the API's CSV of the same parameters.
            let rendered = try ReportRenderer.render(document, format: .csv, day: LocalDate.today())
            var headers: HTTPFields = [.contentType: rendered.contentType]
            if let disposition = rendered.contentDisposition { headers[.contentDisposition] = disposition }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: rendered.body)))
        }
        return try await page(report, query: query, context: context, request: request, document: document)
    }

    /// As the API's `ReportController.scope`: an agency reads its own rows (naming another agency is not found);
    /// cooperative staff every agency or the one named. Nil: a cooperative statement that names no agency.
    static func scope(of parameters: ReportParameters, for principal: Principal) throws -> ReportScope? {
        guard let scope = principal.readScope(naming: parameters.tenantId) else { throw ConsolePageError.notFound }
        return parameters.name == .statement && scope == .cooperative(tenant: nil) ? nil : scope
    }

    private func page(
        _ report: ReportName,
        query: ReportQuery,
        context: SignedInContext,
        request: Request,
        document: (any ReportDocument)? = nil,
        refusal: ReportParameterError? = nil
    ) async throws -> Response {
        let principal = context.principal
        var values: [String: any Sendable] = [
            "name": report.rawValue,
            "reports": ReportName.allCases.map {
                ["href": "/console/reports/\($0.rawValue)", "label": Self.titles[$0] ?? $0.rawValue, "current": $0 == report]
                    as [String: any Sendable]
            },
            "filters": try await filters(report, query: query, principal: principal),
        ]
        if let refusal {
            values["refusal"] = ["message": refusal.message, "parameter": refusal.parameter] as [String: any Sendable]
            values["errors"] = [refusal.parameter: refusal.detail]
        }
        if document == nil && refusal == nil {
            values["note"] = "Choose an agency to see its statement."
        }
        if let document {
            values["csvHref"] = "/console/reports/\(report.rawValue).csv" + query.queryString
            var table = Self.table(document)
            table.firstRow = query.rowsFrom
            table.pageHref = "/console/reports/\(report.rawValue)" + query.queryString
            values["table"] = table.templateValue
            if let buyingPower = document as? BuyingPowerReport { values["chart"] = BuyingPowerChart(buyingPower).templateValue }
            if let tiers = document as? TierReport {
                let progress = TierProgress(report: tiers).templateValue
                values["tiers"] = ["items": progress, "empty": progress.isEmpty] as [String: any Sendable]
            }
            if let fees = document as? AdminFeeReport { values["note"] = "Fees are rounded \(fees.rounding)." }
            if let reconciliation = document as? ReconciliationReport {
                let count = reconciliation.mismatchCount
                values["note"] = count == 0 ? "Every row matches." : "\(count) row\(count == 1 ? "" : "s") do not match."
            }
            if let statement = document as? StatementReport {
                let totals = statement.totals
                values["note"] =
                    "\(statement.tenantName): authorized \(MoneyFormatter.dollars(cents: totals.authorizedCents)), "
                    + "used \(MoneyFormatter.dollars(cents: totals.usedCents)), "
                    + "remaining \(MoneyFormatter.dollars(cents: totals.remainingCents))."
            }
        }
        return renderer.response(
            ConsolePage(
                "report",
                title: Self.titles[report] ?? report.rawValue,
                status: refusal == nil ? .ok : .badRequest,
                values
            ),
            session: context.session,
            path: request.uri.path
        )
    }

    static func table(_ document: any ReportDocument) -> ReportTable {
        let caption =
            switch document.report {
            case .buyingPower:
                (document as? BuyingPowerReport)?.agreementTotals != nil
                    ? "Your agency's spend, then every agency's total per agreement" : "Spend, orders and agencies"
            case .tiers: "Volume and tiers per agreement"
            case .adminFees: "Admin fee due per supplier, agreement and quarter"
            case .savings: "List price against price paid"
            case .reconciliation: "Registered against reported, per agency, agreement and quarter"
            case .statement: "Authorizations, and the orders and reversals under each"
            }
        return ReportTable(
            table: document.csvTable,
            caption: caption,
            mismatchColumn: document.report == .reconciliation ? "status" : nil
        )
    }

    /// The filter form's view: the range, the agreement, the agency (cooperative staff) and buying power's own.
    private func filters(_ report: ReportName, query: ReportQuery, principal: Principal) async throws -> [String: any Sendable] {
        let chosenAgreements = Set((query["agreementId"] ?? "").split(separator: ",").map { $0.lowercased() })
        let (catalog, _) = try await agreements.list(limit: 200, after: nil, search: AgreementStore.Search())
        var values: [String: any Sendable] = [
            "from": query["from"] ?? "", "to": query["to"] ?? "",
            // The statement counts days; every other report whole months.
            "dateType": report == .statement ? "date" : "month",
            "agreements": catalog.map {
                let id = $0.id.uuidString.lowercased()
                return ["id": id, "label": "\($0.number) · \($0.supplierName)", "selected": chosenAgreements.contains(id)]
                    as [String: any Sendable]
            },
        ]
        if principal.tenantID == nil {
            var (agencies, _) = try await tenants.list(limit: 200, after: nil, status: nil)
            // The list is the first 200; the agency chosen is always in it.
            if let id = query["tenantId"].flatMap(UUID.init(uuidString:)), !agencies.contains(where: { $0.id == id }) {
                agencies.append(try await tenants.get(id))
            }
            let chosen = query["tenantId"]?.lowercased()
            // A section of its own: swift-mustache has no `{{#list.0}}`, so presence is a key.
            values["agencyFilter"] =
                [
                    "agencies": agencies.map {
                        let id = $0.id.uuidString.lowercased()
                        return ["id": id, "label": $0.legalName, "selected": id == chosen] as [String: any Sendable]
                    }
                ] as [String: any Sendable]
        }
        if report == .buyingPower {
            let grouped = Set((query["groupBy"] ?? "").split(separator: ",").map { String($0) })
            values["buyingPower"] =
                [
                    "groupBy": ReportDimension.allCases.map {
                        ["value": $0.rawValue, "checked": grouped.contains($0.rawValue)] as [String: any Sendable]
                    },
                    "periods": ConsoleChoices.of(ReportPeriod.self, selected: query["period"]),
                ] as [String: any Sendable]
        }
        return values
    }
}
