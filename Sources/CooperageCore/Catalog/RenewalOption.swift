/// One optional extension of a Master Agreement's term.
public struct RenewalOption: Codable, Hashable, Sendable {
    /// How many years the option adds (1 to 10).
    public var years: Int
    /// Whether the cooperative has already exercised it (its years are then part of `expiresOn`).
    public var exercised: Bool

    public init(years: Int, exercised: Bool = false) {
        self.years = years
        self.exercised = exercised
    }

    enum CodingKeys: String, CodingKey {
        case years, exercised
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        years = try container.decode(Int.self, forKey: .years)
        exercised = try container.decodeIfPresent(Bool.self, forKey: .exercised) ?? false
    }
}
