/// Adds without trapping: database-supplied totals are trusted to be sane, but a decision must never crash.
func saturatingSum(_ values: some Sequence<Int>) -> Int {
    var total = 0
    for value in values {
        let (sum, overflow) = total.addingReportingOverflow(value)
        if overflow { return value > 0 ? Int.max : Int.min }
        total = sum
    }
    return total
}

/// `minuend - subtrahend`, clamped instead of trapping on overflow.
func saturatingDifference(_ minuend: Int, _ subtrahend: Int) -> Int {
    let (difference, overflow) = minuend.subtractingReportingOverflow(subtrahend)
    if overflow { return subtrahend > 0 ? Int.min : Int.max }
    return difference
}

/// `MoneyFormatter.dollars(cents:)`, short for messages.
func dollars(_ cents: Int) -> String { MoneyFormatter.dollars(cents: cents) }

/// Days between two dates, for "expires N days after the purchase" messages.
func days(from start: LocalDate, to end: LocalDate) -> Int { end.daysSinceEpoch - start.daysSinceEpoch }

extension LocalDate {
    /// Whether the date lies in the `days`-day window that ends on `end` (inclusive).
    func isInWindow(of days: Int, endingOn end: LocalDate) -> Bool {
        self <= end && self > end.adding(days: -days)
    }
}

/// "a, b and c" for messages.
func plainList(_ items: [String]) -> String {
    switch items.count {
    case 0: return ""
    case 1: return items[0]
    default: return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
    }
}

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
