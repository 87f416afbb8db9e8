/// Formats integer cents as US dollars for messages: `123456` -> `"$1,234.56"`, `-5` -> `"-$0.05"`.
///
/// Works without Foundation so the core stays dependency-free.
public enum MoneyFormatter {
    /// The amount in dollars with thousands separators and two decimals.
    public static func dollars(cents: Int) -> String {
        let magnitude = cents.magnitude
        let whole = String(magnitude / 100)
        let fraction = magnitude % 100
        var grouped = ""
        for (offset, digit) in whole.enumerated() {
            if offset > 0, (whole.count - offset) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        let fractionText = fraction < 10 ? "0\(fraction)" : "\(fraction)"
        return "\(cents < 0 ? "-" : "")$\(grouped).\(fractionText)"
    }
}
