import CooperageCore
import Foundation
import Hummingbird

/// The context of a route only an agency's tokens may use: its tenant is never missing. Without a valid
/// token the route answers 401; a cooperative token gets 403.
public struct AgencyRequestContext: ChildRequestContext, CooperageContext {
    public var coreContext: CoreRequestContextStorage
    public let principal: Principal
    /// The agency the token belongs to.
    public let tenantID: UUID

    public init(context: CooperageRequestContext) throws {
        guard let identity = context.identity else { throw Problem.unauthenticated }
        guard let tenantID = identity.tenantID else {
            throw Problem.roleNotAllowed(identity.role, needs: Role.allCases.filter(\.isAgencyRole))
        }
        coreContext = context.coreContext
        principal = identity
        self.tenantID = tenantID
    }

    /// The caller when it has one of `roles` (all agency roles), otherwise a 403 problem.
    @discardableResult
    public func require(_ roles: Role...) throws -> Principal {
        guard roles.contains(principal.role) else { throw Problem.roleNotAllowed(principal.role, needs: roles) }
        return principal
    }
}
