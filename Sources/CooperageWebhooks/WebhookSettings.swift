/// How webhooks are delivered (`webhooks.*` in `config/cooperage.yaml`, each documented in the README's settings
/// table). Tests shorten the times.
public struct WebhookSettings: Sendable {
    /// Whether this server runs the dispatcher (`webhooks.deliver`). Off, deliveries wait in the database (another
    /// instance, or this one started again with it on, sends them): for a server that must make no outbound
    /// connection, such as the fuzzer's, whose random endpoints could name any public address.
    public var deliver: Bool
    /// Whether endpoints may point at private, loopback, link-local, unique-local, CGNAT, multicast or unspecified
    /// addresses (`webhooks.allowPrivateAddresses`). Off by default: a tenant must not reach the cooperative's own
    /// network through a webhook.
    public var allowPrivateAddresses: Bool
    /// One attempt's limit, from connecting to the end of the response (`webhooks.attemptTimeoutSeconds`).
    public var attemptTimeout: Duration
    /// An endpoint whose attempts have all failed this long is disabled (`webhooks.disableAfterHours`).
    public var disableAfter: Duration
    /// How often the dispatcher looks for due deliveries when it has none (`webhooks.pollIntervalMilliseconds`).
    public var pollInterval: Duration
    /// Deliveries one dispatcher sends at once (`webhooks.concurrentDeliveries`).
    public var concurrentDeliveries: Int
    /// How long a dispatcher's claim on a delivery lasts (`webhooks.claimLeaseSeconds`); longer than an attempt, so
    /// a claim lapses only when its dispatcher died, and then another dispatcher sends the delivery.
    public var claimLease: Duration
    /// How long a replaced secret keeps signing beside the new one after a rotation (`webhooks.secretOverlapHours`).
    public var secretOverlap: Duration
    /// The waits between attempts (``RetrySchedule/standard`` unless a test shortens it).
    public var retrySchedule: RetrySchedule

    public init(
        deliver: Bool = true,
        allowPrivateAddresses: Bool = false,
        attemptTimeout: Duration = .seconds(15),
        disableAfter: Duration = .seconds(120 * 3600),
        pollInterval: Duration = .seconds(1),
        concurrentDeliveries: Int = 8,
        claimLease: Duration = .seconds(60),
        secretOverlap: Duration = .seconds(24 * 3600),
        retrySchedule: RetrySchedule = .standard
    ) {
        self.deliver = deliver
        self.allowPrivateAddresses = allowPrivateAddresses
        self.attemptTimeout = attemptTimeout
        self.disableAfter = disableAfter
        self.pollInterval = pollInterval
        self.concurrentDeliveries = concurrentDeliveries
        self.claimLease = claimLease
        self.secretOverlap = secretOverlap
        self.retrySchedule = retrySchedule
    }
}
