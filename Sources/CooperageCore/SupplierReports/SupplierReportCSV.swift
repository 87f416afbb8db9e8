import Foundation

/// The CSV form of a supplier sales report's lines (`POST /v1/supplier-reports` with `text/csv`):
/// a header row, then one row per line.
///
/// ```text
/// agency_name,cooperative_number,invoice_date,amount_cents,fee_cents
/// City of Austin,C-1042,2026-11-14,125000,2500
/// "Travis County, TX",,2026-12-01,40000,800
/// ```
/// Issues name the physical CSV line and the column: pointer `/lines/<line>/<column>`, detail
/// `line <line>: <column>: <reason>`.
public enum SupplierReportCSV {
    public static let requiredColumns = ["agency_name", "invoice_date", "amount_cents"]
    public static let optionalColumns = ["cooperative_number", "fee_cents"]

    /// Every problem of a file that cannot be recorded, in line order.
    public struct Failure: Error, Hashable, Sendable {
        public var issues: [FieldIssue]
    }

    /// Reads the lines of a report for `quarter` (the reported days; nil skips the date check).
    public static func lines(in bytes: [UInt8], quarter: ClosedRange<LocalDate>?) throws(Failure) -> [NewSupplierReportLine] {
        let records: [CSVRecord]
        do {
            records = try CSVReader.records(in: bytes)
        } catch {
            throw Failure(issues: [issue(line: error.line, column: nil, error.reason)])
        }
        guard let header = records.first else {
            throw Failure(issues: [
                issue(
                    line: 1,
                    column: nil,
                    "the file is empty; it needs a header row naming the columns \((requiredColumns + optionalColumns).joined(separator: ", "))"
                )
            ])
        }
        var issues: [FieldIssue] = []
        var position: [String: Int] = [:]
        for (index, raw) in header.fields.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if name.isEmpty {
                issues.append(issue(line: header.line, column: nil, "column \(index + 1) of the header row has no name"))
            } else if !(requiredColumns + optionalColumns).contains(name) {
                issues.append(
                    issue(
                        line: header.line,
                        column: name,
                        "is not a known column; the columns are \((requiredColumns + optionalColumns).joined(separator: ", "))"
                    )
                )
            } else if position[name] != nil {
                issues.append(issue(line: header.line, column: name, "appears twice in the header row"))
            } else {
                position[name] = index
            }
        }
        for name in requiredColumns where position[name] == nil {
            issues.append(issue(line: header.line, column: name, "is a required column and is missing from the header row"))
        }
        guard issues.isEmpty else { throw Failure(issues: issues) }

        var lines: [NewSupplierReportLine] = []
        for record in records.dropFirst() {
            guard record.fields.count == header.fields.count else {
                issues.append(
                    issue(
                        line: record.line,
                        column: nil,
                        "has \(record.fields.count) field\(record.fields.count == 1 ? "" : "s"), the header row has \(header.fields.count)"
                    )
                )
                continue
            }
            func value(_ column: String) -> String? {
                position[column].map { record.fields[$0].trimmingCharacters(in: .whitespaces) }
            }
            var valid = true
            func bad(_ column: String, _ reason: String) {
                issues.append(issue(line: record.line, column: column, reason))
                valid = false
            }
            let name = value("agency_name") ?? ""
            let dateText = value("invoice_date") ?? ""
            let date = LocalDate(iso8601: dateText)
            if date == nil {
                bad("invoice_date", "must be a date written yyyy-MM-dd between 1900 and 2999, not \"\(dateText.prefix(40))\"")
            }
            func cents(_ column: String, required: Bool) -> Int? {
                guard let text = value(column), !text.isEmpty else {
                    if required { bad(column, "is required") }
                    return nil
                }
                guard let number = Int(text) else {
                    bad(
                        column,
                        "must be a whole number of cents (such as 12999 for $129.99; negative for credits), not \"\(text)\""
                    )
                    return nil
                }
                return number
            }
            let amount = cents("amount_cents", required: true)
            let fee = cents("fee_cents", required: false) ?? 0
            let number = value("cooperative_number").flatMap { $0.isEmpty ? nil : $0 }
            guard valid, let date, let amount else { continue }
            let line = NewSupplierReportLine(
                agencyName: name,
                cooperativeNumber: number,
                invoiceDate: date,
                amountCents: amount,
                feeCents: fee
            )
            for found in line.issues(quarter: quarter) {
                issues.append(issue(line: record.line, column: column(for: found.pointer), found.detail))
            }
            lines.append(line)
        }
        guard issues.isEmpty else { throw Failure(issues: issues) }
        return lines
    }

    static func column(for pointer: String) -> String? {
        switch pointer {
        case "/agencyName": "agency_name"
        case "/cooperativeNumber": "cooperative_number"
        case "/invoiceDate": "invoice_date"
        case "/amountCents": "amount_cents"
        case "/feeCents": "fee_cents"
        default: nil
        }
    }

    static func issue(line: Int, column: String?, _ reason: String) -> FieldIssue {
        FieldIssue(
            pointer: "/lines/\(line)" + (column.map { "/\($0)" } ?? ""),
            detail: "line \(line): " + (column.map { "\($0): " } ?? "") + reason
        )
    }
}
