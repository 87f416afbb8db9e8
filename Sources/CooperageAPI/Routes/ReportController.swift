import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/v1/reports/{name}`: buying power, tiers, admin fees, savings, reconciliation and an agency's statement,
/// as JSON or CSV. Cooperative admins and finance see every agency; an agency's admin and finance see their
/// own rows, plus agreement-level totals and agency counts (never other agencies' identities).
struct ReportController {
    let reports: ReportStore

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
        let document = try await reports.build(parameters, scope: scope)
        let rendered = try ReportRenderer.render(document, format: parameters.format, day: LocalDate.today())
        var headers: HTTPFields = [.contentType: rendered.contentType]
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
