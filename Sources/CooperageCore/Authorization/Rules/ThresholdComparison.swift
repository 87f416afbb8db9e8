/// Thresholds compare either "at or above" (>=) or "above" (>); statutes use both.
enum ThresholdComparison: String, CaseIterable, Sendable {
    case atOrAbove = "at-or-above"
    case above

    func reaches(_ amount: Int, threshold: Int) -> Bool {
        switch self {
        case .atOrAbove: amount >= threshold
        case .above: amount > threshold
        }
    }

    /// "at or above" / "above", and the opposite for amounts that do not reach the threshold.
    var phrase: String { self == .atOrAbove ? "at or above" : "above" }
    var negatedPhrase: String { self == .atOrAbove ? "below" : "at or below" }
}
