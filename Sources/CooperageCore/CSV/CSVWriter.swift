import Foundation

/// Writes RFC 4180 CSV: fields separated by commas, records ended by CRLF, a field quoted when it holds
/// a comma, a double quote, CR or LF (or leading/trailing spaces), and quotes inside doubled.
///
/// Numbers are written as plain integers (no grouping, no currency sign) so spreadsheets read them as numbers.
/// ```swift
/// CSVWriter.document(header: ["name", "amount_cents"], rows: [["Acme, Inc.", "1250"]])
/// // "name,amount_cents\r\n\"Acme, Inc.\",1250\r\n"
/// ```
public enum CSVWriter {
    /// One field, quoted when needed.
    public static func field(_ value: String) -> String {
        let needsQuotes =
            value.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
            || value.first == " " || value.last == " "
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record, ended by CRLF.
    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    /// A header record followed by the rows.
    public static func document(header: [String], rows: [[String]]) -> String {
        var text = record(header)
        for row in rows { text += record(row) }
        return text
    }
}

/// A table ready for CSV: the header names and one array of fields per row, each as long as the header.
public struct CSVTable: Hashable, Sendable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    /// The RFC 4180 text (CRLF line ends, header first).
    public var text: String { CSVWriter.document(header: header, rows: rows) }
}
