import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/console/agencies/{id}/suspend` and `/reactivate`: a page asking for confirmation, then the change. Suspending
/// stops every token and session of the agency at once, so it is never one click from the agency's page.
struct AgencyStatusPages {
    let tenants: TenantStore
    let renderer: ConsoleRenderer

    /// The two changes, each with what the confirmation page says.
    enum Change: String {
        case suspend, reactivate

        var status: TenantStatus { self == .suspend ? .suspended : .active }
        var verb: String { self == .suspend ? "Suspend" : "Reactivate" }
        var consequence: String {
            switch self {
            case .suspend:
                "Its tokens stop working and everyone signed in for it is signed out. Nothing is deleted; it can be reactivated."
            case .reactivate: "Its tokens that are not revoked or expired work again."
            }
        }
    }

    func register(signedIn: RouterGroup<SignedInContext>) {
        for change in [Change.suspend, .reactivate] {
            signedIn.get(RouterPath("agencies/{id}/\(change.rawValue)")) { request, context in
                try await confirm(change, request, context)
            }
            signedIn.post(RouterPath("agencies/{id}/\(change.rawValue)")) { request, context in
                try await apply(change, request, context)
            }
        }
    }

    func confirm(_ change: Change, _ request: Request, _ context: SignedInContext) async throws -> Response {
        let (id, _) = try context.agencyInPath(.cooperativeAdmin)
        let tenant = try await tenants.get(id)
        return renderer.response(
            ConsolePage(
                "agency-status",
                title: "\(change.verb) \(tenant.legalName)?",
                [
                    "agencyId": id.uuidString.lowercased(), "agencyName": tenant.legalName, "status": tenant.status.rawValue,
                    "action": change.rawValue, "verb": change.verb, "consequence": change.consequence,
                    "danger": change == .suspend,
                ]
            ),
            session: context.session,
            path: request.uri.path
        )
    }

    func apply(_ change: Change, _ request: Request, _ context: SignedInContext) async throws -> Response {
        let (id, principal) = try context.agencyInPath(.cooperativeAdmin)
        let form = try await ConsoleForm.read(request)
        try form.requireCSRF(context.session)
        _ = try await tenants.setStatus(id, to: change.status, by: Actor(principal))
        return SessionPages.redirect(to: "/console/agencies/\(id.uuidString.lowercased())")
    }
}
