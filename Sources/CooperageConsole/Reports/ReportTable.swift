import CooperageCore

/// A report's CSV table shown as HTML: the same rows and figures as the download, with amounts in dollars and
/// numbers right-aligned. Id columns are left out (they are for programs); the first column heads its row.
struct ReportTable {
    let table: CSVTable
    let caption: String
    /// The column whose value marks a row as a mismatch when it is not `match` (reconciliation's `status`).
    var mismatchColumn: String? = nil
    /// The page's rows: `rowsPerPage` from `firstRow`; the download has them all. A page of thousands of rows is
    /// neither readable nor quick to render.
    var firstRow = 0
    /// The page's address without `rowsFrom`, for the links to the next and previous rows.
    var pageHref = ""

    static let rowsPerPage = 200

    private var shown: [Int] {
        table.header.indices.filter { !table.header[$0].hasSuffix("_id") }
    }

    /// `total_cents` -> `Total`, `order_count` -> `Order count`.
    static func label(_ column: String) -> String {
        var words = column.split(separator: "_").map(String.init)
        if words.count > 1, words.last == "cents" { words.removeLast() }
        let text = words.joined(separator: " ")
        return text.prefix(1).uppercased() + text.dropFirst()
    }

    /// The template's view: `caption`, `columns` (label, number) and `rows` (mismatch, cells of text, header, number).
    var templateValue: [String: any Sendable] {
        let kinds = table.kinds
        let marker = mismatchColumn.flatMap { table.header.firstIndex(of: $0) }
        var columns: [[String: any Sendable]] = []
        if marker != nil { columns.append(["label": "Result", "number": false]) }
        columns += shown.map { ["label": Self.label(table.header[$0]), "number": kinds[$0] == .number] }
        let first = min(firstRow, max(0, table.rows.count - 1))
        let last = min(table.rows.count, first + Self.rowsPerPage)
        let rows = table.rows[first..<last].map { row -> [String: any Sendable] in
            var cells: [[String: any Sendable]] = []
            var mismatch = false
            if let marker {
                mismatch = row[marker] != "match"
                // A visible word, so the difference never rests on colour alone.
                cells.append(["text": mismatch ? "mismatch" : "match", "header": false, "number": false])
            }
            for index in shown {
                let number = kinds[index] == .number
                var text = row[index]
                if number, table.header[index].hasSuffix("_cents"), let cents = Int(text) {
                    text = MoneyFormatter.dollars(cents: cents)
                }
                cells.append(["text": text, "header": cells.isEmpty, "number": number])
            }
            return ["cells": cells, "mismatch": mismatch]
        }
        var value: [String: any Sendable] = ["caption": caption, "columns": columns, "rows": rows, "empty": rows.isEmpty]
        if table.rows.count > Self.rowsPerPage {
            let separator = pageHref.contains("?") ? "&" : "?"
            value["range"] = "Rows \(first + 1) to \(last) of \(table.rows.count); the CSV has them all."
            if last < table.rows.count { value["nextRows"] = "\(pageHref)\(separator)rowsFrom=\(last)" }
            if first > 0 { value["previousRows"] = "\(pageHref)\(separator)rowsFrom=\(max(0, first - Self.rowsPerPage))" }
        }
        return value
    }
}
