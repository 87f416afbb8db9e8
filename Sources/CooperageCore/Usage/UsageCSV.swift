import Foundation

/// The bulk usage file (`POST /v1/usage/imports`, `cooperage import usage`): CSV with a header row and
/// one row per order line. Rows sharing a `po_number` form one order; they must agree on
/// `authorization_id` and `order_date`, and the order's amount is the sum of its lines.
///
/// ```text
/// po_number,authorization_id,order_date,description,unspsc,quantity,unit_price_cents,list_price_cents
/// PO-1001,8f6c2a5e-1d0b-4c55-9a57-0e5f3d7c9b21,2026-12-03,Laptop 14in,43211503,10,89900,129900
/// PO-1001,8f6c2a5e-1d0b-4c55-9a57-0e5f3d7c9b21,2026-12-03,Docking station,43211507,10,15000,
/// ```
public enum UsageCSV {
    /// The columns every file must have, in any order.
    public static let requiredColumns = [
        "authorization_id", "po_number", "order_date", "description", "unspsc", "quantity", "unit_price_cents",
    ]
    /// Columns a file may have; an empty cell means "not known".
    public static let optionalColumns = ["list_price_cents"]

    /// A line's paid or list total above this (ten billion dollars) is refused, which keeps every sum of a
    /// file within 64-bit cents.
    public static let maximumLineCents = 1_000_000_000_000

    /// One thing wrong with the file, located by its physical CSV line and, when it concerns one, its column.
    public struct Issue: Hashable, Sendable, CustomStringConvertible {
        public var line: Int
        public var column: String?
        public var reason: String

        public init(line: Int, column: String?, reason: String) {
            self.line = line
            self.column = column
            self.reason = reason
        }

        /// `/lines/<line>/<column>` (or `/lines/<line>` for the whole row).
        public var pointer: String {
            "/lines/\(line)"
                + (column.map { "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }
                    ?? "")
        }

        /// `line <n>: <column>: <reason>`.
        public var detail: String { "line \(line): " + (column.map { "\($0): " } ?? "") + reason }
        public var description: String { detail }
        public var fieldIssue: FieldIssue { FieldIssue(pointer: pointer, detail: detail) }
    }

    /// Every issue of a file that cannot be imported, in line order.
    public struct Failure: Error, Hashable, Sendable {
        public var issues: [Issue]

        /// A file that cannot be read as CSV: one issue, on its line.
        init(_ error: CSVError) {
            self.init(issues: [Issue(line: error.line, column: nil, reason: error.reason)])
        }

        public init(issues: [Issue]) {
            self.issues = issues.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(
                \.element
            )
        }
    }

    /// A file read into orders.
    public struct Parsed: Hashable, Sendable {
        public var orders: [NewUsage]
        /// For each order, the CSV lines of its rows, in the order of its `lines`.
        public var lineNumbers: [[Int]]

        /// The number of order lines (data rows) in the file.
        public var lineCount: Int { lineNumbers.reduce(0) { $0 + $1.count } }

        public init(orders: [NewUsage], lineNumbers: [[Int]]) {
            self.orders = orders
            self.lineNumbers = lineNumbers
        }

        /// An issue about order `index` (for example one the database refused), located in the CSV: a
        /// pointer into the order (`/amountCents`, `/lines/2/unspsc`) becomes the row and column it came from;
        /// anything about the order as a whole is placed on the order's first row.
        public func issue(order index: Int, pointer: String, detail: String) -> Issue {
            guard lineNumbers.indices.contains(index), let first = lineNumbers[index].first else {
                return Issue(line: 1, column: nil, reason: detail)
            }
            let (line, column) = UsageCSV.locate(pointer, lines: lineNumbers[index])
            if column == nil {
                return Issue(line: line ?? first, column: nil, reason: "purchase order \(orders[index].poNumber): \(detail)")
            }
            return Issue(line: line ?? first, column: column, reason: detail)
        }
    }

    /// Reads a file (UTF-8 bytes) into orders, or fails listing every bad row. A large file is read in pieces
    /// at once (see ``CSVReader/mapRecords(in:from:line:parts:_:)``), each piece's records made into rows as
    /// soon as they are read, with the same result as reading it in one piece.
    public static func parse(_ bytes: [UInt8], parts: Int? = nil) throws(Failure) -> Parsed {
        let first: (record: CSVRecord, rest: Int, line: Int)?
        do { first = try CSVReader.firstRecord(in: bytes) } catch { throw Failure(error) }
        guard let (header, rest, line) = first else {
            throw Failure(issues: [
                Issue(
                    line: 1,
                    column: nil,
                    reason:
                        "the file is empty; it needs a header row naming the columns \((requiredColumns + optionalColumns).joined(separator: ", "))"
                )
            ])
        }
        let columns = Self.columns(of: header)
        let read: [RowsRead]
        do {
            read = try CSVReader.mapRecords(in: bytes, from: rest, line: line, parts: parts) { records in
                (try? columns.get()).map { rows(of: records, columns: $0) } ?? RowsRead(records: records.count)
            }
        } catch {
            throw Failure(error)
        }
        // A file that cannot be read as CSV is reported as such, before what its header lacks.
        _ = try columns.get()
        return try orders(of: read, header: header)
    }

    public static func parse(_ text: String, parts: Int? = nil) throws(Failure) -> Parsed {
        try parse(Array(text.utf8), parts: parts)
    }

    /// Each column's position, looked up once rather than on every row.
    struct Column {
        var name: String
        var index: Int?
    }

    struct Columns {
        var count: Int
        var po, authorization, date, quantity, unitPrice, listPrice, description, unspsc: Column
    }

    /// One data row, read on its own (``RowReader``) before rows are grouped by purchase order.
    struct Row {
        var line: Int
        var authorizationID: UUID?
        var poNumber: String
        var orderDate: LocalDate?
        /// Nil when a value of the line itself is bad.
        var orderLine: UsageLine?
    }

    /// Where a row is among the pieces' rows.
    private struct RowReference {
        var piece: Int32
        var index: Int32

        func row(in read: [RowsRead]) -> Row { read[Int(piece)].rows[Int(index)] }
    }

    /// The rows of one piece of the file and the issues of their values.
    private struct RowsRead {
        var rows: [Row] = []
        var issues: [Issue] = []
        /// How many records the piece has, rows or not.
        var records: Int
    }

    /// The columns the header row names, or what is wrong with it: every required column once, known columns only.
    private static func columns(of header: CSVRecord) -> Result<Columns, Failure> {
        var issues: [Issue] = []
        var position: [String: Int] = [:]
        for (index, raw) in header.fields.enumerated() {
            let name = raw.trimmingSpaces.lowercased()
            if name.isEmpty {
                issues.append(Issue(line: header.line, column: nil, reason: "column \(index + 1) of the header row has no name"))
            } else if !(requiredColumns + optionalColumns).contains(name) {
                issues.append(
                    Issue(
                        line: header.line,
                        column: name,
                        reason:
                            "is not a known column; the columns are \((requiredColumns + optionalColumns).joined(separator: ", "))"
                    )
                )
            } else if position[name] != nil {
                issues.append(Issue(line: header.line, column: name, reason: "appears twice in the header row"))
            } else {
                position[name] = index
            }
        }
        for name in requiredColumns where position[name] == nil {
            issues.append(
                Issue(line: header.line, column: name, reason: "is a required column and is missing from the header row")
            )
        }
        guard issues.isEmpty else { return .failure(Failure(issues: issues)) }
        func column(_ name: String) -> Column { Column(name: name, index: position[name]) }
        return .success(
            Columns(
                count: header.fields.count,
                po: column("po_number"),
                authorization: column("authorization_id"),
                date: column("order_date"),
                quantity: column("quantity"),
                unitPrice: column("unit_price_cents"),
                listPrice: column("list_price_cents"),
                description: column("description"),
                unspsc: column("unspsc")
            )
        )
    }

    /// The orders of the file's rows, read a piece at a time, in file order: rows grouped by purchase order,
    /// then each order checked as the API checks a single registration, a piece of them at a time.
    private static func orders(of read: consuming [RowsRead], header: CSVRecord) throws(Failure) -> Parsed {
        guard read.contains(where: { $0.records > 0 }) else {
            throw Failure(issues: [Issue(line: header.line, column: nil, reason: "the file has a header row but no order lines")])
        }
        // A row's issues keep their place among the others, as issues are sorted by line and, within a line,
        // kept in the order found.
        var issues = read.flatMap(\.issues)

        // Grouped by purchase order, by reference (a large file's rows are not copied): later rows of an order
        // must agree with its first row.
        var orders: [String: Int] = [:]
        var grouped: [[RowReference]] = []
        for (piece, part) in read.enumerated() {
            for (index, row) in part.rows.enumerated() {
                let reference = RowReference(piece: Int32(piece), index: Int32(index))
                guard let order = orders[row.poNumber] else {
                    orders[row.poNumber] = grouped.count
                    grouped.append([reference])
                    continue
                }
                func bad(_ column: String, _ reason: String) {
                    issues.append(Issue(line: row.line, column: column, reason: reason))
                }
                let first = grouped[order][0].row(in: read)
                if let firstID = first.authorizationID, let id = row.authorizationID, id != firstID {
                    bad(
                        "authorization_id",
                        "purchase order \(row.poNumber) has authorization \(firstID.uuidString.lowercased()) on line \(first.line); all its rows must name the same authorization"
                    )
                }
                if let firstDate = first.orderDate, let date = row.orderDate, date != firstDate {
                    bad(
                        "order_date",
                        "purchase order \(row.poNumber) is dated \(firstDate) on line \(first.line); all its rows must have the same order date"
                    )
                }
                grouped[order].append(reference)
            }
        }

        // The orders, checked as the API checks a single registration, a piece of them at a time.
        let slices = read.count
        let groups = consume grouped
        let rows = consume read
        let built = Parallel.map(slices) { k in
            self.orders(of: groups[groups.count * k / slices..<groups.count * (k + 1) / slices], rows: rows)
        }
        var parsed = Parsed(orders: [], lineNumbers: [])
        parsed.orders.reserveCapacity(groups.count)
        parsed.lineNumbers.reserveCapacity(groups.count)
        for piece in built {
            parsed.orders += piece.parsed.orders
            parsed.lineNumbers += piece.parsed.lineNumbers
            issues += piece.issues
        }
        guard issues.isEmpty else { throw Failure(issues: issues) }
        return parsed
    }

    /// The data rows of `records` and the issues of their values; a row with no purchase-order number or
    /// the wrong number of fields is reported and left out.
    private static func rows(of records: [CSVRecord], columns: Columns) -> RowsRead {
        var reader = RowReader(columns: columns)
        var rows: [Row] = []
        rows.reserveCapacity(records.count)
        for record in records {
            if let row = reader.row(of: record) { rows.append(row) }
        }
        return RowsRead(rows: rows, issues: reader.issues, records: records.count)
    }

    /// The orders of grouped rows, and what makes any of them unacceptable as a registration.
    private static func orders(of grouped: ArraySlice<[RowReference]>, rows read: [RowsRead]) -> (
        parsed: Parsed, issues: [Issue]
    ) {
        var parsed = Parsed(orders: [], lineNumbers: [])
        parsed.orders.reserveCapacity(grouped.count)
        parsed.lineNumbers.reserveCapacity(grouped.count)
        var issues: [Issue] = []
        for references in grouped {
            let rows = references.map { $0.row(in: read) }
            let first = rows[0]
            let complete = rows.allSatisfy { $0.orderLine != nil }
            let valid = rows.filter { $0.orderLine != nil }
            let lines = valid.compactMap(\.orderLine)
            let total = Money.sum(lines.compactMap(\.totalCents))
            let order = NewUsage(
                authorizationId: first.authorizationID ?? UUID(),
                poNumber: first.poNumber,
                orderDate: first.orderDate ?? LocalDate(daysSinceEpoch: 0),
                // An order whose lines pass the maximum is refused by its issues; zero only stands in for its sum.
                amountCents: total ?? 0,
                lines: lines
            )
            let located = Parsed(orders: [order], lineNumbers: [valid.isEmpty ? [first.line] : valid.map(\.line)])
            for issue in order.issues {
                // A total is only meaningful once every line of the order could be read.
                if issue.pointer == "/amountCents" {
                    if complete {
                        issues.append(
                            Issue(
                                line: first.line,
                                column: nil,
                                reason: total == nil
                                    ? "purchase order \(first.poNumber) adds up to more than \(Money.maximumText)"
                                    : "purchase order \(first.poNumber) adds up to \(MoneyFormatter.dollars(cents: order.amountCents)); an order must have a positive amount"
                            )
                        )
                    }
                    continue
                }
                // An order none of whose rows could be read: those rows are reported already.
                if issue.pointer == "/lines" && lines.isEmpty { continue }
                issues.append(located.issue(order: 0, pointer: issue.pointer, detail: issue.detail))
            }
            parsed.orders.append(order)
            parsed.lineNumbers.append(rows.map(\.line))
        }
        return (parsed, issues)
    }

    /// The CSV column a pointer into a ``NewUsage`` comes from, and the line for pointers into one of its lines.
    static func locate(_ pointer: String, lines: [Int]) -> (line: Int?, column: String?) {
        let parts = pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        guard let head = parts.first else { return (nil, nil) }
        switch head {
        case "authorizationId": return (nil, "authorization_id")
        case "poNumber": return (nil, "po_number")
        case "orderDate": return (nil, "order_date")
        case "lines":
            guard parts.count >= 2, let index = Int(parts[1]), lines.indices.contains(index) else { return (nil, nil) }
            let columns = [
                "description": "description", "unspsc": "unspsc", "quantity": "quantity", "unitPriceCents": "unit_price_cents",
                "listPriceCents": "list_price_cents",
            ]
            return (lines[index], parts.count >= 3 ? columns[parts[2]] : nil)
        default:
            return (nil, nil)
        }
    }

    static func quoted(_ text: String) -> String {
        text.isEmpty ? "an empty value" : "\"\(text.count > 60 ? String(text.prefix(60)) + "..." : text)\""
    }
}
