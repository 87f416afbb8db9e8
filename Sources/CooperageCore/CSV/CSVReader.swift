/// One record of a CSV file: its fields, and the physical line on which it starts (1-based; a quoted
/// field spanning lines makes later records start further down).
public struct CSVRecord: Hashable, Sendable {
    public var line: Int
    public var fields: [String]

    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// A CSV file that cannot be read, with the physical line where the problem is.
public struct CSVError: Error, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { "line \(line): \(reason)" }
}

/// Reads RFC 4180 CSV: comma-separated fields, quoted fields (which may hold commas, quotes written
/// twice, and line breaks), CRLF or LF line ends, an optional UTF-8 byte order mark and a trailing line
/// end. Lines with no characters at all are skipped (they still count for line numbers). Malformed
/// quoting and text that is not UTF-8 are errors naming their line.
///
/// ```swift
/// let records = try CSVReader.records(in: "a,b\r\n\"x, \"\"y\"\"\",2\r\n")
/// // [CSVRecord(line: 1, fields: ["a", "b"]), CSVRecord(line: 2, fields: ["x, \"y\"", "2"])]
/// ```
public enum CSVReader {
    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")

    public static func records(in text: String) throws(CSVError) -> [CSVRecord] {
        try records(in: Array(text.utf8))
    }

    public static func records(in bytes: [UInt8]) throws(CSVError) -> [CSVRecord] {
        let result: Result<[CSVRecord], CSVError> = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(CSVError) -> [CSVRecord] in try parse(buffer) }
        }
        return try result.get()
    }

    private static func parse(_ b: UnsafeBufferPointer<UInt8>) throws(CSVError) -> [CSVRecord] {
        let n = b.count
        var i = 0
        if n >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { i = 3 }
        var line = 1
        var records: [CSVRecord] = []

        /// Steps over the line end at `i` (CR LF, LF or a lone CR).
        func skipLineEnd() {
            if b[i] == cr, i + 1 < n, b[i + 1] == lf { i += 2 } else { i += 1 }
            line += 1
        }

        while i < n {
            if b[i] == lf || b[i] == cr {
                skipLineEnd()
                continue
            }
            let recordLine = line
            var fields: [String] = []
            fieldLoop: while true {
                if i < n, b[i] == quote {
                    let fieldLine = line
                    i += 1
                    var bytes: [UInt8] = []
                    var segment = i
                    while true {
                        guard i < n else {
                            throw CSVError(line: fieldLine, reason: "a quoted field opened on line \(fieldLine) is never closed")
                        }
                        let c = b[i]
                        if c == quote {
                            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: b[segment..<i]))
                            if i + 1 < n, b[i + 1] == quote {
                                // A doubled quote stands for one quote.
                                bytes.append(quote)
                                i += 2
                                segment = i
                                continue
                            }
                            i += 1
                            break
                        }
                        if c == lf || (c == cr && !(i + 1 < n && b[i + 1] == lf)) { line += 1 }
                        i += 1
                    }
                    fields.append(try string(bytes[...], line: fieldLine))
                    guard i < n else { break fieldLoop }
                    switch b[i] {
                    case comma:
                        i += 1
                    case lf, cr:
                        skipLineEnd()
                        break fieldLoop
                    default:
                        throw CSVError(
                            line: line,
                            reason:
                                "a quoted field must end at its closing quote; write a quote inside a quoted field as two quotes"
                        )
                    }
                } else {
                    let start = i
                    while i < n {
                        let c = b[i]
                        if c == comma || c == lf || c == cr { break }
                        if c == quote {
                            throw CSVError(
                                line: line,
                                reason:
                                    "a quote inside an unquoted field; enclose the whole field in quotes and write the quote twice"
                            )
                        }
                        i += 1
                    }
                    fields.append(try string(UnsafeBufferPointer(rebasing: b[start..<i]), line: line))
                    guard i < n else { break fieldLoop }
                    if b[i] == comma {
                        i += 1
                    } else {
                        skipLineEnd()
                        break fieldLoop
                    }
                }
            }
            records.append(CSVRecord(line: recordLine, fields: fields))
        }
        return records
    }

    private static func string(_ bytes: some Collection<UInt8>, line: Int) throws(CSVError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CSVError(line: line, reason: "the text is not valid UTF-8; save the file as UTF-8")
        }
        return text
    }
}
