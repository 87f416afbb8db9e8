import CooperageCore
import Foundation
import Testing

@Suite struct ReportParametersTests {
    @Test func parsesEveryBuyingPowerParameter() throws {
        let agreement = UUID()
        let parameters = try ReportParameters.parse(
            name: "buying-power",
            query: [
                ("groupBy", "agreement, state,agreement,category"), ("categoryDigits", "4"), ("period", "fiscal-year"),
                ("fiscalYearStartMonth", "10"), ("from", "2026-01"), ("to", "2026-12-31"), ("format", "csv"),
                ("agreementId", agreement.uuidString),
            ]
        )
        #expect(parameters.name == .buyingPower)
        #expect(parameters.groupBy == [.agreement, .state, .category])
        #expect(parameters.categoryDigits == 4)
        #expect(parameters.period == .fiscalYear)
        #expect(parameters.fiscalYearStartMonth == 10)
        #expect(parameters.from?.description == "2026-01-01")
        #expect(parameters.to?.description == "2026-12-31")
        #expect(parameters.format == .csv)
        #expect(parameters.agreementIds == [agreement])
    }

    @Test func defaults() throws {
        let parameters = try ReportParameters.parse(name: "tiers", query: [])
        #expect(parameters.format == .json)
        #expect(parameters.groupBy.isEmpty)
        #expect(parameters.period == nil)
        #expect(parameters.from == nil && parameters.to == nil)
        #expect(try ReportParameters.parse(name: "buying-power", query: [("period", "none")]).period == nil)
        #expect(try ReportParameters.parse(name: "buying-power", query: [("to", "2028-02")]).to?.description == "2028-02-29")
    }

    @Test(arguments: [
        ("buying-power", "groupBy", "agreement,colour"),
        ("buying-power", "groupBy", "agreement,,state"),
        ("buying-power", "categoryDigits", "3"),
        ("buying-power", "period", "week"),
        ("buying-power", "fiscalYearStartMonth", "13"),
        ("buying-power", "from", "2026-01-15"),
        ("buying-power", "to", "2026-01-30"),
        ("buying-power", "from", "January"),
        ("tiers", "format", "xml"),
        ("tiers", "agreementId", "not-a-uuid"),
        ("tiers", "tenantId", "42"),
        ("tiers", "groupBy", "agreement"),
        ("savings", "colour", "blue"),
    ])
    func badParametersNameThemselves(_ report: String, _ name: String, _ value: String) {
        #expect {
            _ = try ReportParameters.parse(name: report, query: [(name, value)])
        } throws: { error in
            (error as? ReportParameterError)?.parameter == name
        }
    }

    @Test func badRangesAndNames() {
        #expect {
            _ = try ReportParameters.parse(name: "savings", query: [("from", "2026-06"), ("to", "2026-05")])
        } throws: { ($0 as? ReportParameterError)?.parameter == "to" }
        #expect {
            _ = try ReportParameters.parse(name: "fees", query: [])
        } throws: { ($0 as? ReportParameterError)?.parameter == "name" }
        #expect {
            _ = try ReportParameters.parse(name: "tiers", query: [("format", "csv"), ("format", "json")])
        } throws: { ($0 as? ReportParameterError)?.parameter == "format" }
    }

    @Test func theStatementTakesAnyDay() throws {
        let parameters = try ReportParameters.parse(name: "statement", query: [("from", "2026-12-05"), ("to", "2026-12-20")])
        #expect(parameters.from?.description == "2026-12-05")
        #expect(parameters.to?.description == "2026-12-20")
    }
}
