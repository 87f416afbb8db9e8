import CooperageCore
import Foundation
import Testing

@Suite struct ReportArithmeticTests {
    static let ladder = [
        PriceTier(minVolumeCents: 1_000_000, discountBasisPoints: 400),
        PriceTier(minVolumeCents: 0, discountBasisPoints: 0),
        PriceTier(minVolumeCents: 500_000, discountBasisPoints: 200),
    ]

    @Test func tierStandingFindsReachedNextAndGap() {
        let middle = TierStanding(volumeCents: 600_000, tiers: Self.ladder)
        #expect(middle.reached == 2)
        #expect(middle.reachedTier == PriceTier(minVolumeCents: 500_000, discountBasisPoints: 200))
        #expect(middle.next == 3)
        #expect(middle.nextTier?.minVolumeCents == 1_000_000)
        #expect(middle.gapCents == 400_000)
    }

    @Test func tierThresholdsAreReachedExactly() {
        let exact = TierStanding(volumeCents: 500_000, tiers: Self.ladder)
        #expect(exact.reached == 2)
        #expect(exact.gapCents == 500_000)
        let justBelow = TierStanding(volumeCents: 499_999, tiers: Self.ladder)
        #expect(justBelow.reached == 1)
        #expect(justBelow.gapCents == 1)
    }

    @Test func topTierHasNoNextAndBelowTheFirstNoneReached() {
        let top = TierStanding(volumeCents: 5_000_000, tiers: Self.ladder)
        #expect(top.reached == 3)
        #expect(top.next == nil && top.nextTier == nil && top.gapCents == nil)

        let noFloor = [PriceTier(minVolumeCents: 100_000, discountBasisPoints: 100)]
        let below = TierStanding(volumeCents: 25_000, tiers: noFloor)
        #expect(below.reached == nil && below.reachedTier == nil)
        #expect(below.next == 1)
        #expect(below.gapCents == 75_000)

        let none = TierStanding(volumeCents: 25_000, tiers: [])
        #expect(none.reached == nil && none.next == nil && none.gapCents == nil)
    }

    @Test func tierRowSortsTiersAndCarriesTheStanding() {
        let row = TierRow(
            agreementId: UUID(),
            agreementNumber: "MA-1",
            supplierId: UUID(),
            supplierName: "Acme",
            volumeCents: 1_200_000,
            orderCount: 3,
            agencyCount: 2,
            tenantVolumeCents: nil,
            tiers: Self.ladder
        )
        #expect(row.tiers.map(\.minVolumeCents) == [0, 500_000, 1_000_000])
        #expect(row.tierReached?.tier == 3)
        #expect(row.tierReached?.discountBasisPoints == 400)
        #expect(row.nextTier == nil)
        #expect(row.gapCents == nil)
    }

    @Test(arguments: [
        (123_457, 200, 2_469),  // 2469.14
        (25, 200, 1),  // 0.5 rounds up
        (24, 200, 0),  // 0.48
        (75, 200, 2),  // 1.5 rounds up
        (-25, 200, -1),  // half away from zero
        (-24, 200, 0),
        (0, 200, 0),
        (1_000_000, 0, 0),
        (999_999, 10_000, 999_999),
        (12_345_678_901, 25, 30_864_197),  // 30864197.2525
    ])
    func adminFeesRoundHalfAwayFromZero(_ spend: Int, _ basisPoints: Int, _ fee: Int) {
        #expect(AdminFee.cents(spendCents: spend, basisPoints: basisPoints) == fee)
    }

    @Test func adminFeeRowComputesTheFee() {
        let row = AdminFeeRow(
            supplierId: UUID(),
            supplierName: "Acme",
            agreementId: UUID(),
            agreementNumber: "MA-1",
            year: 2026,
            quarter: 4,
            spendCents: 345_675,
            adminFeeBasisPoints: 150,
            reportedSalesCents: nil,
            reportedFeeCents: nil
        )
        // 345675 x 150 / 10000 = 5185.125 -> 5185
        #expect(row.feeDueCents == 5_185)
        #expect(row.period == "2026-Q4")
    }

    @Test func savingsShareInBasisPoints() {
        #expect(AdminFee.basisPoints(of: 30_000, in: 130_000) == 2_308)  // 23.0769 %
        #expect(AdminFee.basisPoints(of: 1, in: 20_000) == 1)  // 0.5 bp rounds up
        #expect(AdminFee.basisPoints(of: -1, in: 20_000) == -1)
        #expect(AdminFee.basisPoints(of: 5, in: 0) == nil)
        let row = SavingsRow(
            agreementId: UUID(),
            agreementNumber: "MA-1",
            supplierId: UUID(),
            supplierName: "Acme",
            tenantId: nil,
            tenantName: nil,
            spendCents: 150_000,
            listCents: 130_000,
            listedPaidCents: 100_000
        )
        #expect(row.savingsCents == 30_000)
        #expect(row.savingsBasisPoints == 2_308)
    }

    @Test func reconciliationStatus() {
        func row(_ tenant: UUID?, registered: Int, reported: Int?) -> ReconciliationRow {
            ReconciliationRow(
                tenantId: tenant,
                tenantName: nil,
                reportedAgencyName: nil,
                cooperativeNumber: nil,
                agreementId: UUID(),
                agreementNumber: "MA-1",
                year: 2026,
                quarter: 4,
                registeredCents: registered,
                reportedCents: reported
            )
        }
        #expect(row(UUID(), registered: 100, reported: 100).status == .match)
        let mismatch = row(UUID(), registered: 100, reported: 90)
        #expect(mismatch.status == .mismatch)
        #expect(mismatch.differenceCents == -10)
        #expect(row(UUID(), registered: 100, reported: nil).status == .notReported)
        #expect(row(UUID(), registered: 100, reported: nil).differenceCents == -100)
        #expect(row(nil, registered: 0, reported: 40).status == .unmatchedAgency)
    }

    @Test func periodsLabelAndEnd() throws {
        let december = try #require(LocalDate(iso8601: "2026-12-01"))
        #expect(ReportPeriod.month.label(start: december, fiscalYearStartMonth: 7) == "2026-12")
        #expect(ReportPeriod.month.end(start: december).description == "2026-12-31")
        let q4 = try #require(LocalDate(iso8601: "2026-10-01"))
        #expect(ReportPeriod.quarter.label(start: q4, fiscalYearStartMonth: 7) == "2026-Q4")
        #expect(ReportPeriod.quarter.end(start: q4).description == "2026-12-31")
        let fy = try #require(LocalDate(iso8601: "2026-07-01"))
        #expect(ReportPeriod.fiscalYear.label(start: fy, fiscalYearStartMonth: 7) == "FY2027")
        #expect(ReportPeriod.fiscalYear.end(start: fy).description == "2027-06-30")
        let calendar = try #require(LocalDate(iso8601: "2026-01-01"))
        #expect(ReportPeriod.fiscalYear.label(start: calendar, fiscalYearStartMonth: 1) == "FY2026")
        let february = try #require(LocalDate(iso8601: "2028-02-01"))
        #expect(ReportPeriod.month.end(start: february).description == "2028-02-29")
    }
}
