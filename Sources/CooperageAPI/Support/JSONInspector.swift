import CooperageCore

/// A strict read of a JSON body's bytes before it is decoded, for what `JSONDecoder` lets through or cannot
/// locate: invalid UTF-8, lone surrogate escapes, a member name given twice, control characters in text
/// (PostgreSQL refuses NUL in text; the others are typing or injection accidents), and nesting deep enough to
/// exhaust a recursive decoder.
///
/// ```swift
/// if let finding = JSONInspector.inspection(of: bytes).finding { throw finding.problem }
/// ```
struct JSONInspector {
    /// What is wrong with a body.
    enum Finding: Error, Equatable {
        /// Not JSON at all (broken encoding or syntax): 400.
        case malformed(String)
        /// A value that is JSON but never acceptable, at a JSON pointer: 422.
        case invalid(pointer: String, detail: String)

        var problem: Problem {
            switch self {
            case .malformed(let detail): .malformedJSON(detail)
            case .invalid(let pointer, let detail): .validation([FieldIssue(pointer: pointer, detail: detail)])
            }
        }
    }

    /// Objects and arrays may nest this deep; real bodies nest three or four levels.
    static let maximumDepth = 64

    private let bytes: [UInt8]
    private var index = 0
    private var path: [String] = []
    /// Numbers that are not 64-bit integers (`1.5`, `1e20`, `9223372036854775808`), with where they stand: a
    /// decoder that wanted an integer there says only which text it could not take.
    private(set) var inexactNumbers: [(pointer: String, text: String)] = []

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// What is wrong with `bytes` (nil when clean) and the numbers in it that are not 64-bit integers.
    static func inspection(of bytes: [UInt8]) -> (finding: Finding?, inexactNumbers: [(pointer: String, text: String)]) {
        var inspector = JSONInspector(bytes)
        do throws(Finding) {
            inspector.skipWhitespace()
            try inspector.value(depth: 0)
            inspector.skipWhitespace()
            guard inspector.index == bytes.count else { throw Finding.malformed("The body has more after its JSON value.") }
            return (nil, inspector.inexactNumbers)
        } catch {
            return (error, inspector.inexactNumbers)
        }
    }

    private var pointer: String { path.map { "/" + $0 }.joined() }

    private mutating func value(depth: Int) throws(Finding) {
        guard depth <= Self.maximumDepth else {
            throw .malformed("The body nests objects and arrays more than \(Self.maximumDepth) levels deep.")
        }
        guard index < bytes.count else { throw .malformed("The body ends where a value was expected.") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var names = Set<String>()
            skipWhitespace()
            if peek(UInt8(ascii: "}")) { return }
            while true {
                skipWhitespace()
                guard peek(UInt8(ascii: "\""), consume: false) else {
                    throw .malformed("An object member's name must be a string.")
                }
                let name = try string()
                let escaped = name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
                guard names.insert(name).inserted else {
                    throw .invalid(pointer: pointer + "/" + escaped, detail: "is given more than once")
                }
                skipWhitespace()
                guard peek(UInt8(ascii: ":")) else { throw .malformed("An object member's name must be followed by ':'.") }
                skipWhitespace()
                path.append(escaped)
                try value(depth: depth + 1)
                path.removeLast()
                skipWhitespace()
                if peek(UInt8(ascii: ",")) { continue }
                if peek(UInt8(ascii: "}")) { return }
                throw .malformed("An object's members must be separated by ',' and closed by '}'.")
            }
        case UInt8(ascii: "["):
            index += 1
            skipWhitespace()
            if peek(UInt8(ascii: "]")) { return }
            var position = 0
            while true {
                skipWhitespace()
                path.append(String(position))
                try value(depth: depth + 1)
                path.removeLast()
                position += 1
                skipWhitespace()
                if peek(UInt8(ascii: ",")) { continue }
                if peek(UInt8(ascii: "]")) { return }
                throw .malformed("An array's elements must be separated by ',' and closed by ']'.")
            }
        case UInt8(ascii: "\""):
            let text = try string()
            if let control = text.unicodeScalars.first(where: Self.isRefusedControl) {
                throw .invalid(
                    pointer: pointer,
                    detail: "must not contain control characters (found U+\(Self.hex(control.value)))"
                )
            }
        default:
            // Numbers and literals: JSONDecoder checks their syntax; here they only need to end.
            let start = index
            while index < bytes.count, !Self.isDelimiter(bytes[index]) { index += 1 }
            let token = bytes[start..<index]
            if let first = token.first, first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first),
                Int(String(decoding: token, as: UTF8.self)) == nil, inexactNumbers.count < 100
            {
                inexactNumbers.append((pointer, String(decoding: token.prefix(40), as: UTF8.self)))
            }
        }
    }

    /// Reads a string at `index` (its opening quote), checking its UTF-8 and escapes, and returns its text.
    private mutating func string() throws(Finding) -> String {
        index += 1
        var scalars = String.UnicodeScalarView()
        while true {
            guard index < bytes.count else { throw .malformed("A string is not closed.") }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw .malformed("A string ends inside an escape.") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{8}")
                case UInt8(ascii: "f"): scalars.append("\u{C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    let unit = try hexUnit()
                    if (0xD800...0xDBFF).contains(unit) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                        else { throw .malformed("A string has a lone surrogate escape (\\u\(Self.hex(UInt32(unit)))).") }
                        index += 2
                        let low = try hexUnit()
                        guard (0xDC00...0xDFFF).contains(low) else {
                            throw .malformed("A string has a lone surrogate escape (\\u\(Self.hex(UInt32(unit)))).")
                        }
                        let value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                        guard let scalar = Unicode.Scalar(value) else { throw .malformed("A string has an invalid escape.") }
                        scalars.append(scalar)
                    } else {
                        guard let scalar = Unicode.Scalar(UInt32(unit)) else {
                            throw .malformed("A string has a lone surrogate escape (\\u\(Self.hex(UInt32(unit)))).")
                        }
                        scalars.append(scalar)
                    }
                default:
                    throw .malformed("A string has an invalid escape.")
                }
            default:
                guard byte >= 0x20 else { throw .malformed("A string contains an unescaped control character.") }
                scalars.append(try utf8Scalar())
            }
        }
    }

    /// Decodes one UTF-8 sequence at `index`, refusing overlong forms, surrogates and truncated sequences.
    private mutating func utf8Scalar() throws(Finding) -> Unicode.Scalar {
        let first = bytes[index]
        let length: Int
        var value: UInt32
        switch first {
        case 0x00...0x7F: length = 1; value = UInt32(first)
        case 0xC2...0xDF: length = 2; value = UInt32(first & 0x1F)
        case 0xE0...0xEF: length = 3; value = UInt32(first & 0x0F)
        case 0xF0...0xF4: length = 4; value = UInt32(first & 0x07)
        default: throw .malformed("The body is not valid UTF-8.")
        }
        guard index + length <= bytes.count else { throw .malformed("The body is not valid UTF-8.") }
        for offset in 1..<length {
            let continuation = bytes[index + offset]
            guard continuation & 0xC0 == 0x80 else { throw .malformed("The body is not valid UTF-8.") }
            value = value << 6 | UInt32(continuation & 0x3F)
        }
        let smallest: UInt32 = [0, 0, 0x80, 0x800, 0x10000][length]
        guard value >= smallest, let scalar = Unicode.Scalar(value) else { throw .malformed("The body is not valid UTF-8.") }
        index += length
        return scalar
    }

    private mutating func hexUnit() throws(Finding) -> UInt16 {
        guard index + 4 <= bytes.count else { throw .malformed("A string has an invalid \\u escape.") }
        var unit: UInt16 = 0
        for byte in bytes[index..<(index + 4)] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw .malformed("A string has an invalid \\u escape.")
            }
            unit = unit << 4 | UInt16(digit)
        }
        index += 4
        return unit
    }

    private mutating func skipWhitespace() {
        while index < bytes.count,
            bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\n") || bytes[index] == UInt8(ascii: "\r")
                || bytes[index] == UInt8(ascii: "\t")
        {
            index += 1
        }
    }

    /// True (and consumed, unless told not to) when the next byte is `byte`.
    private mutating func peek(_ byte: UInt8, consume: Bool = true) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        if consume { index += 1 }
        return true
    }

    private static func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: " "), UInt8(ascii: "\n"),
            UInt8(ascii: "\r"), UInt8(ascii: "\t"), UInt8(ascii: ":"), UInt8(ascii: "\""), UInt8(ascii: "{"),
            UInt8(ascii: "["):
            true
        default: false
        }
    }

    /// Control characters no text of the API may hold: C0 other than tab, line feed and carriage return, DEL and C1.
    static func isRefusedControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F, 0x7F...0x9F: true
        default: false
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
