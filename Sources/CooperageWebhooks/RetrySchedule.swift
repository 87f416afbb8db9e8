/// When a failed delivery is tried again: after each failed attempt, the next step's wait with jitter, until the
/// steps run out and the delivery has failed for good.
///
/// The standard steps are 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h (ten attempts over about three
/// days). Each wait is drawn uniformly between half its step and the whole step: jitter spreads the retries of many
/// deliveries that failed together (a receiver's outage), and keeping the lower half out guarantees the schedule's
/// minimum, half the sum, about 38 hours, so a delivery is retried for at least 24 hours whatever the draws.
/// (Full jitter, from zero to the step, could end it within hours.)
public struct RetrySchedule: Sendable, Hashable {
    public var steps: [Duration]

    public init(steps: [Duration]) {
        self.steps = steps
    }

    public static let standard = RetrySchedule(steps: [
        .seconds(5), .seconds(300), .seconds(1800), .seconds(7200), .seconds(18_000), .seconds(36_000),
        .seconds(50_400), .seconds(72_000), .seconds(86_400),
    ])

    /// The shortest time over which a delivery is retried: half of every step.
    public var minimumSpan: Duration { steps.reduce(.zero) { $0 + $1 / 2 } }

    /// The wait before the next attempt after `attemptsMade` scheduled attempts failed; nil when the schedule is
    /// spent. `retryAfter` (a 429's or 503's `Retry-After`) lengthens the wait, up to the longest step.
    public func delay(
        afterAttempts attemptsMade: Int,
        retryAfter: Duration? = nil,
        using generator: inout some RandomNumberGenerator
    ) -> Duration? {
        guard attemptsMade >= 1, attemptsMade <= steps.count else { return nil }
        let step = steps[attemptsMade - 1]
        let stepNanos = max(Self.nanoseconds(step), 2)
        let drawn = Duration.nanoseconds(Int64.random(in: (stepNanos / 2)...stepNanos, using: &generator))
        guard let retryAfter, let longest = steps.max() else { return drawn }
        return max(drawn, min(retryAfter, longest))
    }

    public func delay(afterAttempts attemptsMade: Int, retryAfter: Duration? = nil) -> Duration? {
        var generator = SystemRandomNumberGenerator()
        return delay(afterAttempts: attemptsMade, retryAfter: retryAfter, using: &generator)
    }

    /// Whole nanoseconds of a non-negative duration, clamped to 64 bits.
    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return Int64.max }
        let (sum, overflowAgain) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflowAgain ? Int64.max : sum
    }
}
