import Foundation

/// Writes RFC 4180 CSV: fields separated by commas, records ended by CRLF, a field quoted when it holds
/// a comma, a double quote, CR or LF (or leading/trailing spaces), and quotes inside doubled.
///
/// Numbers are written as plain integers (no grouping, no currency sign) so spreadsheets read them as numbers.
///
/// Finance teams open these files in spreadsheets, which run a cell starting with `=`, `+`, `-` or `@` (or a tab
/// or carriage return before one) as a formula: a supplier named `=HYPERLINK(...)` would become a link, or worse.
/// So every **text** cell starting with one of those characters is written with an apostrophe in front
/// (`'=HYPERLINK(...)`), which spreadsheets show as text. **Number** cells are the integers the program wrote
/// (cents, counts), never text people typed: `-1500` stays `-1500`, so refunds and reversals stay numbers. A
/// number cell that is not a plain integer is treated as text, so a mistake in declaring a column cannot let a
/// formula through. Headers, ids, dates and the reports' own words never start with those characters.
/// ```swift
/// CSVWriter.document(header: ["name", "amount_cents"], rows: [["Acme, Inc.", "1250"]])
/// // "name,amount_cents\r\n\"Acme, Inc.\",1250\r\n"
/// CSVWriter.field("=1+2")                // "'=1+2"
/// CSVWriter.field("-1500", kind: .number) // "-1500"
/// ```
public enum CSVWriter {
    /// How a cell is written: text people may have typed (neutralized), or an integer the program wrote.
    public enum CellKind: Hashable, Sendable {
        case text
        case number
    }

    /// The characters that make a spreadsheet read a cell as a formula (OWASP's list for CSV injection).
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// One field, neutralized when it is text that a spreadsheet would run, then quoted when needed.
    public static func field(_ value: String, kind: CellKind = .text) -> String {
        let value = kind == .number && isInteger(value) ? value : neutralized(value)
        let needsQuotes =
            value.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
            || value.first == " " || value.last == " "
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `value` with an apostrophe in front when a spreadsheet would read it as a formula.
    public static func neutralized(_ value: String) -> String {
        // Unicode scalars, not characters: "\r\n" is one Character, and a cell starting with it starts with CR.
        guard let first = value.unicodeScalars.first, formulaStarts.contains(Character(first)) else { return value }
        return "'" + value
    }

    /// An optional minus and digits only (or nothing): what a number cell may hold to be written as it is.
    static func isInteger(_ value: String) -> Bool {
        let digits = value.hasPrefix("-") ? value.utf8.dropFirst() : value.utf8[...]
        return value.isEmpty || (!digits.isEmpty && digits.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
    }

    /// One record, ended by CRLF; `kinds` gives each field's kind by position (text where it says nothing).
    public static func record(_ fields: [String], kinds: [CellKind] = []) -> String {
        fields.enumerated().map { index, value in field(value, kind: index < kinds.count ? kinds[index] : .text) }
            .joined(separator: ",") + "\r\n"
    }

    /// A header record followed by the rows; `kinds` gives each column's kind (text where it says nothing).
    public static func document(header: [String], rows: [[String]], kinds: [CellKind] = []) -> String {
        var text = record(header)
        for row in rows { text += record(row, kinds: kinds) }
        return text
    }
}

/// A table ready for CSV: the header names and one array of fields per row, each as long as the header.
///
/// Columns are text unless named in `numberColumns` (integers the program wrote, such as `total_cents`), so a
/// new column is neutralized against spreadsheet formulas until it is declared a number (see ``CSVWriter``).
public struct CSVTable: Hashable, Sendable {
    public var header: [String]
    public var rows: [[String]]
    /// The columns (by header name) whose cells are integers the program wrote, written as they are.
    public var numberColumns: Set<String>

    public init(header: [String], rows: [[String]], numberColumns: Set<String> = []) {
        self.header = header
        self.rows = rows
        self.numberColumns = numberColumns
    }

    /// Each column's kind, in the order of the header.
    public var kinds: [CSVWriter.CellKind] { header.map { numberColumns.contains($0) ? .number : .text } }

    /// The RFC 4180 text (CRLF line ends, header first), text cells neutralized against spreadsheet formulas.
    public var text: String { CSVWriter.document(header: header, rows: rows, kinds: kinds) }
}
