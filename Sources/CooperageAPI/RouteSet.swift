import CooperageStore
import Hummingbird

/// Routes that live beside the JSON API in the same server (the web console), added by whoever assembles it
/// (`cooperage serve`, the tests): the API module does not depend on them.
public protocol RouteSet: Sendable {
    func register(on router: Router<CooperageRequestContext>, stores: Stores)
}
