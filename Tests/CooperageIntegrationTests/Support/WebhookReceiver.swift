import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization
import Testing

/// A webhook receiver of the tests' own on 127.0.0.1: what a customer's system would run. It checks every
/// request as Standard Webhooks asks, with an HMAC of its own (swift-crypto used directly, never the server's
/// signer): the signature over `{webhook-id}.{webhook-timestamp}.{body}` with each secret it knows, and a timestamp
/// within five minutes. It counts arrivals per `webhook-id` and processes each id once, as a receiver that drops
/// duplicates does. It can answer with another status, and be stopped and started again on the same port (a
/// receiver that is down: connections refused).
final class WebhookReceiver: Sendable {
    struct Arrival: Sendable {
        var id: String
        var timestamp: String
        var signatureHeader: String
        var body: Data
        /// The secrets (by index in ``secrets``) whose signature is in the header.
        var verifiedSecrets: [Int]
        var timestampFresh: Bool
        var verified: Bool { !verifiedSecrets.isEmpty && timestampFresh }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    }

    private struct State {
        var secrets: [String] = []
        /// Statuses to answer the next requests with, in order; then 204.
        var scripted: [Int] = []
        /// Answer every request with this status (after the script).
        var always: Int?
        var delay: Duration = .zero
        var arrivals: [Arrival] = []
        /// The body of each id processed, once.
        var processed: [String: Data] = [:]
        var server: Task<Void, Never>?
        var port: Int = 0
    }

    private let state = Mutex(State())

    init(secrets: [String] = []) {
        state.withLock { $0.secrets = secrets }
    }

    var port: Int { state.withLock { $0.port } }
    var url: String { "http://127.0.0.1:\(port)/hooks/cooperage" }
    var arrivals: [Arrival] { state.withLock { $0.arrivals } }
    var processed: [String: Data] { state.withLock { $0.processed } }

    func arrivals(of id: String) -> [Arrival] { arrivals.filter { $0.id == id } }

    func setSecrets(_ secrets: [String]) { state.withLock { $0.secrets = secrets } }
    /// The next requests get these statuses, one each, in order.
    func answer(_ statuses: [Int]) { state.withLock { $0.scripted += statuses } }
    /// Every request gets this status (nil: 204 after verifying).
    func answerAlways(_ status: Int?) { state.withLock { $0.always = status } }
    func delayEachAnswer(_ delay: Duration) { state.withLock { $0.delay = delay } }

    /// Starts listening, on `port` or a free one; returns when the port accepts connections. A fixed port (a restart
    /// on the same address) may still be held for a moment by the listener just stopped: tried again for up to 10 s.
    func start(port: Int = 0) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !(try await startOnce(port: port)) {
            guard port != 0, ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        try #require(state.withLock { $0.server } != nil, "the receiver did not start on port \(port)")
    }

    /// One attempt; false when the server could not listen (it then ends without ever running).
    private func startOnce(port: Int) async throws -> Bool {
        let router = Router()
        router.post("hooks/cooperage") { [self] request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            return await self.handle(request: request, body: Data(buffer: body))
        }
        let (ready, readyContinuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .critical
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in
                readyContinuation.yield(channel.localAddress?.port ?? 0)
                readyContinuation.finish()
            },
            logger: logger
        )
        let task = Task {
            _ = try? await app.runService(gracefulShutdownSignals: [])
            // A server that could not bind its port ends here without running: the wait below must end too.
            readyContinuation.finish()
        }
        var bound = 0
        for await value in ready { bound = value }
        guard bound > 0 else { return false }
        state.withLock {
            $0.server = task
            $0.port = bound
        }
        return true
    }

    /// Stops listening: connections to its port are refused until it starts again.
    func stop() async {
        let task = state.withLock { state -> Task<Void, Never>? in
            defer { state.server = nil }
            return state.server
        }
        task?.cancel()
        await task?.value
    }

    private func handle(request: Request, body: Data) async -> Response {
        let id = request.headers[HTTPField.Name("webhook-id")!] ?? ""
        let timestamp = request.headers[HTTPField.Name("webhook-timestamp")!] ?? ""
        let signatureHeader = request.headers[HTTPField.Name("webhook-signature")!] ?? ""
        let secrets = state.withLock { $0.secrets }
        let verified = Self.verify(id: id, timestamp: timestamp, body: body, header: signatureHeader, secrets: secrets)
        let fresh = Int64(timestamp).map { abs(Int64(Date().timeIntervalSince1970) - $0) <= 300 } ?? false
        let arrival = Arrival(
            id: id,
            timestamp: timestamp,
            signatureHeader: signatureHeader,
            body: body,
            verifiedSecrets: verified,
            timestampFresh: fresh
        )
        let (status, delay) = state.withLock { state -> (Int, Duration) in
            state.arrivals.append(arrival)
            if !state.scripted.isEmpty { return (state.scripted.removeFirst(), state.delay) }
            if let always = state.always { return (always, state.delay) }
            guard arrival.verified else { return (401, state.delay) }
            // Processed once per webhook-id: a repeated delivery is acknowledged and dropped.
            if state.processed[id] == nil { state.processed[id] = body }
            return (204, state.delay)
        }
        if delay > .zero { try? await Task.sleep(for: delay) }
        return Response(status: .init(code: status))
    }

    /// Standard Webhooks verification, written here from the specification: for each `v1,<base64>` in the header,
    /// HMAC-SHA256 keyed with the secret's base64-decoded bytes (after `whsec_`) over `id.timestamp.body`, compared
    /// in constant time. Returns the indexes of the secrets that match a signature.
    static func verify(id: String, timestamp: String, body: Data, header: String, secrets: [String]) -> [Int] {
        var signed = Data("\(id).\(timestamp).".utf8)
        signed.append(body)
        let given = header.split(separator: " ").compactMap { part -> Data? in
            guard part.hasPrefix("v1,") else { return nil }
            return Data(base64Encoded: String(part.dropFirst(3)))
        }
        return secrets.indices.filter { index in
            let secret = secrets[index]
            guard secret.hasPrefix("whsec_"), let key = Data(base64Encoded: String(secret.dropFirst(6))) else { return false }
            let expected = Data(HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: key)))
            return given.contains { constantTimeEqual($0, expected) }
        }
    }

    static func constantTimeEqual(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
