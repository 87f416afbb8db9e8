import Foundation

extension UsageCSV {
    /// Reads the data rows of a piece of the file one record at a time: each value checked in column order, every
    /// bad one reported. An import reads 100,000 rows through here, so a record is read in place, with no closure
    /// or array made for it.
    struct RowReader {
        let columns: Columns
        /// The issues of the rows read so far: by row, and within a row in the order its values are checked.
        private(set) var issues: [Issue] = []
        // A file repeats a few authorizations and dates on thousands of rows: each text is parsed once.
        private var authorizationIDs: [String: UUID?] = [:]
        private var dates: [String: LocalDate?] = [:]

        init(columns: Columns) {
            self.columns = columns
        }

        /// The row of `record`; nil when it has the wrong number of fields or no purchase-order number, which
        /// leaves it out. A row with a bad quantity or price has no ``Row/orderLine``.
        mutating func row(of record: CSVRecord) -> Row? {
            guard record.fields.count == columns.count else {
                issues.append(
                    Issue(
                        line: record.line,
                        column: nil,
                        reason:
                            "has \(record.fields.count) field\(record.fields.count == 1 ? "" : "s"), the header row has \(columns.count)"
                    )
                )
                return nil
            }
            let poNumber = value(columns.po, of: record)
            if poNumber.isEmpty {
                bad(record.line, "po_number", "is required")
                return nil
            }
            var row = Row(line: record.line, poNumber: poNumber)
            row.authorizationID = authorizationID(of: record)
            row.orderDate = orderDate(of: record)
            row.orderLine = orderLine(of: record)
            return row
        }

        // MARK: The order's columns

        private mutating func authorizationID(of record: CSVRecord) -> UUID? {
            let text = value(columns.authorization, of: record)
            let id: UUID?
            if let known = authorizationIDs[text] {
                id = known
            } else {
                id = UUID(uuidString: text)
                authorizationIDs[text] = id
            }
            if id == nil {
                bad(record.line, "authorization_id", "must be an authorization id (a UUID), not \(UsageCSV.quoted(text))")
            }
            return id
        }

        private mutating func orderDate(of record: CSVRecord) -> LocalDate? {
            let text = value(columns.date, of: record)
            let date: LocalDate?
            if let known = dates[text] {
                date = known
            } else {
                date = LocalDate(iso8601: text)
                dates[text] = date
            }
            if date == nil { bad(record.line, "order_date", "must be a date written yyyy-MM-dd, not \(UsageCSV.quoted(text))") }
            return date
        }

        // MARK: The line's columns

        /// The order line of `record`, or nil when its quantity or a price is bad or too large. Such a line never
        /// reaches its order, whose checks would have found a bad description or code: they are checked here.
        private mutating func orderLine(of record: CSVRecord) -> UsageLine? {
            var isValid = true
            let quantity = self.quantity(of: record, isValid: &isValid)
            let unitPrice = self.unitPrice(of: record, isValid: &isValid)
            let listPrice = self.listPrice(of: record, isValid: &isValid)
            let description = value(columns.description, of: record)
            let unspsc = value(columns.unspsc, of: record)
            if isValid, let quantity, let unitPrice,
                totalsAreWithinMaximum(quantity: quantity, unitPrice: unitPrice, listPrice: listPrice, line: record.line)
            {
                return UsageLine(
                    description: description,
                    unspsc: unspsc,
                    quantity: quantity,
                    unitPriceCents: unitPrice,
                    listPriceCents: listPrice
                )
            }
            checkText(description: description, unspsc: unspsc, line: record.line)
            return nil
        }

        private mutating func quantity(of record: CSVRecord, isValid: inout Bool) -> Quantity? {
            let text = value(columns.quantity, of: record)
            let quantity = Quantity(text)
            if quantity == nil || quantity?.tenThousandths == 0 {
                bad(
                    record.line,
                    "quantity",
                    "must be a positive decimal number with at most 4 decimals (such as 3 or 2.5), at most 1000000000, not \(UsageCSV.quoted(text))"
                )
                isValid = false
            }
            return quantity
        }

        /// The unit price: required, where an empty list price means "not known".
        private mutating func unitPrice(of record: CSVRecord, isValid: inout Bool) -> Int? {
            let text = value(columns.unitPrice, of: record)
            guard !text.isEmpty else {
                bad(record.line, "unit_price_cents", "is required")
                isValid = false
                return nil
            }
            return cents(text, in: columns.unitPrice, line: record.line, isValid: &isValid)
        }

        /// The list price, when known (an empty cell).
        private mutating func listPrice(of record: CSVRecord, isValid: inout Bool) -> Int? {
            cents(value(columns.listPrice, of: record), in: columns.listPrice, line: record.line, isValid: &isValid)
        }

        /// A whole, non-negative number of cents; nil when `text` is empty or bad (reported, and the line invalid).
        private mutating func cents(_ text: String, in column: Column, line: Int, isValid: inout Bool) -> Int? {
            guard !text.isEmpty else { return nil }
            guard let number = Int(text), number >= 0 else {
                bad(
                    line,
                    column.name,
                    "must be a whole, non-negative number of cents (such as 12999 for $129.99), not \(UsageCSV.quoted(text))"
                )
                isValid = false
                return nil
            }
            return number
        }

        /// Whether the line's paid and list totals stay within ``UsageCSV/maximumLineCents``; each that does not
        /// is reported.
        private mutating func totalsAreWithinMaximum(quantity: Quantity, unitPrice: Int, listPrice: Int?, line: Int) -> Bool {
            var isWithin = true
            if (quantity.total(ofCents: unitPrice) ?? .max) > UsageCSV.maximumLineCents {
                bad(
                    line,
                    "unit_price_cents",
                    "quantity x unit price exceeds \(MoneyFormatter.dollars(cents: UsageCSV.maximumLineCents)) for one line"
                )
                isWithin = false
            }
            if let listPrice, (quantity.total(ofCents: listPrice) ?? .max) > UsageCSV.maximumLineCents {
                bad(
                    line,
                    "list_price_cents",
                    "quantity x list price exceeds \(MoneyFormatter.dollars(cents: UsageCSV.maximumLineCents)) for one line"
                )
                isWithin = false
            }
            return isWithin
        }

        /// The description and code of a line that cannot be made, checked as its order checks its lines.
        private mutating func checkText(description: String, unspsc: String, line: Int) {
            let text = UsageLine(description: description, unspsc: unspsc, quantity: Quantity(1), unitPriceCents: 0)
            for issue in text.issues(at: "") {
                bad(line, issue.pointer == "/unspsc" ? "unspsc" : "description", issue.detail)
            }
        }

        // MARK: Cells

        /// The cell of `column`, without surrounding spaces; empty when the file has no such column.
        private func value(_ column: Column, of record: CSVRecord) -> String {
            guard let index = column.index else { return "" }
            return record.fields[index].trimmingSpaces
        }

        private mutating func bad(_ line: Int, _ column: String, _ reason: String) {
            issues.append(Issue(line: line, column: column, reason: reason))
        }
    }
}
