import Hummingbird

/// The `/v1` route groups a controller registers on, one per kind of context its routes need.
struct APIRoutes {
    /// Any valid token (``AuthenticatedRequestContext``).
    let authenticated: RouterGroup<AuthenticatedRequestContext>
    /// An agency's tokens only (``AgencyRequestContext``).
    let agency: RouterGroup<AgencyRequestContext>
    /// Any valid token, a supplier's included (``CallerRequestContext``): routes that serve suppliers and staff alike.
    let caller: RouterGroup<CallerRequestContext>
    /// A supplier's tokens only (``SupplierRequestContext``).
    let supplier: RouterGroup<SupplierRequestContext>
    /// The hottest writes: an agency token is left for the route's own statement to check
    /// (``CooperageRequestContext/deferredCredential``).
    let deferring: RouterGroup<CooperageRequestContext>
}
