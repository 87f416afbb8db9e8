import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/console/agencies/{id}/participations`: recording an agency's participation instrument (the entity-level
/// permission to use the cooperative's agreements), for the roles the API lets record one.
struct ParticipationPages {
    let tenants: TenantStore
    let participations: ParticipationStore
    let renderer: ConsoleRenderer

    func register(signedIn: RouterGroup<SignedInContext>) {
        signedIn.get("agencies/{id}/participations/new", use: newForm)
        signedIn.post("agencies/{id}/participations", use: create)
    }

    static let form = FormDecoder(fields: [
        ("kind", .text), ("agreementId", .text), ("state", .text), ("resolutionNumber", .text), ("resolutionDate", .text),
        ("effectiveOn", .text), ("expiresOn", .text), ("terminationNoticeDays", .integer), ("documentReference", .text),
    ])

    @Sendable func newForm(_ request: Request, context: SignedInContext) async throws -> Response {
        let (id, _) = try context.agencyInPath(.cooperativeAdmin, .agencyAdmin)
        let tenant = try await tenants.get(id)
        return renderer.response(
            formPage(tenant, values: ["kind": Participation.Kind.masterIntergovernmentalAgreement.rawValue]),
            session: context.session,
            path: request.uri.path
        )
    }

    @Sendable func create(_ request: Request, context: SignedInContext) async throws -> Response {
        let (id, principal) = try context.agencyInPath(.cooperativeAdmin, .agencyAdmin)
        let form = try await ConsoleForm.read(request)
        try form.requireCSRF(context.session)
        let tenant = try await tenants.get(id)
        let typed = Self.form.typedValues(of: form)
        let issues: FormIssues
        switch Self.form.decode(NewParticipation.self, from: form) {
        case .failure(let found): issues = found
        case .success(let draft):
            guard draft.issues.isEmpty else {
                issues = FormIssues(draft.issues)
                break
            }
            do {
                _ = try await participations.create(draft, tenantID: id, by: Actor(principal))
                return SessionPages.redirect(to: "/console/agencies/\(id.uuidString.lowercased())#instruments")
            } catch StoreError.invalid(let pointer, let detail), StoreError.conflict(let pointer, let detail) {
                issues = FormIssues([FieldIssue(pointer: pointer, detail: detail)])
            }
        }
        return renderer.response(
            formPage(tenant, values: typed, issues: issues),
            session: context.session,
            path: request.uri.path
        )
    }

    private func formPage(_ tenant: Tenant, values: [String: String], issues: FormIssues = FormIssues()) -> ConsolePage {
        ConsolePage(
            "participation-new",
            title: "Record a participation instrument for \(tenant.legalName)",
            status: issues.isEmpty ? .ok : .unprocessableContent,
            [
                "agencyId": tenant.id.uuidString.lowercased(), "agencyName": tenant.legalName,
                "values": values, "errors": issues.templateValues,
                "kinds": ConsoleChoices.of(Participation.Kind.self, selected: values["kind"]),
            ]
        )
    }

    /// One instrument as a row of the agency page's table.
    static func row(_ participation: Participation, today: LocalDate) -> [String: any Sendable] {
        [
            "kind": participation.kind.rawValue,
            "agreementId": participation.agreementId.map { $0.uuidString.lowercased() } ?? "",
            "state": participation.state?.code ?? "",
            "resolution": [participation.resolutionNumber, participation.resolutionDate?.description].compactMap { $0 }
                .joined(separator: ", "),
            "effectiveOn": participation.effectiveOn.description,
            "expiresOn": participation.expiresOn?.description ?? "open-ended",
            "inForce": participation.isInForce(on: today),
            "documentReference": participation.documentReference ?? "",
        ]
    }
}
