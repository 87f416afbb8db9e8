import CooperageCore

/// A small, seedable pseudo-random generator (Steele, Lea and Flood's SplitMix64), so property tests are
/// reproducible: a failing seed can be replayed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An integer in `range`; uses modulo, whose tiny bias does not matter for test data and keeps the
    /// sequence independent of the standard library's sampling algorithm.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % width)
    }

    /// True with probability `percent` / 100.
    mutating func chance(_ percent: Int) -> Bool { int(in: 1...100) <= percent }

    mutating func element<T>(of items: [T]) -> T { items[int(in: 0...(items.count - 1))] }

    /// A random non-empty subset, in the original order.
    mutating func subset<T>(of items: [T]) -> [T] {
        let picked = items.filter { _ in chance(50) }
        return picked.isEmpty ? [element(of: items)] : picked
    }
}
