import CooperageCore
import Foundation
import Hummingbird

/// The context of a route any authenticated cooperative or agency caller may reach: the principal is always there,
/// and it is never a supplier's. Made from ``CooperageRequestContext`` when the route is matched; without a valid
/// token the route answers 401, and a supplier token 403: it reaches only the routes made for it
/// (``CallerRequestContext``, ``SupplierRequestContext``), so no route opens to suppliers by forgetting a check.
public struct AuthenticatedRequestContext: ChildRequestContext, CooperageContext {
    public var coreContext: CoreRequestContextStorage
    public let principal: Principal
    /// See ``CooperageRequestContext/peerAddress``.
    public let peerAddress: String?

    public init(context: CooperageRequestContext) throws {
        guard let identity = context.identity else { throw Problem.unauthenticated }
        guard !identity.role.isSupplierRole else { throw Problem.supplierTokenNotAllowed }
        coreContext = context.coreContext
        principal = identity
        peerAddress = context.peerAddress
    }

    /// The caller when it has one of `roles`, otherwise a 403 problem.
    @discardableResult
    public func require(_ roles: Role...) throws -> Principal {
        try require(roles)
    }

    @discardableResult
    public func require(_ roles: [Role]) throws -> Principal {
        guard roles.contains(principal.role) else { throw Problem.roleNotAllowed(principal.role, needs: roles) }
        return principal
    }

    /// The caller when it may act for `tenant` with one of `roles`. An agency token of another tenant
    /// gets a 404, never a 403: it must not learn that the tenant exists.
    @discardableResult
    public func require(actingFor tenant: UUID, _ roles: [Role] = Role.allCases) throws -> Principal {
        guard principal.canAct(for: tenant) else { throw Problem.notFound("tenant") }
        return try require(roles)
    }

    /// The agency whose data a read is about, when the caller names one with `tenantId` (`asked`). An agency
    /// token reads its own: naming another answers 404, as any other tenant's object does. Cooperative staff
    /// read the one they name, or nil when they name none (every agency, where the route allows it).
    public func agency(named asked: UUID?) throws -> UUID? {
        try scope(naming: asked).tenant
    }

    /// ``Principal/readScope(naming:)``, or a 404 problem when an agency token names another agency.
    public func scope(naming asked: UUID?) throws -> ReportScope {
        guard let scope = principal.readScope(naming: asked) else { throw Problem.notFound("tenant") }
        return scope
    }

    /// The same for reads of one agency's data, where cooperative staff must name it: 400 when they do not.
    public func requiredAgency(named asked: UUID?) throws -> UUID {
        guard let tenant = try agency(named: asked) else {
            throw Problem.badRequest(
                "Cooperative staff name the agency with the query parameter `tenantId`.",
                pointer: "tenantId"
            )
        }
        return tenant
    }

    /// ``agency(named:)`` with the request's `tenantId` query parameter.
    public func agency(namedIn request: Request) throws -> UUID? {
        try agency(named: request.queryUUID("tenantId"))
    }

    /// ``requiredAgency(named:)`` with the request's `tenantId` query parameter.
    public func requiredAgency(namedIn request: Request) throws -> UUID {
        try requiredAgency(named: request.queryUUID("tenantId"))
    }
}
