import CooperageCore
import CooperageStore
import Foundation
import Hummingbird
import Metrics

/// `/v1/reports/{name}`: buying power, tiers, admin fees, savings, reconciliation and an agency's statement,
/// as JSON or CSV. Cooperative admins and finance see every agency; an agency's admin and finance see their
/// own rows, plus agreement-level totals and agency counts (never other agencies' identities).
///
/// Reports are read from the read replica when one is configured and usable (``ReportReader``; the bearer token
/// was already checked on the primary by ``BearerAuthenticator``). Every answer says where it was read and how
/// current it is: `As-Of` and `Read-From` headers, and `asOf`/`readFrom` members in JSON.
struct ReportController {
    let reports: ReportReader

    func register(on routes: APIRoutes) {
        routes.authenticated.get("reports/{name}", use: report)
    }

    @Sendable func report(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        try context.require(.cooperativeAdmin, .cooperativeFinance, .agencyAdmin, .agencyFinance)
        let name = context.parameters.get("name") ?? ""
        guard ReportName(rawValue: name) != nil else {
            throw Problem(
                kind: "not-found",
                title: "Not found",
                status: .notFound,
                detail:
                    "There is no report \"\(name)\"; the reports are \(ReportName.allCases.map(\.rawValue).joined(separator: ", "))."
            )
        }
        let parameters: ReportParameters
        do {
            parameters = try ReportParameters.parse(
                name: name,
                query: request.uri.queryParameters.map { (String($0.key), String($0.value)) }
            )
        } catch {
            throw Problem.badRequest(error.message, pointer: error.parameter)
        }
        let scope = try Self.scope(of: parameters, for: context)
        let read = try await reports.build(parameters, scope: scope)
        // With a replica: "served", or why it did not serve ("not-found" when the primary had to answer for a 404).
        let replica =
            reports.replica == nil
            ? "none" : read.fallback?.name ?? (read.freshness.source == .replica ? "served" : "not-found")
        Counter(
            label: "cooperage_report_reads_total",
            dimensions: [("read_from", read.freshness.source.rawValue), ("replica", replica)]
        ).increment()
        let rendered = try ReportRenderer.render(
            read.document,
            format: parameters.format,
            day: LocalDate.today(),
            freshness: read.freshness
        )
        var headers: HTTPFields = [
            .contentType: rendered.contentType, .asOf: read.freshness.asOfText, .readFrom: read.freshness.source.rawValue,
        ]
        if let disposition = rendered.contentDisposition { headers[.contentDisposition] = disposition }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: rendered.body)))
    }

    /// Cooperative roles read every agency (or the one named by `tenantId`); agency roles their own only:
    /// another agency's id answers 404, as everywhere.
    static func scope(of parameters: ReportParameters, for context: AuthenticatedRequestContext) throws -> ReportScope {
        let scope = try context.scope(naming: parameters.tenantId)
        if parameters.name == .statement && scope == .cooperative(tenant: nil) {
            throw Problem.badRequest(
                "The statement is one agency's: cooperative staff name it with the query parameter `tenantId`.",
                pointer: "tenantId"
            )
        }
        return scope
    }
}
