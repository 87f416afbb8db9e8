import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/console/solicitations`: how lead agencies solicited the contracts the cooperative publishes. Every signed-in
/// role may read them, as in the API; the cooperative admin records them.
struct SolicitationPages {
    let solicitations: SolicitationStore
    let renderer: ConsoleRenderer

    func register(signedIn: RouterGroup<SignedInContext>) {
        signedIn.get("solicitations", use: list)
        signedIn.get("solicitations/new", use: newForm)
        signedIn.post("solicitations", use: create)
        signedIn.get("solicitations/{id}", use: detail)
    }

    static let form = FormDecoder(fields: [
        ("leadTenantId", .text), ("number", .text), ("title", .text), ("method", .text), ("advertisedWhere", .text),
        ("advertisedOn", .text), ("cooperativeLanguageInSolicitation", .bool), ("cooperativeLanguageInContract", .bool),
        ("awardBasis", .text), ("awardDate", .text),
    ])

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        let lead = request.uri.queryParameters.get("leadTenantId").flatMap { UUID(uuidString: String($0)) }
        let cursor = request.uri.queryParameters.get("cursor").flatMap { Int64($0) }
        let (page, next) = try await solicitations.list(limit: 50, after: cursor, leadTenantId: lead)
        let rows = page.map { solicitation in
            [
                "id": solicitation.id.uuidString.lowercased(), "number": solicitation.number, "title": solicitation.title,
                "lead": solicitation.leadAgencyName, "method": solicitation.method.rawValue,
                "awardDate": solicitation.awardDate?.description ?? "",
            ] as [String: any Sendable]
        }
        var values: [String: any Sendable] = [
            "solicitations": rows, "empty": rows.isEmpty, "canCreate": context.principal.role == .cooperativeAdmin,
        ]
        if let next {
            values["next"] =
                "/console/solicitations?cursor=\(next)" + (lead.map { "&leadTenantId=\($0.uuidString.lowercased())" } ?? "")
        }
        return renderer.response(
            ConsolePage("solicitations", title: "Solicitations", values),
            session: context.session,
            path: request.uri.path
        )
    }

    @Sendable func newForm(_ request: Request, context: SignedInContext) async throws -> Response {
        try context.require(.cooperativeAdmin)
        var values = [
            "method": AuthorizationContext.SolicitationMethod.rfp.rawValue,
            "awardBasis": AuthorizationContext.AwardBasis.bestValue.rawValue,
        ]
        // Reached from an agency's page, the form names that agency as the lead.
        if let lead = request.uri.queryParameters.get("leadTenantId").flatMap({ UUID(uuidString: String($0)) }) {
            values["leadTenantId"] = lead.uuidString.lowercased()
        }
        return renderer.response(formPage(values: values), session: context.session, path: request.uri.path)
    }

    @Sendable func create(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = try context.require(.cooperativeAdmin)
        let form = try await ConsoleForm.read(request)
        try form.requireCSRF(context.session)
        var typed = Self.form.typedValues(of: form)
        for box in ["cooperativeLanguageInSolicitation", "cooperativeLanguageInContract"] where typed[box] == "" {
            typed[box] = nil
        }
        let issues: FormIssues
        switch Self.form.decode(NewSolicitation.self, from: form) {
        case .failure(let found): issues = found
        case .success(let draft):
            guard draft.issues.isEmpty else {
                issues = FormIssues(draft.issues)
                break
            }
            do {
                let solicitation = try await solicitations.create(draft, by: Actor(principal))
                return SessionPages.redirect(to: "/console/solicitations/\(solicitation.id.uuidString.lowercased())")
            } catch StoreError.conflict(let pointer, let detail), StoreError.invalid(let pointer, let detail) {
                issues = FormIssues([FieldIssue(pointer: pointer, detail: detail)])
            }
        }
        return renderer.response(formPage(values: typed, issues: issues), session: context.session, path: request.uri.path)
    }

    private func formPage(values: [String: String], issues: FormIssues = FormIssues()) -> ConsolePage {
        ConsolePage(
            "solicitation-new",
            title: "New solicitation",
            status: issues.isEmpty ? .ok : .unprocessableContent,
            [
                "values": values, "errors": issues.templateValues,
                "methods": ConsoleChoices.of(AuthorizationContext.SolicitationMethod.self, selected: values["method"]),
                "awardBases": ConsoleChoices.of(AuthorizationContext.AwardBasis.self, selected: values["awardBasis"]),
            ]
        )
    }

    @Sendable func detail(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try context.id()
        let solicitation = try await solicitations.get(id)
        return renderer.response(
            ConsolePage(
                "solicitation",
                title: "Solicitation \(solicitation.number)",
                [
                    "solicitation": [
                        "id": solicitation.id.uuidString.lowercased(), "number": solicitation.number, "title": solicitation.title,
                        "leadId": solicitation.leadTenantId.uuidString.lowercased(), "lead": solicitation.leadAgencyName,
                        "method": solicitation.method.rawValue, "advertisedWhere": solicitation.advertisedWhere ?? "",
                        "advertisedOn": solicitation.advertisedOn?.description ?? "",
                        "languageInSolicitation": solicitation.cooperativeLanguageInSolicitation ? "yes" : "no",
                        "languageInContract": solicitation.cooperativeLanguageInContract ? "yes" : "no",
                        "awardBasis": solicitation.awardBasis.rawValue, "awardDate": solicitation.awardDate?.description ?? "",
                    ] as [String: any Sendable],
                    // Agency people may read the solicitation, but only the cooperative's admin sees agency pages.
                    "linksAgency": context.principal.canAct(for: solicitation.leadTenantId),
                    "canAward": context.principal.role == .cooperativeAdmin,
                ]
            ),
            session: context.session,
            path: request.uri.path
        )
    }
}
