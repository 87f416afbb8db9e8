import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/console/agencies/{id}/tokens`: issuing an agency's API tokens (the secret is shown once, on the page that
/// answers the form, and never stored) and revoking them, for the roles the API lets do so.
struct AgencyTokenPages {
    let tenants: TenantStore
    let tokens: TokenStore
    let renderer: ConsoleRenderer

    func register(signedIn: RouterGroup<SignedInContext>) {
        signedIn.get("agencies/{id}/tokens/new", use: newForm)
        signedIn.post("agencies/{id}/tokens", use: issue)
        signedIn.post("agencies/{id}/tokens/{token}/revoke", use: revoke)
    }

    /// The roles an agency token may have.
    static let roles = Role.allCases.filter(\.isAgencyRole)

    @Sendable func newForm(_ request: Request, context: SignedInContext) async throws -> Response {
        let (id, _) = try context.agencyInPath(.cooperativeAdmin, .agencyAdmin)
        let tenant = try await tenants.get(id)
        return renderer.response(
            formPage(tenant, values: ["role": Role.agencyBuyer.rawValue]),
            session: context.session,
            path: request.uri.path
        )
    }

    @Sendable func issue(_ request: Request, context: SignedInContext) async throws -> Response {
        let (id, principal) = try context.agencyInPath(.cooperativeAdmin, .agencyAdmin)
        let form = try await ConsoleForm.read(request)
        try form.requireCSRF(context.session)
        let tenant = try await tenants.get(id)
        let values = ["name": form["name"] ?? "", "role": form["role"] ?? "", "expiresOn": form["expiresOn"] ?? ""]
        // The API's checks of a new agency token (`TokenController`): an agency role, a name of 1 to 200
        // characters, an expiry in the future.
        var issues = FormIssues()
        let role = form["role"].flatMap(Role.init(rawValue:))
        if role.map({ !$0.isAgencyRole }) ?? true {
            issues.add("role", "must be one of \(Self.roles.map(\.rawValue).joined(separator: ", "))")
        }
        let name = form["name"] ?? ""
        if name.isEmpty || name.unicodeScalars.count > 200 { issues.add("name", "must be 1 to 200 characters") }
        var expiresAt: Date?
        if let text = form["expiresOn"] {
            if let day = LocalDate(iso8601: text) {
                // The token stops working at the start of that day (UTC).
                expiresAt = Date(timeIntervalSince1970: TimeInterval(day.daysSinceEpoch) * 86_400)
                if day <= LocalDate.today() { issues.add("expiresOn", "must be in the future") }
            } else {
                issues.add("expiresOn", "must be a date such as 2027-06-30")
            }
        }
        guard issues.isEmpty, let role else {
            return renderer.response(
                formPage(tenant, values: values, issues: issues),
                session: context.session,
                path: request.uri.path
            )
        }
        let (info, secret) = try await tokens.create(
            role: role,
            name: name,
            tenantID: id,
            expiresAt: expiresAt,
            by: Actor(principal)
        )
        // The only page that ever shows the secret: it answers the form directly (no redirect to a page that
        // could be reloaded), and the console's responses are `no-store`.
        return renderer.response(
            ConsolePage(
                "token-issued",
                title: "Token issued",
                status: .created,
                [
                    "agencyId": id.uuidString.lowercased(), "agencyName": tenant.legalName, "secret": secret.text,
                    "token": Self.row(info, agencyID: id.uuidString.lowercased()),
                ]
            ),
            session: context.session,
            path: request.uri.path
        )
    }

    @Sendable func revoke(_ request: Request, context: SignedInContext) async throws -> Response {
        let (id, principal) = try context.agencyInPath(.cooperativeAdmin, .agencyAdmin)
        let form = try await ConsoleForm.read(request)
        try form.requireCSRF(context.session)
        let tokenID = try context.id("token")
        // Only a token of the agency in the path: the page never reaches another agency's tokens.
        guard try await tokens.listAgencyTokens(tenantID: id).contains(where: { $0.id == tokenID }) else {
            throw ConsolePageError.notFound
        }
        _ = try await tokens.revoke(tokenID, by: principal)
        return SessionPages.redirect(to: "/console/agencies/\(id.uuidString.lowercased())#tokens")
    }

    private func formPage(_ tenant: Tenant, values: [String: String], issues: FormIssues = FormIssues()) -> ConsolePage {
        ConsolePage(
            "token-new",
            title: "Issue a token for \(tenant.legalName)",
            status: issues.isEmpty ? .ok : .unprocessableContent,
            [
                "agencyId": tenant.id.uuidString.lowercased(), "agencyName": tenant.legalName,
                "values": values, "errors": issues.templateValues,
                "roles": ConsoleChoices.of(Self.roles.map(\.rawValue), selected: values["role"]),
            ]
        )
    }

    /// One token as a row of the agency page's table (never its secret, which is not stored).
    static func row(_ token: TokenInfo, agencyID: String) -> [String: any Sendable] {
        let state: String
        if token.revokedAt != nil {
            state = "revoked"
        } else if let expiresAt = token.expiresAt, expiresAt <= Date() {
            state = "expired"
        } else {
            state = "active"
        }
        return [
            "id": token.id.uuidString.lowercased(), "agencyId": agencyID, "name": token.name, "role": token.role.rawValue,
            "createdOn": LocalDate.today(token.createdAt).description,
            "expiresOn": token.expiresAt.map { LocalDate.today($0).description } ?? "never",
            "state": state, "active": state == "active",
        ]
    }
}
