import Foundation
public import Logging
public import ServiceLifecycle

/// Keeps the embedded cluster running while the server runs: checks every `interval` that its postmaster is
/// alive and, when it died (killed, crashed, out of memory), starts it again. PostgreSQL recovers from its
/// write-ahead log on that start, so committed work is kept; meanwhile ``Database`` answers calls with
/// ``DatabaseUnavailable`` (503) and takes up work again once PostgreSQL answers.
///
/// A `Service` of the application, placed before it so that it stops last, after the HTTP server and the pool:
/// ```swift
/// let supervisor = EmbeddedPostgresSupervisor(embedded: embedded, logger: logger)
/// try await ServiceGroup(services: [supervisor, app], logger: logger).run()
/// ```
public struct EmbeddedPostgresSupervisor: Service {
    public let embedded: EmbeddedPostgres
    public let interval: Duration
    public let logger: Logger

    public init(embedded: EmbeddedPostgres, interval: Duration = .seconds(1), logger: Logger) {
        self.embedded = embedded
        self.interval = interval
        self.logger = logger
    }

    /// Returns on graceful shutdown or cancellation; a cluster stopped after that is not restarted.
    public func run() async throws {
        await cancelWhenGracefulShutdown { await supervise() }
    }

    private func supervise() async {
        var failedSince: ContinuousClock.Instant?
        while true {
            do { try await Task.sleep(for: interval) } catch { return }
            guard !embedded.isPostmasterAlive else { continue }
            let started = ContinuousClock.now
            if failedSince == nil {
                failedSince = started
                logger.error(
                    "embedded PostgreSQL stopped unexpectedly; starting it again (it recovers from its write-ahead log)",
                    metadata: [
                        "directory": "\(embedded.directory)", "pid": "\(embedded.postmasterPID.map(String.init) ?? "none")",
                    ]
                )
            }
            do {
                try await Self.offCooperativeThreads { [embedded] in try embedded.restartAfterCrash() }
                logger.notice(
                    "embedded PostgreSQL is running again",
                    metadata: [
                        "pid": "\(embedded.postmasterPID.map(String.init) ?? "none")",
                        "start": "\(started.duration(to: .now))",
                        "down": "\((failedSince ?? started).duration(to: .now))",
                    ]
                )
                failedSince = nil
            } catch {
                // A backend of the dead postmaster may still hold its shared memory for a moment: try again.
                logger.warning(
                    "starting embedded PostgreSQL failed; trying again",
                    metadata: ["error": "\(error)", "retryIn": "\(interval)"]
                )
            }
        }
    }

    /// Runs blocking work (`pg_ctl start -w` waits until the server accepts connections) on a dispatch thread,
    /// so it does not hold one of the few threads Swift concurrency runs requests on.
    private static func offCooperativeThreads(_ work: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async {
                do {
                    try work()
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}

extension EmbeddedPostgresSupervisor {
    /// Runs `application` with this supervisor beside it until SIGTERM or SIGINT: the application (HTTP server,
    /// then pool) stops first, the supervisor last, and then the caller stops the cluster.
    public func run(alongside application: some Service) async throws {
        let group = ServiceGroup(
            configuration: .init(services: [self, application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        try await group.run()
    }
}
