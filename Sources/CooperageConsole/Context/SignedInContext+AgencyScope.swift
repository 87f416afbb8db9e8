import CooperageAPI
import CooperageCore
import Foundation
import Hummingbird

extension SignedInContext {
    /// The agency whose data a read page shows, as the API's `requiredAgency(namedIn:)` decides it: an agency role
    /// reads its own (naming another is not found), cooperative staff name one with `?tenantId=` (400 without).
    func agencyScope(of request: Request) throws -> AgencyScope {
        let text = request.uri.queryParameters.get("tenantId")
        let asked = text.flatMap { UUID(uuidString: String($0)) }
        switch principal.readScope(naming: asked) {
        case .agency(let own) where text == nil || asked != nil: return AgencyScope(tenantID: own, named: false)
        case .cooperative(let tenant?): return AgencyScope(tenantID: tenant, named: true)
        case .cooperative(nil):
            throw Problem.badRequest("Cooperative staff open this page with `?tenantId=` naming the agency.")
        default: throw ConsolePageError.notFound
        }
    }
}

/// The agency a page reads, and how its links keep naming it for cooperative staff.
struct AgencyScope: Sendable {
    let tenantID: UUID
    /// Whether the page was asked with `?tenantId=` (cooperative staff), so links carry it on.
    let named: Bool

    /// `?tenantId=...` or `&tenantId=...` for links that need it; empty for an agency's own people.
    func query(first: Bool) -> String {
        named ? "\(first ? "?" : "&")tenantId=\(tenantID.uuidString.lowercased())" : ""
    }
}
