import CooperageCore
import Testing

@Suite struct LocalDateTests {
    @Test(arguments: ["2026-07-01", "2024-02-29", "1999-12-31"])
    func roundTrips(_ text: String) throws {
        let date = try #require(LocalDate(iso8601: text))
        #expect(date.description == text)
        #expect(LocalDate(daysSinceEpoch: date.daysSinceEpoch) == date)
    }

    @Test(arguments: [
        "2026-02-29", "2026-13-01", "2026-7-1", "20260701", "", "2026-07-01T00:00:00Z", "２０２６-07-01", "2026-07-011",
        "2026/07/01", " 2026-07-01", "2026-07-0a", "0000-01-01", "2026-00-10", "2026-07-00", "2026-07-01\u{301}",
    ])
    func rejectsWhatIsNotADate(_ text: String) {
        #expect(LocalDate(iso8601: text) == nil)
    }

    @Test func arithmeticCrossesMonthsAndYears() throws {
        let date = try #require(LocalDate(iso8601: "2026-12-15"))
        #expect(date.adding(days: 17).description == "2027-01-01")
        #expect(date.adding(days: -15).description == "2026-11-30")
        #expect(LocalDate(daysSinceEpoch: 0).description == "1970-01-01")
    }

    @Test func fiscalYearsFollowTheStartMonth() throws {
        let june = try #require(LocalDate(iso8601: "2026-06-30"))
        let july = try #require(LocalDate(iso8601: "2026-07-01"))
        #expect(june.fiscalYearStart(startMonth: 7).description == "2025-07-01")
        #expect(july.fiscalYearStart(startMonth: 7).description == "2026-07-01")
        #expect(june.fiscalYear(startMonth: 7) == 2026)
        #expect(july.fiscalYear(startMonth: 7) == 2027)
        #expect(july.fiscalYear(startMonth: 1) == 2026)
        #expect(july.quarter == 3)
    }
}
