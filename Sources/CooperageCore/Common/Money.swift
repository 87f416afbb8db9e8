/// The bounds of money in Cooperage: whole cents in a 64-bit `Int`, never more than ``maximumCents`` in one
/// amount, so that no sum a request can form overflows, and every sum is checked anyway.
///
/// ```swift
/// if let issue = Money.issue(amountCents, at: "/amountCents") { issues.append(issue) }
/// guard let total = Money.sum(lines.map(\.amountCents)) else { /* 422, never a trap */ }
/// ```
public enum Money {
    /// Ten trillion dollars: far above any public purchase, far below the 64-bit limit (about $92 quadrillion).
    public static let maximumCents = 1_000_000_000_000_000

    /// All agencies' commitments on one agreement stop here, ceiling or not: a thousand times ``maximumCents``, so
    /// the database's counters (64-bit) can never overflow however many authorizations are approved.
    public static let maximumCommittedCents = 1_000_000_000_000_000_000

    /// The checked sum of `values`; nil when it overflows or leaves `-maximum...maximum`.
    public static func sum(_ values: some Sequence<Int>, maximum: Int = maximumCents) -> Int? {
        var total = 0
        for value in values {
            let (next, overflow) = total.addingReportingOverflow(value)
            guard !overflow, (-maximum...maximum).contains(next) else { return nil }
            total = next
        }
        return total
    }

    /// `a + b`, or nil when it overflows or leaves `-maximum...maximum`.
    public static func add(_ a: Int, _ b: Int, maximum: Int = maximumCents) -> Int? {
        sum([a, b], maximum: maximum)
    }

    /// The sum of figures read back for a report, clamped to the 64-bit range: a report of stored rows must
    /// answer whatever they hold (rows stored before amounts were bounded, too), never trap.
    public static func clampedSum(_ values: some Sequence<Int>) -> Int {
        var total: Int128 = 0
        for value in values { total += Int128(value) }
        return Int(clamping: total)
    }

    /// `a - b`, clamped to the 64-bit range (see ``clampedSum(_:)``).
    public static func clampedDifference(_ a: Int, _ b: Int) -> Int {
        Int(clamping: Int128(a) - Int128(b))
    }

    /// What is wrong with an amount of cents, or nil when it is within bounds.
    /// - Parameters:
    ///   - pointer: the field's JSON pointer, for the issue.
    ///   - allowZero: zero is a valid amount (prices, fees); otherwise it must be positive.
    ///   - allowNegative: negative amounts are valid (corrections); otherwise they are refused.
    public static func issue(
        _ cents: Int,
        at pointer: @autoclosure () -> String,
        allowZero: Bool = false,
        allowNegative: Bool = false
    ) -> FieldIssue? {
        let lowest = allowNegative ? -maximumCents : (allowZero ? 0 : 1)
        guard !(lowest...maximumCents).contains(cents) else { return nil }
        let kind =
            allowNegative ? "a number of cents" : (allowZero ? "a non-negative number of cents" : "a positive number of cents")
        return FieldIssue(pointer: pointer(), detail: "must be \(kind), at most \(maximumText)")
    }

    /// `$10,000,000,000,000.00 (1000000000000000 cents)`.
    public static let maximumText = "\(MoneyFormatter.dollars(cents: maximumCents)) (\(maximumCents) cents)"
}
