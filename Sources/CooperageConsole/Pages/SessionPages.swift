import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// Signing in (an API token presented once in a form) and out.
struct SessionPages {
    let tokens: TokenStore
    let sessions: ConsoleSessionStore
    let renderer: ConsoleRenderer
    let limiter: SignInLimiter
    let settings: ConsoleSettings

    func register(visitor: RouterGroup<CooperageRequestContext>, signedIn: RouterGroup<SignedInContext>) {
        visitor.get("sign-in", use: signInForm)
        visitor.post("sign-in", use: signIn)
        signedIn.post("sign-out", use: signOut)
    }

    @Sendable func signInForm(_ request: Request, context: CooperageRequestContext) async throws -> Response {
        if context.consoleSession != nil { return Self.redirect(to: "/console") }
        return renderer.response(ConsolePage("sign-in", title: "Sign in"), session: nil, path: request.uri.path)
    }

    @Sendable func signIn(_ request: Request, context: CooperageRequestContext) async throws -> Response {
        let address = context.peerAddress ?? "unknown"
        if let seconds = limiter.wait(for: address) { throw ConsolePageError.tooManySignIns(retryAfterSeconds: seconds) }
        let form = try await ConsoleForm.read(request)
        guard let text = form["token"], text.utf8.count <= 500 else {
            return refused("Paste the API token you were given.", request)
        }
        let principal: Principal
        do {
            principal = try await tokens.authenticate(TokenSecret(text: text))
        } catch let rejection as TokenStore.Rejection {
            limiter.recordFailure(for: address)
            switch rejection {
            case .tenantNotActive:
                return refused("This token's agency is not active; ask the cooperative.", request)
            default:
                return refused("This token is not valid: it is unknown, expired or revoked.", request)
            }
        }
        limiter.recordSuccess(for: address)
        guard !principal.role.isSupplierRole else {
            return refused(
                "Supplier tokens are for the API (/v1/supplier-reports); the console is for the cooperative and its agencies.",
                request
            )
        }
        let session = try await sessions.create(for: principal)
        var response = Self.redirect(to: "/console")
        response.setCookie(cookie(session.secret.text, request: request, maxAge: Int(settings.lifetime.components.seconds)))
        return response
    }

    @Sendable func signOut(_ request: Request, context: SignedInContext) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        try form.requireCSRF(context.session)
        try await sessions.end(context.session.secret)
        var response = Self.redirect(to: "/console/sign-in")
        response.setCookie(cookie("", request: request, maxAge: 0))
        return response
    }

    private func refused(_ message: String, _ request: Request) -> Response {
        renderer.response(
            ConsolePage("sign-in", title: "Sign in", status: .unauthorized, ["error": message]),
            session: nil,
            path: request.uri.path
        )
    }

    /// `HttpOnly; SameSite=Strict; Path=/`, and `Secure` over HTTPS or when configured.
    private func cookie(_ value: String, request: Request, maxAge: Int) -> Cookie {
        let secure = settings.secureCookies || request.uri.scheme == .https
        return Cookie(
            name: ConsoleMiddleware.cookieName,
            value: value,
            maxAge: maxAge,
            path: "/",
            secure: secure,
            httpOnly: true,
            sameSite: .strict
        )
    }

    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
