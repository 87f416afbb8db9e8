import CooperageCore

/// A report's CSV table shown as HTML: the same rows and figures as the download, with amounts in dollars and
/// numbers right-aligned. Id columns are left out (they are for programs); the first column heads its row.
struct ReportTable {
    let table: CSVTable
    let caption: String
    /// The column whose value marks a row as a mismatch when it is not `match` (reconciliation's `status`).
    var mismatchColumn: String? = nil

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
        let rows = table.rows.map { row -> [String: any Sendable] in
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
        return ["caption": caption, "columns": columns, "rows": rows, "empty": rows.isEmpty]
    }
}
