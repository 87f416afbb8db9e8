/// Small helpers for UNSPSC codes: 8 digits in four 2-digit levels (segment, family, class, commodity).
///
/// A higher-level code is written with trailing `00` pairs (`43210000` is a family) and covers every
/// code that starts with its significant digits (`4321`).
/// ```swift
/// UNSPSC.code("43211503", isUnder: "43210000")  // true
/// UNSPSC.code("43211503", isUnder: "4321")      // true
/// ```
public enum UNSPSC {
    /// Whether `text` is a full 8-digit UNSPSC code.
    public static func isCode(_ text: String) -> Bool {
        text.utf8.count == 8 && isDigits(text)
    }

    /// Whether `text` is a UNSPSC prefix: 2, 4, 6 or 8 digits.
    public static func isPrefix(_ text: String) -> Bool {
        [2, 4, 6, 8].contains(text.utf8.count) && isDigits(text)
    }

    /// The significant digits of a code or prefix: an 8-digit code loses its trailing `00` pairs
    /// (keeping at least the segment); shorter prefixes are returned unchanged.
    public static func significantPrefix(of code: String) -> String {
        guard code.utf8.count == 8 else { return code }
        var digits = Substring(code)
        while digits.count > 2, digits.hasSuffix("00") { digits = digits.dropLast(2) }
        return String(digits)
    }

    /// Whether `code` falls under `scope` (a code with trailing `00` pairs, or a 2/4/6/8-digit prefix).
    public static func code(_ code: String, isUnder scope: String) -> Bool {
        let prefix = significantPrefix(of: scope)
        return !prefix.isEmpty && code.hasPrefix(prefix)
    }

    private static func isDigits(_ text: String) -> Bool {
        text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}
