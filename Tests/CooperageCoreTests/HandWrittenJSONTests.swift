import CooperageCore
import Foundation
import Testing

/// The JSON written by hand for speed must be exactly what `JSONEncoder` writes, whatever the values.
@Suite struct HandWrittenJSONTests {
    static let awkward = [
        "plain", "", "quote \" and backslash \\", "slash / stays", "line\nbreak\r\ttab", "bell \u{07} and \u{1F} and \u{7F}",
        "Zürich – “curly” 🚚", "\u{2028} separator", "Travis County, TX",
    ]

    static func encoded(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test(arguments: awkward) func stringsAreEscapedAsTheEncoderEscapesThem(_ text: String) throws {
        var json = JSONText()
        json.array { $0.string(text) }
        #expect(json.text == (try Self.encoded([text])))
    }

    @Test(arguments: [1, 0.1, 2.5, 1e-5, 1e20, 123_456_789.125, 1e15, 1e16, 0.0001, -0.5, 100, 0.0125, 1_000_000_000])
    func doublesAreWrittenAsTheEncoderWritesThem(_ value: Double) throws {
        var json = JSONText()
        json.array { $0.double(value) }
        #expect(json.text == (try Self.encoded([value])))
    }

    @Test func buyingPowerReportsMatchTheEncoderByteForByte() throws {
        var generator = SplitMix64(seed: 7)
        for round in 0..<60 {
            var rows: [BuyingPowerRow] = []
            for index in 0..<Int(generator.next() % 6) {
                var row = BuyingPowerRow(
                    totalCents: Int(generator.next() % 2_000_000) - 500_000,
                    orderCount: Int(generator.next() % 90),
                    agencyCount: Int(generator.next() % 9)
                )
                func maybe<T>(_ value: T) -> T? { generator.next() % 2 == 0 ? value : nil }
                let text = Self.awkward[(round + index) % Self.awkward.count]
                row.agreementId = maybe(UUID())
                row.agreementNumber = maybe("MA-\(index) \(text)")
                row.supplierId = maybe(UUID())
                row.supplierName = maybe(text)
                row.category = maybe("43211500")
                row.leadAgencyId = maybe(UUID())
                row.leadAgencyName = maybe(text)
                row.state = maybe("TX")
                row.entityType = maybe("k12")
                row.tenantId = maybe(UUID())
                row.tenantName = maybe(text)
                if generator.next() % 2 == 0 {
                    row.period = "2026-Q4"
                    row.periodStart = LocalDate(iso8601: "2026-10-01")
                    row.periodEnd = LocalDate(iso8601: "2026-12-31")
                }
                rows.append(row)
            }
            let agency = generator.next() % 2 == 0
            let report = BuyingPowerReport(
                scope: agency ? .agency(UUID()) : .cooperative(tenant: nil),
                groupBy: Array(ReportDimension.allCases.prefix(Int(generator.next() % 4))),
                categoryDigits: generator.next() % 2 == 0 ? 6 : nil,
                period: [nil, .month, .quarter, .fiscalYear][Int(generator.next() % 4)],
                fiscalYearStartMonth: generator.next() % 2 == 0 ? 7 : nil,
                from: generator.next() % 2 == 0 ? LocalDate(iso8601: "2026-01-01") : nil,
                to: generator.next() % 2 == 0 ? LocalDate(iso8601: "2027-06-30") : nil,
                rows: rows,
                agreementTotals: agency
                    ? [
                        AgreementTotal(
                            agreementId: UUID(),
                            agreementNumber: Self.awkward[round % Self.awkward.count],
                            totalCents: 12,
                            orderCount: 1,
                            agencyCount: 3
                        )
                    ] : nil
            )
            #expect(report.jsonText == (try Self.encoded(report)), "round \(round)")
        }
    }

    @Test func orderLinesMatchTheEncoderAndReadBack() throws {
        let lines = [
            UsageLine(
                description: "Laptop \"14in\"",
                unspsc: "43211503",
                quantity: 2,
                unitPriceCents: 89_900,
                listPriceCents: 129_900
            ),
            UsageLine(description: "Support hours / month", unspsc: "81111811", quantity: 2.5, unitPriceCents: 12_000),
            UsageLine(description: "Cable", unspsc: "26121600", quantity: 0.0125, unitPriceCents: 3),
        ]
        let text = UsageLine.jsonText(lines)
        #expect(text == (try Self.encoded(lines)))
        #expect(try JSONDecoder().decode([UsageLine].self, from: Data(text.utf8)) == lines)
        #expect(UsageLine.jsonText([]) == "[]")
    }
}
