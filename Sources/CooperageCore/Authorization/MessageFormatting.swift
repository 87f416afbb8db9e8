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
func formatDollars(_ cents: Int) -> String { MoneyFormatter.dollars(cents: cents) }

extension LocalDate {
    /// Days from this date to `end` (negative when `end` is earlier), for "N days after" messages.
    func days(until end: LocalDate) -> Int { end.daysSinceEpoch - daysSinceEpoch }

    /// Whether the date lies in the `days`-day window that ends on `end` (inclusive).
    func isInWindow(of days: Int, endingOn end: LocalDate) -> Bool {
        self <= end && self > end.adding(days: -days)
    }
}

/// "a registration", "an interlocal-agreement": the word with its indefinite article.
func withArticle(_ word: String) -> String {
    guard let first = word.lowercased().first else { return word }
    return ("aeiou".contains(first) ? "an " : "a ") + word
}

/// "a, b and c" for messages.
func plainList(_ items: [String]) -> String {
    switch items.count {
    case 0: return ""
    case 1: return items[0]
    default: return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
    }
}

extension String {
    /// The string with its first character upper-cased, for sentences that start with a variable.
    var capitalizedFirst: String {
        guard let first else { return self }
        return first.uppercased() + dropFirst()
    }
}
