import CooperageCore
import Foundation

extension SignedInContext {
    /// The agency named by the path's `id`, when the person may act for it with one of `roles`: another agency's
    /// id is not found (404) before any role is checked, as in the API's `require(actingFor:)`.
    func agencyInPath(_ roles: Role...) throws -> (id: UUID, principal: Principal) {
        let id = try self.id()
        guard principal.canAct(for: id) else { throw ConsolePageError.notFound }
        guard roles.contains(principal.role) else { throw ConsolePageError.forbidden }
        return (id, principal)
    }
}
