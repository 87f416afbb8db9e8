import CooperageCore
import Foundation
import Testing

@Suite struct SupplierReportTests {
    static let q4 = NewSupplierReport.quarterDays(year: 2026, quarter: 4)

    @Test func quartersSpanTheirDays() {
        #expect(Self.q4.lowerBound.description == "2026-10-01")
        #expect(Self.q4.upperBound.description == "2026-12-31")
        let q1 = NewSupplierReport.quarterDays(year: 2028, quarter: 1)
        #expect(q1.upperBound.description == "2028-03-31")
    }

    @Test func readsTheCSVForm() throws {
        let text = """
            agency_name,cooperative_number,invoice_date,amount_cents,fee_cents\r
            City of Austin,C-1042,2026-11-14,125000,2500\r
            "Travis County, TX",,2026-12-01,-4000,-80\r

            """
        let lines = try SupplierReportCSV.lines(in: Array(text.utf8), quarter: Self.q4)
        #expect(lines.count == 2)
        #expect(lines[0].cooperativeNumber == "C-1042")
        #expect(lines[0].amountCents == 125_000)
        #expect(lines[1].agencyName == "Travis County, TX")
        #expect(lines[1].cooperativeNumber == nil)
        #expect(lines[1].feeCents == -80)
    }

    @Test func aHeaderAloneIsAZeroSalesReport() throws {
        let lines = try SupplierReportCSV.lines(in: Array("agency_name,invoice_date,amount_cents\n".utf8), quarter: Self.q4)
        #expect(lines.isEmpty)
    }

    @Test func badRowsAreNamedByLineAndColumn() {
        let text = """
            agency_name,invoice_date,amount_cents
            Austin,2026-11-14,100
            Austin,2027-01-02,100
            Austin,2026-11-14,12.50
            Austin,2026-11-14

            """
        #expect {
            _ = try SupplierReportCSV.lines(in: Array(text.utf8), quarter: Self.q4)
        } throws: { error in
            let issues = (error as? SupplierReportCSV.Failure)?.issues ?? []
            return issues.map(\.pointer) == ["/lines/3/invoice_date", "/lines/4/amount_cents", "/lines/5"]
                && issues[0].detail.contains("line 3") && issues[0].detail.contains("outside the reported quarter")
        }
    }

    @Test func unknownAndMissingColumnsAreRefused() {
        #expect {
            _ = try SupplierReportCSV.lines(in: Array("agency_name,invoice_day,amount_cents\n".utf8), quarter: Self.q4)
        } throws: { error in
            let pointers = (error as? SupplierReportCSV.Failure)?.issues.map(\.pointer) ?? []
            return pointers == ["/lines/1/invoice_day", "/lines/1/invoice_date"]
        }
    }

    @Test func jsonIssuesNameTheLine() throws {
        let report = NewSupplierReport(
            agreementId: UUID(),
            year: 2026,
            quarter: 4,
            lines: [
                NewSupplierReportLine(agencyName: "Austin", invoiceDate: LocalDate(iso8601: "2026-10-01")!, amountCents: 100),
                NewSupplierReportLine(agencyName: " ", invoiceDate: LocalDate(iso8601: "2026-09-30")!, amountCents: 100),
            ]
        )
        #expect(report.issues.map(\.pointer) == ["/lines/1/agencyName", "/lines/1/invoiceDate"])
        let bad = NewSupplierReport(agreementId: UUID(), year: 1999, quarter: 5, lines: [])
        #expect(bad.issues.map(\.pointer) == ["/year", "/quarter"])
        let decoded = try JSONDecoder().decode(
            NewSupplierReportLine.self,
            from: Data(#"{"agencyName":"A","invoiceDate":"2026-11-01","amountCents":5}"#.utf8)
        )
        #expect(decoded.feeCents == 0)
    }
}
