import CooperageCore
import Foundation
import Hummingbird

/// The context of a route only a supplier's tokens may use: its supplier is never missing. Without a valid token the
/// route answers 401; any other token gets 403.
public struct SupplierRequestContext: ChildRequestContext, CooperageContext {
    public var coreContext: CoreRequestContextStorage
    public let principal: Principal
    /// The supplier the token belongs to.
    public let supplierID: UUID

    public init(context: CooperageRequestContext) throws {
        guard let identity = context.identity else { throw Problem.unauthenticated }
        guard identity.role.isSupplierRole, let supplierID = identity.supplierID else {
            throw Problem.roleNotAllowed(identity.role, needs: [.supplierReporter])
        }
        coreContext = context.coreContext
        principal = identity
        self.supplierID = supplierID
    }
}
