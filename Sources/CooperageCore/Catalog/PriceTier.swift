/// A volume discount: once all agencies together buy `minVolumeCents`, prices drop by `discountBasisPoints`.
public struct PriceTier: Codable, Hashable, Sendable {
    /// The aggregate volume (all agencies) at which the tier starts, in cents.
    public var minVolumeCents: Int
    /// The discount off list in basis points (100 = 1 %).
    public var discountBasisPoints: Int

    public init(minVolumeCents: Int, discountBasisPoints: Int) {
        self.minVolumeCents = minVolumeCents
        self.discountBasisPoints = discountBasisPoints
    }
}
