import CooperageCore
import Foundation
import Testing

/// Where a report was read and how current it is: `asOf` and `readFrom` in JSON, nothing in the CSV body.
@Suite struct ReportFreshnessTests {
    static let day = LocalDate(iso8601: "2026-11-28")!
    /// 2027-01-15T08:00:00.1239Z: the text keeps whole milliseconds, rounded down.
    static let freshness = ReportFreshness(source: .replica, asOf: Date(timeIntervalSince1970: 1_800_000_000.1239))

    /// The same report, without its hand-written JSON: what `JSONEncoder` writes.
    struct Encoded<Document: ReportDocument>: ReportDocument {
        let document: Document
        var report: ReportName { document.report }
        var csvTable: CSVTable { document.csvTable }
        func encode(to encoder: any Encoder) throws { try document.encode(to: encoder) }
    }

    @Test func theAsOfTimeIsRFC3339InUTCWithMillisecondsRoundedDown() {
        #expect(Self.freshness.asOfText == "2027-01-15T08:00:00.123Z")
        #expect(
            ReportFreshness(source: .primary, asOf: Date(timeIntervalSince1970: 1_800_000_000)).asOfText
                == "2027-01-15T08:00:00.000Z"
        )
    }

    @Test func jsonCarriesAsOfAndReadFromAndTheCSVBodyDoesNot() throws {
        let report = SavingsReport(scope: .cooperative(tenant: nil), from: nil, to: nil, rows: [])
        let json = try ReportRenderer.render(report, format: .json, day: Self.day, freshness: Self.freshness)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.body.utf8)) as? [String: Any])
        #expect(object["asOf"] as? String == "2027-01-15T08:00:00.123Z")
        #expect(object["readFrom"] as? String == "replica")
        #expect(object["report"] as? String == "savings")
        // Keys stay sorted, as in every response.
        #expect(json.body.hasPrefix(#"{"asOf":"2027-01-15T08:00:00.123Z","readFrom":"replica","report":"savings""#))
        // Without a freshness (the command line), the JSON is as before.
        let plain = try ReportRenderer.render(report, format: .json, day: Self.day)
        #expect(!plain.body.contains("asOf") && !plain.body.contains("readFrom"))
        // The CSV body is the same bytes either way.
        let csv = try ReportRenderer.render(report, format: .csv, day: Self.day, freshness: Self.freshness)
        #expect(csv.body == (try ReportRenderer.render(report, format: .csv, day: Self.day)).body)
    }

    @Test(arguments: [nil, ReportPeriod.quarter]) func handWrittenBuyingPowerJSONPlacesTheMembersAsTheEncoderDoes(
        period: ReportPeriod?
    ) throws {
        var row = BuyingPowerRow(totalCents: 1_500, orderCount: 2, agencyCount: 1)
        row.agreementId = UUID()
        row.agreementNumber = "MA-1"
        for scope in [ReportScope.cooperative(tenant: nil), .agency(UUID())] {
            let report = BuyingPowerReport(
                scope: scope,
                groupBy: [.agreement],
                categoryDigits: 4,
                period: period,
                fiscalYearStartMonth: nil,
                from: Self.day,
                to: nil,
                rows: [row],
                agreementTotals: scope.isAgency
                    ? [AgreementTotal(agreementId: UUID(), agreementNumber: "MA-1", totalCents: 9, orderCount: 1, agencyCount: 2)]
                    : nil
            )
            for freshness in [Self.freshness, ReportFreshness(source: .primary, asOf: Date())] {
                let written = try ReportRenderer.render(report, format: .json, day: Self.day, freshness: freshness)
                let encoded = try ReportRenderer.render(
                    Encoded(document: report),
                    format: .json,
                    day: Self.day,
                    freshness: freshness
                )
                #expect(written.body == encoded.body)
                #expect(written.body.contains(#""readFrom":"\#(freshness.source.rawValue)""#))
            }
        }
    }
}
