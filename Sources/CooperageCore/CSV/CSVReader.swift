import Foundation

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

    public static func records(in bytes: [UInt8], parts: Int? = nil) throws(CSVError) -> [CSVRecord] {
        let pieces = try recordParts(in: bytes, parts: parts)
        return pieces.count == 1 ? pieces[0] : Array(pieces.joined())
    }

    /// The records in consecutive pieces read at once (see ``mapRecords(in:from:line:parts:_:)``).
    public static func recordParts(in bytes: [UInt8], parts: Int? = nil) throws(CSVError) -> [[CSVRecord]] {
        try mapRecords(in: bytes, parts: parts) { $0 }
    }

    /// The file's first record (a header row), and where the records after it start: the byte offset and the
    /// physical line. Nil when the file has no record.
    public static func firstRecord(in bytes: [UInt8]) throws(CSVError) -> (record: CSVRecord, rest: Int, line: Int)? {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(CSVError) -> (records: [CSVRecord], end: Int, line: Int) in
                try parse(buffer, from: 0, to: buffer.count, line: 1, limit: 1)
            }
        }
        let read = try result.get()
        return read.records.first.map { ($0, read.end, read.line) }
    }

    /// The records of `bytes` from offset `start` (on physical line `line`) on, read in up to `parts`
    /// consecutive pieces at once, each piece's records handed to `transform` as soon as they are read (so only
    /// the pieces being read are held as records); the results in file order. The records are the same, in the
    /// same order, and the first error is the same, as reading the file in one go. By default a file of a
    /// megabyte or more is read in pieces of about a megabyte, at least one per processor.
    ///
    /// The file is cut only after a line feed with an even number of quotes before it, which (as every quote
    /// opens or closes a quoted field or is half of a doubled one) is where a record ends.
    public static func mapRecords<T: Sendable>(
        in bytes: [UInt8],
        from start: Int = 0,
        line: Int = 1,
        parts: Int? = nil,
        _ transform: @Sendable ([CSVRecord]) -> T
    ) throws(CSVError) -> [T] {
        let size = bytes.count - start
        let wanted = max(1, parts ?? (size >= 1 << 20 ? max(ProcessInfo.processInfo.activeProcessorCount, size >> 20) : 1))
        let cuts = bytes.withUnsafeBufferPointer { recordBoundaries($0, from: start, line: line, parts: wanted) }
        let pieces = Parallel.map(cuts.count) { k in
            bytes.withUnsafeBufferPointer { buffer in
                Result { () throws(CSVError) -> T in
                    let end = k + 1 < cuts.count ? cuts[k + 1].offset : buffer.count
                    return transform(try parse(buffer, from: cuts[k].offset, to: end, line: cuts[k].line).records)
                }
            }
        }
        return try pieces.map { piece throws(CSVError) in try piece.get() }
    }

    /// Where each piece of `b[start...]` starts (byte offset, physical line): the first at `start`, the others
    /// just after a line feed outside quotes past each `1/parts` of it. Fewer pieces when it has fewer such places.
    static func recordBoundaries(_ b: UnsafeBufferPointer<UInt8>, from start: Int, line: Int, parts: Int) -> [(
        offset: Int, line: Int
    )] {
        var cuts = [(offset: start, line: line)]
        guard parts > 1 else { return cuts }
        var quotes = 0
        var lineBreaks = line - 1
        var i = start
        for k in 1..<parts {
            let target = start + (b.count - start) / parts * k
            while i < b.count {
                let c = b[i]
                i += 1
                if c == quote {
                    quotes &+= 1
                } else if c == lf {
                    lineBreaks += 1
                    if i >= target, quotes & 1 == 0 { break }
                } else if c == cr, i == b.count || b[i] != lf {
                    lineBreaks += 1
                }
            }
            guard i < b.count else { break }
            cuts.append((offset: i, line: lineBreaks + 1))
        }
        return cuts
    }

    /// Reads up to `limit` records of `b[from..<to]`, whose first line is `line`, and says where it stopped; a byte
    /// order mark is skipped at the file's start.
    private static func parse(_ b: UnsafeBufferPointer<UInt8>, from: Int, to n: Int, line: Int, limit: Int = .max)
        throws(CSVError) -> (records: [CSVRecord], end: Int, line: Int)
    {
        var i = from
        if from == 0, n >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { i = 3 }
        var line = line
        var records: [CSVRecord] = []

        /// Steps over the line end at `i` (CR LF, LF or a lone CR).
        func skipLineEnd() {
            if b[i] == cr, i + 1 < n, b[i + 1] == lf { i += 2 } else { i += 1 }
            line += 1
        }

        while i < n, records.count < limit {
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
        return (records, i, line)
    }

    private static func string(_ bytes: some Collection<UInt8>, line: Int) throws(CSVError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CSVError(line: line, reason: "the text is not valid UTF-8; save the file as UTF-8")
        }
        // Control characters (NUL, which PostgreSQL refuses in text, and the rest of C0, DEL and C1) are never
        // data; tab and line breaks are (inside quotes). C1 characters start with the byte 0xC2 in UTF-8.
        if bytes.contains(where: { ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D) || $0 == 0x7F })
            || (bytes.contains(0xC2) && text.unicodeScalars.contains { (0x80...0x9F).contains($0.value) })
        {
            throw CSVError(line: line, reason: "the text holds a control character (such as NUL); remove it")
        }
        return text
    }
}
