import Metrics
import Prometheus
import Synchronization

/// The process-wide Prometheus registry; swift-metrics can be bootstrapped once per process.
public enum CooperageMetrics {
    public static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = Mutex(false)

    /// Routes swift-metrics (Hummingbird's request counters and timers) into ``registry``; safe to call repeatedly.
    public static func bootstrap() {
        bootstrapped.withLock { done in
            guard !done else { return }
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            done = true
        }
    }
}
