import Foundation

/// How many units a purchase-order line buys: a positive decimal with at most 4 decimals (hours, pounds),
/// held exactly as an integer number of ten-thousandths, so `1.005 x 100 cents` is 100.5 cents, never
/// 100.49999.
///
/// JSON carries it as a number (`2.5`), CSV as text (`2.5`); both are read from their decimal digits, never
/// through floating point.
/// ```swift
/// let quantity = Quantity("1.005")       // 10050 ten-thousandths
/// quantity?.total(ofCents: 100)          // 101: 100.5 rounded half away from zero
/// ```
public struct Quantity: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The quantity times 10,000.
    public let tenThousandths: Int

    /// The largest quantity of one line: a billion units.
    public static let maximum = Quantity(tenThousandths: 1_000_000_000 * 10_000)

    public init(tenThousandths: Int) {
        self.tenThousandths = tenThousandths
    }

    /// A whole number of units.
    public init(_ units: Int) {
        self.tenThousandths = units.multipliedReportingOverflow(by: 10_000).overflow ? .max : units * 10_000
    }

    /// Parses a decimal written with digits, at most one point and at most 4 decimals (`3`, `2.5`, `0.0125`);
    /// with `allowingExponent`, also JSON's exponent form (`1e3`, `2.5E-1`). Nil for anything else, for values
    /// with more than 4 decimals, and for values beyond ``maximum``. No sign is accepted: `-1` is not a quantity.
    public init?(_ text: some StringProtocol, allowingExponent: Bool = false) {
        var digits: [UInt8] = []
        var pointIndex: Int?
        var exponent = 0
        var bytes = Array(text.utf8)[...]
        if allowingExponent, let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            var exponentText = bytes[(e + 1)...]
            var negative = false
            if let sign = exponentText.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                negative = sign == UInt8(ascii: "-")
                exponentText = exponentText.dropFirst()
            }
            guard !exponentText.isEmpty, exponentText.count <= 4,
                exponentText.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
            else { return nil }
            var value = 0
            for byte in exponentText { value = value * 10 + Int(byte - UInt8(ascii: "0")) }
            exponent = negative ? -value : value
            bytes = bytes[..<e]
        }
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard pointIndex == nil else { return nil }
                pointIndex = digits.count
            } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                digits.append(byte - UInt8(ascii: "0"))
            } else {
                return nil
            }
        }
        guard !digits.isEmpty, pointIndex != 0, pointIndex != digits.count else { return nil }
        // The value is digits x 10^(exponent - decimals); in ten-thousandths, digits x 10^(shift).
        let decimals = digits.count - (pointIndex ?? digits.count)
        let shift = exponent - decimals + 4
        // Leading zeros carry no value; trailing zeros below the shift may be dropped when they are zeros.
        var significant = digits.drop { $0 == 0 }[...]
        var power = shift
        while power < 0 {
            guard let last = significant.last, last == 0 else {
                if significant.isEmpty { break }
                return nil
            }
            significant = significant.dropLast()
            power += 1
        }
        guard significant.count + max(power, 0) <= 17 else { return nil }
        var value = 0
        for digit in significant { value = value * 10 + Int(digit) }
        for _ in 0..<max(power, 0) { value *= 10 }
        guard value <= Self.maximum.tenThousandths else { return nil }
        self.tenThousandths = value
    }

    /// quantity x `cents`, rounded half away from zero to the cent; nil beyond ``Money/maximumCents``.
    public func total(ofCents cents: Int) -> Int? {
        let product = Int128(tenThousandths) * Int128(cents)
        let half: Int128 = product < 0 ? -5_000 : 5_000
        let rounded = (product + half) / 10_000
        guard let total = Int(exactly: rounded), abs(total) <= Money.maximumCents else { return nil }
        return total
    }

    /// The shortest decimal text: `2`, `2.5`, `0.0125`, as `JSONEncoder` writes such a `Double`.
    public var description: String {
        let whole = tenThousandths / 10_000
        var fraction = tenThousandths % 10_000
        guard fraction != 0 else { return String(whole) }
        var places = 4
        while fraction % 10 == 0 {
            fraction /= 10
            places -= 1
        }
        let fractionText = String(fraction)
        return "\(whole)." + String(repeating: "0", count: places - fractionText.count) + fractionText
    }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.tenThousandths < rhs.tenThousandths }
}

extension Quantity: Codable {
    /// Reads a JSON number from its digits (via `Decimal`'s exact text, not `Double`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = "\(try container.decode(Decimal.self))"
        guard let quantity = Quantity(text, allowingExponent: true), quantity.tenThousandths > 0 else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "must be a positive number with at most 4 decimals, at most 1000000000"
            )
        }
        self = quantity
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Decimal(string: description) ?? Decimal(tenThousandths) / 10_000)
    }
}

extension Quantity: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self.init(value) }
}
