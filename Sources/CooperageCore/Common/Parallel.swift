import Dispatch

/// Work split into pieces that run at once, one per processor, for the few steps large enough to gain from
/// it (reading a bulk CSV file). The caller's thread takes part, and the call returns when every piece is done.
public enum Parallel {
    /// `work(0)`, ..., `work(count - 1)`, run at once; the results in that order.
    public static func map<T: Sendable>(_ count: Int, _ work: @Sendable (Int) -> T) -> [T] {
        guard count > 1 else { return count == 1 ? [work(0)] : [] }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            // Each piece writes only its own element, and all are written before the array is returned.
            // swift-format-ignore: NeverForceUnwrap
            // The buffer has capacity for `count` > 1 elements, so it has an address.
            nonisolated(unsafe) let results = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: count) { k in
                (results + k).initialize(to: work(k))
            }
            initialized = count
        }
    }
}
