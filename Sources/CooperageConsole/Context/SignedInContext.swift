import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// The context of every console page but sign-in: the session is always there. Without one the person is sent
/// to the sign-in page (``ConsoleRedirect``).
struct SignedInContext: ChildRequestContext, CooperageContext {
    var coreContext: CoreRequestContextStorage
    let session: ConsoleSession

    var principal: Principal { session.principal }

    init(context: CooperageRequestContext) throws {
        guard let session = context.consoleSession else { throw ConsoleRedirect.signIn }
        coreContext = context.coreContext
        self.session = session
    }

    /// The principal when it has one of `roles`; another role gets the 403 page.
    @discardableResult
    func require(_ roles: Role...) throws -> Principal {
        guard roles.contains(principal.role) else { throw ConsolePageError.forbidden }
        return principal
    }

    /// The path parameter `name` as a UUID; anything else is a page that does not exist (404).
    func id(_ name: String = "id") throws -> UUID {
        guard let id = parameters.get(name).flatMap(UUID.init(uuidString:)) else { throw ConsolePageError.notFound }
        return id
    }

    /// The agency of an agency role; cooperative roles get the 403 page.
    func agency(_ roles: Role...) throws -> UUID {
        guard roles.contains(principal.role), let tenant = principal.tenantID else { throw ConsolePageError.forbidden }
        return tenant
    }
}

/// A page that sends the browser elsewhere (303 See Other), such as to sign-in.
struct ConsoleRedirect: Error {
    let location: String

    static let signIn = ConsoleRedirect(location: "/console/sign-in")
}

/// A page that cannot be shown: the console answers with an HTML page of this status.
enum ConsolePageError: Error {
    case forbidden
    case notFound
    /// A form posted without its session's CSRF token.
    case csrfRefused
    case tooManySignIns(retryAfterSeconds: Int)
}
