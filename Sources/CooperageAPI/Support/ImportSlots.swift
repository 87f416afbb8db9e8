import Synchronization

/// How many usage files the server reads at once.
///
/// A file takes several times its size while it is read and imported (a 58 MB file peaked at 400 MB; the
/// limit is 64 MiB), so unbounded concurrent uploads could exhaust the server's memory. An upload that finds every slot taken is answered at once
/// with 503 and `Retry-After` (nothing of it read), instead of queueing bodies in memory.
///
/// ```swift
/// guard slots.tryAcquire() else { throw Problem.importsBusy(limit: slots.limit) }
/// defer { slots.release() }
/// ```
public final class ImportSlots: Sendable {
    /// Two: the database writes one import's rows on one core, so more at once on a small machine only
    /// share the same cores.
    public static let defaultLimit = 2

    public let limit: Int
    private let taken = Mutex(0)

    public init(limit: Int = ImportSlots.defaultLimit) {
        precondition(limit >= 1, "at least one import must be allowed")
        self.limit = limit
    }

    /// Takes a slot if one is free; each successful call must be matched by ``release()``.
    public func tryAcquire() -> Bool {
        taken.withLock { taken in
            guard taken < limit else { return false }
            taken += 1
            return true
        }
    }

    public func release() {
        taken.withLock { taken in
            precondition(taken > 0, "released a slot that was not taken")
            taken -= 1
        }
    }

    /// Slots in use now.
    public var inUse: Int { taken.withLock { $0 } }
}
