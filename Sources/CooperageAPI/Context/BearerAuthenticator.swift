import CooperageCore
import CooperageStore
import Hummingbird
import HummingbirdAuth

/// Resolves `Authorization: Bearer <token>` into a ``Principal``.
///
/// No header: no identity (routes that need one answer 401). A bad token: 401 at once on every `/v1`
/// route, so a typo never silently downgrades a caller. A suspended agency's token: 403.
///
/// With `defersAgencyTokens`, an agency token is not looked up here but handed to the route as
/// ``CooperageRequestContext/deferredCredential``: the route checks it in the same statement that does its
/// work, saving a round trip on the hottest writes (usage registration and decisions:
/// `usage_register_presented` and `authorization_decision_facts_presented` in sql/schema.sql).
struct BearerAuthenticator: AuthenticatorMiddleware {
    typealias Context = CooperageRequestContext
    let tokens: TokenStore
    var defersAgencyTokens = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        var context = context
        if defersAgencyTokens, let secret = try presentedSecret(request), secret.tenantID != nil {
            context.deferredCredential = secret
        } else {
            context.identity = try await authenticate(request: request, context: context)
        }
        return try await next(request, context)
    }

    func authenticate(request: Request, context: Context) async throws -> Principal? {
        guard let secret = try presentedSecret(request) else { return nil }
        return try await tokens.authenticate(secret)
    }

    /// The token of the `Authorization` header, nil without one, a 401 problem when it is not a bearer token.
    private func presentedSecret(_ request: Request) throws -> TokenSecret? {
        guard let header = request.headers[.authorization] else { return nil }
        guard let bearer = request.headers.bearer, !bearer.token.isEmpty, !header.isEmpty else { throw Problem.unauthenticated }
        return TokenSecret(text: bearer.token)
    }
}
