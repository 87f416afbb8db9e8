import CooperageCore
import Foundation
import Testing

@Suite struct ReportCSVTests {
    @Test func writerQuotesOnlyWhatNeedsIt() {
        #expect(CSVWriter.field("plain") == "plain")
        #expect(CSVWriter.field("-1250", kind: .number) == "-1250")
        #expect(CSVWriter.field("Acme, Inc.") == "\"Acme, Inc.\"")
        #expect(CSVWriter.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVWriter.field("two\nlines") == "\"two\nlines\"")
        #expect(CSVWriter.field("crlf\r\nend") == "\"crlf\r\nend\"")
        #expect(CSVWriter.field(" padded") == "\" padded\"")
        #expect(CSVWriter.field("") == "")
        #expect(CSVWriter.document(header: ["a", "b"], rows: [["1", ""]]) == "a,b\r\n1,\r\n")
    }

    @Test func writtenTablesReadBack() throws {
        let table = CSVTable(
            header: ["name", "note", "amount_cents"],
            rows: [["Travis County, TX", "quote \" and\r\nbreak", "-125"], ["Austin", "", "0"]],
            numberColumns: ["amount_cents"]
        )
        let records = try CSVReader.records(in: table.text)
        #expect(records.map(\.fields) == [table.header] + table.rows)
    }

    @Test func textCellsThatASpreadsheetWouldRunAreNeutralized() {
        for dangerous in ["=1+2", "+1", "-2+3", "@SUM(A1)", "\tx", "\r=1", "\r\n=1", "=HYPERLINK(\"http://x\",\"y\")"] {
            let written = CSVWriter.field(dangerous)
            let unquoted = written.hasPrefix("\"") ? String(written.dropFirst()) : written
            #expect(unquoted.hasPrefix("'"), "\(dangerous.debugDescription) was written \(written.debugDescription)")
        }
        #expect(CSVWriter.field("=1,2") == "\"'=1,2\"")
        // A person who typed a negative-looking text still gets it as text.
        #expect(CSVWriter.field("-1250") == "'-1250")
        for harmless in ["Acme", "a=b", "1-2", "", "'quoted", "Ω"] { #expect(CSVWriter.field(harmless) == harmless) }
    }

    @Test func numberCellsStayNumbersAndAnythingElseInThemIsText() {
        #expect(CSVWriter.field("-1500", kind: .number) == "-1500")
        #expect(CSVWriter.field("0", kind: .number) == "0")
        #expect(CSVWriter.field("", kind: .number) == "")
        #expect(CSVWriter.field("-", kind: .number) == "'-")
        #expect(CSVWriter.field("-1+2", kind: .number) == "'-1+2")
        #expect(CSVWriter.field("=2", kind: .number) == "'=2")
        #expect(CSVWriter.record(["-5", "-5"], kinds: [.number]) == "-5,'-5\r\n")
    }

    @Test func reportsWriteTheirAmountsAsNumbersAndTypedNamesAsText() throws {
        let row = SavingsRow(
            agreementId: UUID(),
            agreementNumber: "-MA-1",
            supplierId: UUID(),
            supplierName: "=cmd|' /C calc'!A0",
            tenantId: nil,
            tenantName: "@Agency",
            spendCents: -1500,
            listCents: 0,
            listedPaidCents: 1500
        )
        let report = SavingsReport(scope: .cooperative(tenant: nil), from: nil, to: nil, rows: [row])
        let records = try CSVReader.records(in: report.csvTable.text)
        let fields = Dictionary(uniqueKeysWithValues: zip(records[0].fields, records[1].fields))
        #expect(fields["agreement_number"] == "'-MA-1")
        #expect(fields["supplier_name"] == "'=cmd|' /C calc'!A0")
        #expect(fields["tenant_name"] == "'@Agency")
        #expect(fields["spend_cents"] == "-1500")
        #expect(fields["savings_cents"] == "-1500")
        // The rows keep what was typed; only the written text is neutralized.
        #expect(report.csvTable.rows[0][3] == "=cmd|' /C calc'!A0")
    }

    @Test func everyReportDeclaresItsAmountColumnsAsNumbers() {
        let tables: [CSVTable] = [
            BuyingPowerReport(
                scope: .cooperative(tenant: nil),
                groupBy: [],
                categoryDigits: nil,
                period: nil,
                fiscalYearStartMonth: nil,
                from: nil,
                to: nil,
                rows: [],
                agreementTotals: nil
            ).csvTable,
            TierReport(scope: .agency(UUID()), from: nil, to: nil, rows: []).csvTable,
            AdminFeeReport(scope: .cooperative(tenant: nil), from: nil, to: nil, rows: []).csvTable,
            SavingsReport(scope: .cooperative(tenant: nil), from: nil, to: nil, rows: []).csvTable,
            ReconciliationReport(scope: .cooperative(tenant: nil), from: nil, to: nil, rows: []).csvTable,
            StatementReport(tenantId: UUID(), tenantName: "A", from: nil, to: nil, authorizations: []).csvTable,
        ]
        for table in tables {
            for column in table.header
            where column.hasSuffix("_cents") || column.hasSuffix("_count") || column.hasSuffix("_basis_points") {
                #expect(table.numberColumns.contains(column), "\(column) of \(table.header)")
            }
            #expect(table.numberColumns.isSubset(of: Set(table.header)), "\(table.numberColumns) not in \(table.header)")
        }
    }

    @Test func buyingPowerColumnsFollowTheGrouping() throws {
        let agreement = UUID()
        var row = BuyingPowerRow(totalCents: 150_000, orderCount: 2, agencyCount: 1)
        row.state = "TX"
        row.agreementId = agreement
        row.agreementNumber = "MA-1"
        row.period = "2026-Q4"
        row.periodStart = LocalDate(iso8601: "2026-10-01")
        row.periodEnd = LocalDate(iso8601: "2026-12-31")
        let cooperative = BuyingPowerReport(
            scope: .cooperative(tenant: nil),
            groupBy: [.state, .agreement],
            categoryDigits: nil,
            period: .quarter,
            fiscalYearStartMonth: nil,
            from: nil,
            to: nil,
            rows: [row],
            agreementTotals: nil
        )
        #expect(
            cooperative.csvTable.header == [
                "state", "agreement_id", "agreement_number", "period", "period_start", "period_end", "total_cents", "order_count",
                "agency_count",
            ]
        )
        #expect(
            cooperative.csvTable.rows == [
                ["TX", agreement.uuidString.lowercased(), "MA-1", "2026-Q4", "2026-10-01", "2026-12-31", "150000", "2", "1"]
            ]
        )

        let agency = BuyingPowerReport(
            scope: .agency(UUID()),
            groupBy: [.state],
            categoryDigits: nil,
            period: nil,
            fiscalYearStartMonth: nil,
            from: nil,
            to: nil,
            rows: [row],
            agreementTotals: [
                AgreementTotal(
                    agreementId: agreement,
                    agreementNumber: "MA-1",
                    totalCents: 400_000,
                    orderCount: 5,
                    agencyCount: 3
                )
            ]
        )
        let table = agency.csvTable
        #expect(
            table.header == ["scope", "agreement_id", "agreement_number", "state", "total_cents", "order_count", "agency_count"]
        )
        #expect(table.rows.last == ["all-agencies", agreement.uuidString.lowercased(), "MA-1", "", "400000", "5", "3"])
        #expect(table.rows.allSatisfy { $0.count == table.header.count })
    }

    @Test func renderedCSVIsAnAttachmentNamedByReportAndDay() throws {
        let report = SavingsReport(scope: .cooperative(tenant: nil), from: nil, to: nil, rows: [])
        let day = try #require(LocalDate(iso8601: "2026-11-28"))
        let csv = try ReportRenderer.render(report, format: .csv, day: day)
        #expect(csv.contentType == "text/csv; charset=utf-8")
        #expect(csv.contentDisposition == "attachment; filename=\"savings-2026-11-28.csv\"")
        #expect(csv.body.hasSuffix("\r\n"))
        let json = try ReportRenderer.render(report, format: .json, day: day)
        #expect(json.contentType == "application/json; charset=utf-8")
        #expect(json.contentDisposition == nil)
        #expect(json.body.contains("\"report\":\"savings\""))
        #expect(LocalDate.today(Date(timeIntervalSince1970: 1_795_824_000)).description == "2026-11-28")
    }

    @Test func statementRowsAreOneTable() throws {
        let authorization = StatementAuthorization(
            authorizationId: UUID(),
            agreementId: UUID(),
            agreementNumber: "MA-1",
            purchaseDate: LocalDate(iso8601: "2026-12-01")!,
            category: "43211507",
            outcome: "approved",
            requestedCents: 100_000,
            authorizedCents: 100_000,
            usedCents: 60_000,
            validFrom: LocalDate(iso8601: "2026-12-01"),
            validUntil: LocalDate(iso8601: "2027-02-28"),
            usage: [
                StatementUsage(
                    usageId: UUID(),
                    kind: "order",
                    poNumber: "PO-1",
                    orderDate: LocalDate(iso8601: "2026-12-02")!,
                    amountCents: 80_000,
                    reversesId: nil,
                    reason: nil
                ),
                StatementUsage(
                    usageId: UUID(),
                    kind: "reversal",
                    poNumber: "PO-1",
                    orderDate: LocalDate(iso8601: "2026-12-02")!,
                    amountCents: -20_000,
                    reversesId: UUID(),
                    reason: "returned, damaged"
                ),
            ]
        )
        #expect(authorization.remainingCents == 40_000)
        let statement = StatementReport(
            tenantId: UUID(),
            tenantName: "Austin",
            from: nil,
            to: nil,
            authorizations: [authorization]
        )
        let table = statement.csvTable
        #expect(table.rows.map { $0[0] } == ["authorization", "order", "reversal"])
        #expect(table.rows.allSatisfy { $0.count == table.header.count })
        #expect(statement.totals.remainingCents == 40_000)
        let records = try CSVReader.records(in: table.text)
        #expect(records.count == 4)
        #expect(records[3].fields.last == "returned, damaged")
    }

    @Test func scopedReportsWriteTheirHeaderAndTheirOwnMembers() throws {
        let report = ReconciliationReport(
            scope: .cooperative(tenant: nil),
            from: LocalDate(iso8601: "2026-01-01"),
            to: LocalDate(iso8601: "2026-03-31"),
            rows: []
        )
        let object = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any]
        )
        #expect(Set(object.keys) == ["report", "scope", "from", "to", "mismatchCount", "rows"])
        #expect(object["report"] as? String == "reconciliation")
        #expect(object["from"] as? String == "2026-01-01")
    }
}
