/// Where an aggregate volume stands on an agreement's price tiers.
public struct TierStanding: Hashable, Sendable {
    /// The highest tier whose threshold the volume has reached, 1-based in ascending order; nil below the first.
    public var reached: Int?
    public var reachedTier: PriceTier?
    /// The tier after it, if any.
    public var next: Int?
    public var nextTier: PriceTier?
    /// How much more volume reaches the next tier, in cents; nil at the top tier.
    public var gapCents: Int?

    /// Tiers are taken in ascending `minVolumeCents` order (ties keep their listed order, the later one
    /// counting as reached); a tier is reached when the volume is at least its minimum.
    /// ```swift
    /// TierStanding(volumeCents: 600_000, tiers: [.init(minVolumeCents: 0, discountBasisPoints: 0),
    ///     .init(minVolumeCents: 500_000, discountBasisPoints: 200), .init(minVolumeCents: 1_000_000, discountBasisPoints: 400)])
    /// // reached 2 (2 %), next 3, gap 400_000
    /// ```
    public init(volumeCents: Int, tiers: [PriceTier]) {
        let ladder = tiers.enumerated().sorted { ($0.element.minVolumeCents, $0.offset) < ($1.element.minVolumeCents, $1.offset) }
            .map(\.element)
        let reachedIndex = ladder.lastIndex { $0.minVolumeCents <= volumeCents }
        reached = reachedIndex.map { $0 + 1 }
        reachedTier = reachedIndex.map { ladder[$0] }
        let nextIndex = ladder.firstIndex { $0.minVolumeCents > volumeCents }
        next = nextIndex.map { $0 + 1 }
        nextTier = nextIndex.map { ladder[$0] }
        gapCents = nextIndex.map { Int(clamping: Int128(ladder[$0].minVolumeCents) - Int128(volumeCents)) }
    }
}

/// Administrative fee arithmetic.
public enum AdminFee {
    /// `spendCents x basisPoints / 10000`, rounded to the nearest cent with halves rounded away from zero
    /// (commercial rounding: 0.5 cent becomes 1 cent, -0.5 becomes -1). Integer arithmetic, no floating point.
    ///
    /// The fee is computed once on a quarter's total per agreement, not per order, so per-order rounding
    /// never accumulates.
    /// ```swift
    /// AdminFee.cents(spendCents: 123_457, basisPoints: 200)  // 2469.14 -> 2469
    /// AdminFee.cents(spendCents: 25, basisPoints: 200)       // 0.5 -> 1
    /// ```
    /// A result beyond 64 bits (a rate above 100 % on an amount near the limit) saturates instead of trapping.
    public static func cents(spendCents: Int, basisPoints: Int) -> Int {
        let product = Int128(spendCents) * Int128(basisPoints)
        // Round half away from zero: |remainder| >= 5000 moves one cent away from zero.
        let rounded = (product + (product < 0 ? -5_000 : 5_000)) / 10_000
        return Int(clamping: rounded)
    }

    /// `partCents / wholeCents` in basis points, rounded half away from zero; nil when `wholeCents` is zero.
    public static func basisPoints(of partCents: Int, in wholeCents: Int) -> Int? {
        guard wholeCents != 0 else { return nil }
        let product = Int128(partCents) * 10_000
        let whole = Int128(wholeCents)
        var quotient = product / whole
        let remainder = product % whole
        if remainder.magnitude * 2 >= whole.magnitude {
            quotient += (remainder < 0) != (whole < 0) ? -1 : 1
        }
        // A share beyond 64 bits of basis points (a tiny whole) has no meaning as a figure: none is given.
        return Int(exactly: quotient)
    }
}
