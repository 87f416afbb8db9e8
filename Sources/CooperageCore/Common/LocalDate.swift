public import Foundation

/// A calendar date without a time zone, as purchases happen on a day (`2026-07-01`).
///
/// Encodes to and decodes from the ISO 8601 `yyyy-MM-dd` form.
/// ```swift
/// let date = try LocalDate(iso8601: "2026-07-01")
/// date.adding(days: 30).description  // "2026-07-31"
/// ```
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...LocalDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// For dates whose month and day are known to be valid (the first of a month): no check, no optional.
    init(validYear year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The years a date written by a client may have: anything outside is a typing mistake, and far outside
    /// it would break date arithmetic.
    public static let acceptedYears = 1900...2999

    /// Parses `yyyy-MM-dd` with a year in ``acceptedYears``; returns nil for anything else, including
    /// impossible dates.
    public init?(iso8601 text: some StringProtocol) {
        // Read on the UTF-8 bytes: ten of them, digits and two dashes, is exactly "four, two and two ASCII digits".
        var bytes = text.utf8.makeIterator()
        var digits = (0, 0, 0)
        for position in 0..<10 {
            guard let byte = bytes.next() else { return nil }
            if position == 4 || position == 7 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            let digit = Int(byte - UInt8(ascii: "0"))
            switch position {
            case 0..<4: digits.0 = digits.0 * 10 + digit
            case 5..<7: digits.1 = digits.1 * 10 + digit
            default: digits.2 = digits.2 * 10 + digit
            }
        }
        guard bytes.next() == nil, Self.acceptedYears.contains(digits.0) else { return nil }
        self.init(year: digits.0, month: digits.1, day: digits.2)
    }

    public var description: String {
        guard (0...9999).contains(year) else { return "\(year)-\(month)-\(day)" }
        let zero = UInt8(ascii: "0")
        let bytes: [UInt8] = [
            zero + UInt8(year / 1000), zero + UInt8(year / 100 % 10), zero + UInt8(year / 10 % 10), zero + UInt8(year % 10),
            UInt8(ascii: "-"), zero + UInt8(month / 10), zero + UInt8(month % 10),
            UInt8(ascii: "-"), zero + UInt8(day / 10), zero + UInt8(day % 10),
        ]
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Days since 1970-01-01 (proleptic Gregorian), handy for arithmetic.
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public init(daysSinceEpoch days: Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    public func adding(days: Int) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// The first day of the fiscal year containing this date, for a fiscal year starting in `startMonth`.
    public func fiscalYearStart(startMonth: Int) -> LocalDate {
        let startMonth = (1...12).contains(startMonth) ? startMonth : 1
        return LocalDate(validYear: month >= startMonth ? year : year - 1, month: startMonth, day: 1)
    }

    /// The fiscal year's label: the calendar year in which it ends (US government convention).
    public func fiscalYear(startMonth: Int) -> Int {
        startMonth == 1 ? year : fiscalYearStart(startMonth: startMonth).year + 1
    }

    /// The first day of this date's month (the aggregates' period key).
    public var firstOfMonth: LocalDate { LocalDate(validYear: year, month: month, day: 1) }

    /// The first day of this date's calendar quarter.
    public var firstOfQuarter: LocalDate { LocalDate(validYear: year, month: quarter * 3 - 2, day: 1) }

    /// Calendar quarter 1...4.
    public var quarter: Int { (month - 1) / 3 + 1 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

extension LocalDate: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = LocalDate(iso8601: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "expected a date as yyyy-MM-dd between 1900 and 2999, got \"\(text.prefix(40))\""
            )
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// The calendar day in UTC at `now`: the server's one clock for "today" (reports' stamps, instruments in
    /// force, agreements usable today).
    public static func today(_ now: Date = Date()) -> LocalDate {
        LocalDate(daysSinceEpoch: Int((now.timeIntervalSince1970 / 86_400).rounded(.down)))
    }
}
