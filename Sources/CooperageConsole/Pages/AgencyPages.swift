import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/console/agencies`: the cooperative admin's registry of participating agencies.
struct AgencyPages {
    let tenants: TenantStore
    let participations: ParticipationStore
    let policies: PolicyStore
    let tokens: TokenStore
    let renderer: ConsoleRenderer

    func register(signedIn: RouterGroup<SignedInContext>) {
        signedIn.get("agencies", use: list)
        signedIn.get("agencies/new", use: newForm)
        signedIn.post("agencies", use: create)
        signedIn.get("agencies/{id}", use: detail)
    }

    static let form = FormDecoder(fields: [
        ("legalName", .text), ("slug", .text), ("entityType", .text), ("state", .text), ("fiscalYearStartMonth", .integer),
    ])

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        try context.require(.cooperativeAdmin)
        let status = TenantStatus(rawValue: request.uri.queryParameters.get("status") ?? "")
        let cursor = request.uri.queryParameters.get("cursor").flatMap { Int64($0) }
        let (page, next) = try await tenants.list(limit: 50, after: cursor, status: status)
        let rows = page.map { tenant in
            [
                "id": tenant.id.uuidString.lowercased(), "name": tenant.legalName, "state": tenant.state.code,
                "entityType": tenant.entityType.rawValue, "status": tenant.status.rawValue,
            ] as [String: any Sendable]
        }
        var values: [String: any Sendable] = [
            "agencies": rows, "empty": rows.isEmpty,
            "statuses": ConsoleChoices.of(TenantStatus.self, selected: status?.rawValue),
        ]
        if let next { values["next"] = "/console/agencies?cursor=\(next)" + (status.map { "&status=\($0.rawValue)" } ?? "") }
        return renderer.response(
            ConsolePage("agencies", title: "Agencies", values),
            session: context.session,
            path: request.uri.path
        )
    }

    @Sendable func newForm(_ request: Request, context: SignedInContext) async throws -> Response {
        try context.require(.cooperativeAdmin)
        return renderer.response(
            formPage(values: ["fiscalYearStartMonth": "7"]),
            session: context.session,
            path: request.uri.path
        )
    }

    @Sendable func create(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = try context.require(.cooperativeAdmin)
        let form = try await ConsoleForm.read(request)
        try form.requireCSRF(context.session)
        let typed = Self.form.typedValues(of: form)
        switch Self.form.decode(NewTenant.self, from: form) {
        case .failure(let issues):
            return renderer.response(formPage(values: typed, issues: issues), session: context.session, path: request.uri.path)
        case .success(let draft):
            guard draft.issues.isEmpty else {
                return renderer.response(
                    formPage(values: typed, issues: FormIssues(draft.issues)),
                    session: context.session,
                    path: request.uri.path
                )
            }
            do {
                let tenant = try await tenants.create(draft, by: Actor(principal))
                return SessionPages.redirect(to: "/console/agencies/\(tenant.id.uuidString.lowercased())")
            } catch StoreError.conflict(let pointer, let detail), StoreError.invalid(let pointer, let detail) {
                return renderer.response(
                    formPage(values: typed, issues: FormIssues([FieldIssue(pointer: pointer, detail: detail)])),
                    session: context.session,
                    path: request.uri.path
                )
            }
        }
    }

    private func formPage(values: [String: String], issues: FormIssues = FormIssues()) -> ConsolePage {
        ConsolePage(
            "agency-new",
            title: "New agency",
            status: issues.isEmpty ? .ok : .unprocessableContent,
            [
                "values": values, "errors": issues.templateValues,
                "entityTypes": ConsoleChoices.of(EntityType.self, selected: values["entityType"]),
            ]
        )
    }

    @Sendable func detail(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try context.id()
        // An agency's own people may see their agency; another agency's id is not found, as in the API.
        guard context.principal.canAct(for: id) else { throw ConsolePageError.notFound }
        let tenant = try await tenants.get(id)
        let role = context.principal.role
        let agencyID = id.uuidString.lowercased()
        let today = LocalDate.today()
        // What each role may see and do here is what the API lets the same token do.
        let managesAccess = role == .cooperativeAdmin || role == .agencyAdmin
        let instruments = try await participations.list(tenantID: id).map { ParticipationPages.row($0, today: today) }
        let (versions, moreVersions) = try await policies.versions(tenantID: id, after: 0, limit: 100)
        var values: [String: any Sendable] = [
            "agency": [
                "id": agencyID, "name": tenant.legalName, "slug": tenant.slug,
                "state": tenant.state.code, "entityType": tenant.entityType.rawValue, "status": tenant.status.rawValue,
                "fiscalYearStartMonth": tenant.fiscalYearStartMonth,
            ] as [String: any Sendable],
            "instruments": instruments, "noInstruments": instruments.isEmpty,
            "versions": versions.map { version in
                [
                    "version": version.version, "ruleCount": version.ruleCount, "template": version.templateId ?? "",
                    "createdOn": LocalDate.today(version.createdAt).description,
                ] as [String: any Sendable]
            },
            "noVersions": versions.isEmpty, "moreVersions": moreVersions,
            "managesAccess": managesAccess,
            "canSuspend": role == .cooperativeAdmin && tenant.status != .suspended,
            "canReactivate": role == .cooperativeAdmin && tenant.status != .active,
        ]
        if managesAccess {
            let issued = try await tokens.listAgencyTokens(tenantID: id)
            values["tokens"] = issued.map { AgencyTokenPages.row($0, agencyID: agencyID) }
            values["noTokens"] = issued.isEmpty
        }
        return renderer.response(
            ConsolePage("agency", title: tenant.legalName, values),
            session: context.session,
            path: request.uri.path
        )
    }
}
