import CooperageCore
import CooperageStore
import Foundation
import Hummingbird
import HummingbirdAuth

/// The request context of every route: the authenticated principal, once the bearer token is checked.
public struct CooperageRequestContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Principal?
    /// An agency token that ``BearerAuthenticator`` left unchecked for the route to check in the statement that
    /// does the work (usage registration, decisions). `identity` stays nil, so any other use of the request fails closed.
    public var deferredCredential: TokenSecret?
    /// The peer's IP address (a proxy's, behind one): forwarded headers are believed only from trusted proxies.
    public let peerAddress: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.peerAddress = source.channel.remoteAddress?.ipAddress
        self.identity = nil
        self.deferredCredential = nil
    }

    /// Bodies larger than this are refused with 413 (CSV imports have their own, larger limit).
    public var maxUploadSize: Int { 1024 * 1024 }

    public var requestDecoder: JSONDecoder { JSONCoding.decoder }
    public var responseEncoder: JSONEncoder { JSONCoding.encoder }

    /// The caller, or a 401 problem.
    public func principal() throws -> Principal {
        guard let identity else { throw Problem.unauthenticated }
        return identity
    }

    /// The caller when it has one of `roles`, otherwise a 403 problem.
    public func principal(_ roles: Role...) throws -> Principal {
        try principal(roles: roles)
    }

    /// The caller and its tenant, for routes only agency tokens may use (one of `roles`, all agency roles).
    public func agencyPrincipal(_ roles: Role...) throws -> (principal: Principal, tenantID: UUID) {
        let principal = try principal(roles: roles)
        guard let tenantID = principal.tenantID else { throw Problem.roleNotAllowed(principal.role, needs: roles) }
        return (principal, tenantID)
    }

    public func principal(roles: [Role]) throws -> Principal {
        let principal = try principal()
        guard roles.contains(principal.role) else { throw Problem.roleNotAllowed(principal.role, needs: roles) }
        return principal
    }

    /// The caller when it may act for `tenant` with one of `roles`. An agency token of another tenant
    /// gets a 404, never a 403: it must not learn that the tenant exists.
    public func principal(actingFor tenant: UUID, _ roles: Role...) throws -> Principal {
        try principal(actingFor: tenant, roles: roles)
    }

    public func principal(actingFor tenant: UUID, roles: [Role]) throws -> Principal {
        let principal = try principal()
        guard principal.canAct(for: tenant) else { throw Problem.notFound("tenant") }
        guard roles.contains(principal.role) else { throw Problem.roleNotAllowed(principal.role, needs: roles) }
        return principal
    }
}
