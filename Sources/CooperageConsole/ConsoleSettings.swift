/// How the web console keeps its sessions (`console.*` in config/cooperage.yaml).
public struct ConsoleSettings: Sendable {
    /// A session unused this long is over (default 30 minutes).
    public var idleTimeout: Duration
    /// A session is over this long after sign-in (default 12 hours).
    public var lifetime: Duration
    /// Mark the cookie `Secure` even when the request did not arrive over HTTPS (behind a TLS-terminating proxy
    /// that does not say so). Requests that arrived over HTTPS always get it.
    public var secureCookies: Bool
    /// Failed sign-ins allowed per client address per minute.
    public var signInAttemptsPerMinute: Int

    public init(
        idleTimeout: Duration = .seconds(30 * 60),
        lifetime: Duration = .seconds(12 * 3600),
        secureCookies: Bool = false,
        signInAttemptsPerMinute: Int = 10
    ) {
        self.idleTimeout = idleTimeout
        self.lifetime = lifetime
        self.secureCookies = secureCookies
        self.signInAttemptsPerMinute = signInAttemptsPerMinute
    }
}
