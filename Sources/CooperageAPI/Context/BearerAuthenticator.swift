import CooperageCore
import CooperageStore
import Hummingbird
import HummingbirdAuth

/// Resolves `Authorization: Bearer <token>` into a ``Principal``.
///
/// No header: no identity (routes that need one answer 401). A bad token: 401 at once on every `/v1`
/// route, so a typo never silently downgrades a caller. A suspended agency's token: 403.
struct BearerAuthenticator: AuthenticatorMiddleware {
    typealias Context = CooperageRequestContext
    let tokens: TokenStore

    func authenticate(request: Request, context: Context) async throws -> Principal? {
        guard let header = request.headers[.authorization] else { return nil }
        guard let bearer = request.headers.bearer, !bearer.token.isEmpty, !header.isEmpty else { throw Problem.unauthenticated }
        do {
            let principal = try await tokens.authenticate(TokenSecret(text: bearer.token))
            return principal
        } catch TokenStore.Rejection.invalid {
            throw Problem.unauthenticated
        } catch TokenStore.Rejection.tenantNotActive(let status) {
            throw Problem.tenantNotActive(status)
        }
    }
}
