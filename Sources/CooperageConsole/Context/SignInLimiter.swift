import Foundation
import NIOConcurrencyHelpers

/// Failed sign-ins per client address in the last minute: past the limit, sign-in is refused for a while, so a
/// token cannot be guessed by trying many (it cannot anyway: 256 random bits; this keeps logs and load sane).
final class SignInLimiter: Sendable {
    private let failures = NIOLockedValueBox<[String: [Date]]>([:])
    let limit: Int
    static let window: TimeInterval = 60

    init(limit: Int) {
        self.limit = limit
    }

    /// Seconds to wait before `address` may try again; nil when it may try now.
    func wait(for address: String, now: Date = Date()) -> Int? {
        failures.withLockedValue { failures in
            let recent = (failures[address] ?? []).filter { now.timeIntervalSince($0) < Self.window }
            failures[address] = recent.isEmpty ? nil : recent
            guard recent.count >= limit, let oldest = recent.first else { return nil }
            return max(1, Int((Self.window - now.timeIntervalSince(oldest)).rounded(.up)))
        }
    }

    func recordFailure(for address: String, now: Date = Date()) {
        failures.withLockedValue { failures in
            // Bounded memory: addresses with no recent failure are dropped as they are seen again; a flood of
            // new addresses is capped.
            if failures.count > 100_000 { failures.removeAll() }
            failures[address, default: []].append(now)
        }
    }

    func recordSuccess(for address: String) {
        failures.withLockedValue { $0[address] = nil }
    }
}
