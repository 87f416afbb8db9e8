import CooperageCore
import Testing

@testable import CooperageConsole

/// A report page shows its rows a page at a time (the CSV has them all), with links to the rest.
@Suite struct ConsoleReportTableTests {
    func table(rows count: Int, from first: Int) -> [String: any Sendable] {
        let rows = (0..<count).map { ["MA-\($0)", String($0 * 100)] }
        var table = ReportTable(
            table: CSVTable(header: ["agreement_number", "total_cents"], rows: rows, numberColumns: ["total_cents"]),
            caption: "Spend"
        )
        table.firstRow = first
        table.pageHref = "/console/reports/buying-power?groupBy=agreement"
        return table.templateValue
    }

    @Test func aLongReportIsShownAPageAtATime() {
        let first = table(rows: 450, from: 0)
        #expect((first["rows"] as? [Any])?.count == ReportTable.rowsPerPage)
        #expect(first["range"] as? String == "Rows 1 to 200 of 450; the CSV has them all.")
        #expect(first["nextRows"] as? String == "/console/reports/buying-power?groupBy=agreement&rowsFrom=200")
        #expect(first["previousRows"] == nil)
        let last = table(rows: 450, from: 400)
        #expect((last["rows"] as? [Any])?.count == 50)
        #expect(last["nextRows"] == nil)
        #expect(last["previousRows"] as? String == "/console/reports/buying-power?groupBy=agreement&rowsFrom=200")
        // Past the end (a hand-typed address) shows the last row rather than trapping.
        #expect((table(rows: 450, from: 10_000)["rows"] as? [Any])?.count == 1)
        #expect((table(rows: 0, from: 5)["rows"] as? [Any])?.isEmpty == true)
        #expect(table(rows: 20, from: 0)["range"] == nil)
    }
}
