import CooperageAPI
import CooperageStore
import Hummingbird
import Logging

/// Every console request: finds the session of its cookie (the principal then is the session's token), answers
/// errors as HTML pages (the API's problem+json is for programs; a refused page says what happened in plain words
/// and shows nothing internal), and puts the security headers on every response.
struct ConsoleMiddleware: RouterMiddleware {
    typealias Context = CooperageRequestContext
    let renderer: ConsoleRenderer
    let sessions: ConsoleSessionStore

    static let cookieName = "cooperage_session"

    /// Only the server's own stylesheet and script; no inline script or style, no framing, forms post to the console.
    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        var context = context
        var response: Response
        do {
            if let value = request.cookies[Self.cookieName]?.value, (20...200).contains(value.utf8.count),
                let session = try await sessions.find(TokenSecret(text: value))
            {
                context.consoleSession = session
                context.identity = session.principal
            }
            response = try await next(request, context)
        } catch {
            response = page(for: error, context: context, path: request.uri.path)
        }
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "same-origin"
        response.headers[.cacheControl] = response.headers[.cacheControl] ?? "no-store"
        return response
    }

    private func page(for error: any Error, context: Context, path: String) -> Response {
        let session = context.consoleSession
        switch error {
        case let redirect as ConsoleRedirect:
            return Response(status: .seeOther, headers: [.location: redirect.location])
        case ConsolePageError.forbidden:
            return errorPage(.forbidden, "Not for your role", "Your role cannot open this page.", session, path)
        case ConsolePageError.notFound, StoreError.notFound:
            return errorPage(.notFound, "Not found", "There is nothing here, or it is not yours to see.", session, path)
        case ConsolePageError.csrfRefused:
            return errorPage(
                .forbidden,
                "Form expired",
                "This form was not sent from a page of your current session. Go back, reload the page and send it again.",
                session,
                path
            )
        case ConsolePageError.tooManySignIns(let seconds):
            var response = errorPage(
                .tooManyRequests,
                "Too many attempts",
                "Too many sign-ins failed from your address. Wait a minute and try again.",
                session,
                path
            )
            response.headers[.retryAfter] = String(seconds)
            return response
        case let problem as Problem:
            return errorPage(problem.status, problem.title, problem.detail, session, path)
        case let unavailable as DatabaseUnavailable:
            context.logger.warning("database unavailable; console answered 503", metadata: ["reason": "\(unavailable)"])
            return errorPage(
                .serviceUnavailable,
                "Try again shortly",
                "The database is not answering. Try again in a moment.",
                session,
                path
            )
        default:
            context.logger.error("console page failed", metadata: ["error": "\(String(reflecting: error))"])
            return errorPage(
                .internalServerError,
                "Something went wrong",
                "The page could not be shown; it has been logged.",
                session,
                path
            )
        }
    }

    private func errorPage(
        _ status: HTTPResponse.Status,
        _ title: String,
        _ message: String,
        _ session: ConsoleSession?,
        _ path: String
    ) -> Response {
        renderer.response(ConsolePage("error", title: title, status: status, ["message": message]), session: session, path: path)
    }
}
