import AsyncHTTPClient
public import CooperageStore
public import Foundation
public import Logging
import NIOCore
import NIOHTTP1
public import ServiceLifecycle

/// Delivers webhooks: a `Service` of the server's group that claims due deliveries, sends each signed, and records
/// what came of it.
///
/// Deliveries live in the database (sql/0023), so they survive restarts, and several server instances share them:
/// a delivery is claimed with `FOR UPDATE SKIP LOCKED` and a lease (``WebhookSettings/claimLease``) in one short
/// transaction, sent with no transaction open, and its outcome recorded in a second transaction that presents the
/// claim's token. Each attempt is signed afresh (a new `webhook-timestamp`) with the event's id as `webhook-id`, the
/// same on every attempt, so receivers drop duplicates. 2xx is delivered; anything else, a redirect, a timeout or
/// a connection error is a failed attempt, tried again on the ``RetrySchedule`` (a 429's or 503's `Retry-After` is
/// honoured); 410 Gone, or failing for ``WebhookSettings/disableAfter``, disables the endpoint.
///
/// ```swift
/// app.addServices(database, WebhookDispatcher(database: database, settings: settings.webhooks, logger: logger))
/// ```
public struct WebhookDispatcher: Service {
    let store: WebhookStore
    let settings: WebhookSettings
    let logger: Logger
    /// This dispatcher's name in claims and attempts: host, process and a random suffix.
    public let name: String

    public init(database: Database, settings: WebhookSettings, logger: Logger) {
        self.store = WebhookStore(database: database)
        self.settings = settings
        self.logger = logger
        let host = ProcessInfo.processInfo.hostName.prefix(60)
        self.name = "\(host):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// How long the dispatcher waits after the database refused a claim before it asks again (at least the poll
    /// interval), so an outage is logged every few seconds rather than at every poll.
    static let databaseRetryDelay: Duration = .seconds(5)

    /// Claims and sends until the application shuts down. On a graceful shutdown it stops claiming and lets the
    /// deliveries in flight finish and be recorded (each bounded by the attempt timeout); cancelled outright, their
    /// claims lapse and another server sends them. A database that cannot be reached is logged and asked again a
    /// few seconds later; it never stops the server.
    public func run() async throws {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: TimeAmount(settings.attemptTimeout), read: TimeAmount(settings.attemptTimeout)),
            decompression: .disabled
        )
        configuration.connectionPool = .init(idleTimeout: .seconds(30))
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let wait: Duration
            switch await runOnce(client: client) {
            case .none: wait = max(settings.pollInterval, Self.databaseRetryDelay)
            case 0?: wait = settings.pollInterval
            default: continue
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }
            } catch {
                break
            }
        }
        try? await client.shutdown()
    }

    /// One round: claims what is due (up to ``WebhookSettings/concurrentDeliveries``) and sends it, all at once.
    /// Returns how many deliveries it sent; nil when the database refused the claim.
    @discardableResult
    func runOnce(client: HTTPClient) async -> Int? {
        let claimed: [ClaimedDelivery]
        do {
            claimed = try await claimDue()
        } catch {
            if !Task.isCancelled {
                logger.warning(
                    "webhooks: could not claim due deliveries; trying again in a few seconds",
                    metadata: ["error": "\(DatabaseFailure(error)?.description ?? String(describing: error))"]
                )
            }
            return nil
        }
        await withTaskGroup(of: Void.self) { group in
            for delivery in claimed {
                group.addTask { await self.deliver(delivery, client: client) }
            }
        }
        return claimed.count
    }

    /// Due deliveries of every scope, up to the batch size, each scope's claimed inside it.
    func claimDue() async throws -> [ClaimedDelivery] {
        let batch = max(1, settings.concurrentDeliveries)
        var claimed: [ClaimedDelivery] = []
        for scope in try await store.scopesWithDueDeliveries(limit: batch) {
            let room = batch - claimed.count
            guard room > 0 else { break }
            claimed += try await store.claim(scope: scope, dispatcher: name, lease: settings.claimLease, limit: room)
        }
        return claimed
    }

    /// Sends one delivery and records the outcome; a failure to record is logged (the claim lapses, and the
    /// delivery is sent again: at least once).
    func deliver(_ delivery: ClaimedDelivery, client: HTTPClient) async {
        let outcome = await attempt(delivery, client: client)
        do {
            let recorded = try await store.record(
                outcome,
                for: delivery,
                dispatcher: name,
                disableAfter: settings.disableAfter
            )
            var metadata: Logger.Metadata = [
                "delivery": "\(delivery.id)", "event": "\(delivery.eventID)", "attempt": "\(recorded.number)",
            ]
            if let status = outcome.responseStatus { metadata["status"] = "\(status)" }
            if let error = outcome.error { metadata["error"] = "\(error)" }
            if outcome.succeeded {
                logger.debug("webhook delivered", metadata: metadata)
            } else {
                logger.info("webhook attempt failed", metadata: metadata)
            }
            if recorded.disabledEndpoint {
                logger.warning(
                    "webhook endpoint disabled after failed deliveries",
                    metadata: ["endpoint": "\(delivery.endpointID)"]
                )
            }
        } catch {
            logger.warning(
                "webhooks: could not record an attempt; the delivery will be sent again when its claim lapses",
                metadata: [
                    "delivery": "\(delivery.id)",
                    "error": "\(DatabaseFailure(error)?.description ?? String(describing: error))",
                ]
            )
        }
    }

    /// The longest part of a response body read (and thrown away); a receiver has nothing to say beyond its status.
    static let responseBodyLimit = 64 * 1024

    /// One signed POST, bounded by ``WebhookSettings/attemptTimeout``; never throws.
    func attempt(_ delivery: ClaimedDelivery, client: HTTPClient) async -> AttemptOutcome {
        let started = Date()
        let clock = ContinuousClock()
        let start = clock.now
        func outcome(status: Int?, error: String?, retryAfter: Duration? = nil, gone: Bool = false) -> AttemptOutcome {
            let elapsed = start.duration(to: clock.now)
            let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
            let succeeded = status.map { (200..<300).contains($0) } ?? false
            let retryIn =
                succeeded || gone || delivery.oneMore
                ? nil : settings.retrySchedule.delay(afterAttempts: delivery.scheduledAttempts + 1, retryAfter: retryAfter)
            return AttemptOutcome(
                startedAt: started,
                durationMilliseconds: Int(clamping: milliseconds),
                responseStatus: status,
                error: error,
                retryIn: retryIn,
                gone: gone
            )
        }
        if let refusal = await AddressGuard(allowPrivateAddresses: settings.allowPrivateAddresses).refusal(for: delivery.url) {
            return outcome(status: nil, error: "not sent: \(refusal)")
        }
        let id = delivery.eventID.uuidString.lowercased()
        let timestamp = Int64(Date().timeIntervalSince1970.rounded(.down))
        let body = Array(delivery.body.utf8)
        var request = HTTPClientRequest(url: delivery.url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "user-agent", value: "Cooperage-Webhooks/1")
        request.headers.add(name: "webhook-id", value: id)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(
            name: "webhook-signature",
            value: WebhookSigner.header(id: id, timestamp: timestamp, body: body, secrets: delivery.secrets)
        )
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: TimeAmount(settings.attemptTimeout), logger: logger)
            // Read a little of the body so the connection can be reused; a longer one is cut off.
            var read = 0
            for try await chunk in response.body {
                read += chunk.readableBytes
                if read > Self.responseBodyLimit { break }
            }
            let status = Int(response.status.code)
            if (200..<300).contains(status) { return outcome(status: status, error: nil) }
            let retryAfter =
                status == 429 || status == 503
                ? response.headers.first(name: "retry-after").flatMap { Self.retryAfter(parsing: $0, now: Date()) } : nil
            let reason = (300..<400).contains(status) ? "redirects are not followed" : "not a 2xx answer"
            return outcome(status: status, error: "HTTP \(status): \(reason)", retryAfter: retryAfter, gone: status == 410)
        } catch {
            return outcome(status: nil, error: Self.describe(error))
        }
    }

    /// A `Retry-After` value, delay-seconds or an HTTP date, as a wait from `now`; nil when it is neither.
    public static func retryAfter(parsing value: String, now: Date) -> Duration? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty, text.count <= 10, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber), let seconds = Int64(text) {
            return .seconds(seconds)
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        let seconds = date.timeIntervalSince(now)
        guard seconds.isFinite, seconds > 0, seconds < 1e9 else { return .zero }
        return .milliseconds(Int64(seconds * 1000))
    }

    /// An error of the HTTP client in a few words for the attempts list.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout: return "timed out"
            case .remoteConnectionClosed: return "the receiver closed the connection"
            default: return "HTTP client: \(error)"
            }
        }
        return String(describing: error).prefix(500).description
    }
}
