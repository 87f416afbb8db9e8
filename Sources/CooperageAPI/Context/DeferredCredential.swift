import CooperageCore
import CooperageStore
import Hummingbird

extension CooperageRequestContext {
    /// The agency token of a route that checks it in its own statement (``BearerAuthenticator``'s
    /// `defersAgencyTokens`). Without one, a 401, or a 403 for a cooperative token: neither has one of `roles`.
    func deferredCredential(roles: [Role]) throws -> TokenSecret {
        guard let deferredCredential else {
            guard let identity, !roles.contains(identity.role) else { throw Problem.unauthenticated }
            throw Problem.roleNotAllowed(identity.role, needs: roles)
        }
        return deferredCredential
    }
}

extension TokenStore {
    /// What `read` reads of a request for a route that checks its token in its own statement. When the request
    /// is bad, the token is checked first, so that, as on every other route, a caller who may not make the
    /// request hears that (401, 403) and not what is wrong with it.
    func reading<Value>(for credential: TokenSecret, roles: [Role], _ read: () async throws -> Value) async throws -> Value {
        do {
            return try await read()
        } catch {
            let principal = try await authenticate(credential)
            guard roles.contains(principal.role) else { throw Problem.roleNotAllowed(principal.role, needs: roles) }
            throw error
        }
    }
}
