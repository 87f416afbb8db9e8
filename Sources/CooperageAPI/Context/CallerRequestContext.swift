import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// The context of a route that serves every kind of token, a supplier's included (`/v1/me`, `/v1/supplier-reports`):
/// the principal is always there; without a valid token the route answers 401. Such a route decides for itself what
/// each kind of caller sees, through ``supplierReader(_:)`` for supplier reports.
public struct CallerRequestContext: ChildRequestContext, CooperageContext {
    public var coreContext: CoreRequestContextStorage
    public let principal: Principal

    public init(context: CooperageRequestContext) throws {
        guard let identity = context.identity else { throw Problem.unauthenticated }
        coreContext = context.coreContext
        principal = identity
    }

    /// Whose supplier reports the caller reads or files: a supplier token its own, cooperative staff with one of
    /// `staff` (cooperative roles) every supplier's; anyone else a 403 problem.
    public func supplierReader(_ staff: Role...) throws -> SupplierReportStore.Reader {
        if principal.role.isSupplierRole, let supplier = principal.supplierID { return .supplier(supplier) }
        guard staff.contains(principal.role), principal.role.isCooperativeRole else {
            throw Problem.roleNotAllowed(principal.role, needs: staff + [.supplierReporter])
        }
        return .cooperative
    }
}
