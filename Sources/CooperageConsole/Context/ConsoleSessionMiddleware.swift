import CooperageAPI
import CooperageCore
import CooperageStore
import Hummingbird

/// Finds the console session of the request's cookie, if it is still on, and puts its principal in the context.
struct ConsoleSessionMiddleware: RouterMiddleware {
    typealias Context = CooperageRequestContext
    let sessions: ConsoleSessionStore

    static let cookieName = "cooperage_session"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        var context = context
        if let value = request.cookies[Self.cookieName]?.value, (20...200).contains(value.utf8.count),
            let session = try await sessions.find(TokenSecret(text: value))
        {
            context.consoleSession = session
            context.identity = session.principal
        }
        return try await next(request, context)
    }
}
