import CooperageAPI
import CooperageCore
import CooperageStore
import Hummingbird

/// `/console`: where each role starts.
struct HomePage {
    let renderer: ConsoleRenderer

    func register(signedIn: RouterGroup<SignedInContext>) {
        signedIn.get("", use: home)
    }

    @Sendable func home(_ request: Request, context: SignedInContext) async throws -> Response {
        let links = ConsoleNavigation.links(for: context.principal.role).dropFirst().map {
            ["href": $0.href, "label": $0.label] as [String: any Sendable]
        }
        return renderer.response(
            ConsolePage("home", title: "Overview", ["links": Array(links)]),
            session: context.session,
            path: request.uri.path
        )
    }
}
