import CooperageCore
import Foundation
import Testing

/// Money is bounded integer cents with checked sums, and quantities are exact decimals: no input can trap,
/// and a client that computes line totals exactly agrees with the server to the cent.
@Suite struct MoneyAndQuantityTests {
    @Test(arguments: [
        ("3", 30_000), ("2.5", 25_000), ("0.0125", 125), ("1.005", 10_050), ("1000000000", 10_000_000_000_000),
        ("007.50", 75_000),
    ])
    func quantitiesAreReadFromTheirDigits(_ text: String, _ tenThousandths: Int) throws {
        #expect(try #require(Quantity(text)).tenThousandths == tenThousandths)
    }

    @Test(arguments: ["", "-1", "1.00001", "1e3", ".5", "5.", "1.2.3", "1000000000.0001", "99999999999999999999", "NaN", "inf"])
    func malformedOrOutOfRangeQuantitiesAreRefused(_ text: String) {
        #expect(Quantity(text) == nil, "\(text)")
    }

    @Test(arguments: [("1e3", 10_000_000), ("2.5E-1", 2_500), ("1.0125e2", 1_012_500), ("100e-2", 10_000)])
    func jsonExponentsAreExact(_ text: String, _ tenThousandths: Int) throws {
        #expect(try #require(Quantity(text, allowingExponent: true)).tenThousandths == tenThousandths)
    }

    @Test(arguments: ["1e308", "1e-5", "1e10", "1e99999"])
    func jsonExponentsBeyondTheBoundsAreRefused(_ text: String) {
        #expect(Quantity(text, allowingExponent: true) == nil, "\(text)")
    }

    @Test func lineTotalsAreExactAndRoundHalfAwayFromZero() throws {
        // Floating point made this 100: 1.005 x 100 is 100.49999999999999 as a Double.
        #expect(try #require(Quantity("1.005")).total(ofCents: 100) == 101)
        #expect(try #require(Quantity("0.0001")).total(ofCents: 4_999) == 0)
        #expect(try #require(Quantity("0.0001")).total(ofCents: 5_000) == 1)
        #expect(try #require(Quantity("2.5")).total(ofCents: 12_000) == 30_000)
        // Past the money bound: nil, never a trap, even where quantity x price passes 64 bits.
        #expect(Quantity.maximum.total(ofCents: Money.maximumCents) == nil)
        #expect(Quantity.maximum.total(ofCents: Int.max) == nil)
        #expect(Quantity.maximum.total(ofCents: 100_000) == 100_000_000_000_000)
    }

    @Test func quantitiesPrintAsJSONEncoderPrintsTheirDouble() throws {
        for text in ["2", "2.5", "0.0125", "1000000000", "1.005", "0.0001"] {
            let quantity = try #require(Quantity(text))
            let double = try #require(Double(text))
            var expected = double.description
            if expected.hasSuffix(".0") { expected.removeLast(2) }
            #expect(quantity.description == expected)
        }
    }

    @Test func ordersWhoseLinesPassTheBoundsAreRefusedNotTrapped() throws {
        let authorization = try #require(UUID(uuidString: "8f6c2a5e-1d0b-4c55-9a57-0e5f3d7c9b21"))
        let date = try #require(LocalDate(iso8601: "2026-12-03"))
        func order(quantity: Quantity, price: Int, amount: Int, lines count: Int = 1) -> NewUsage {
            let line = UsageLine(description: "Thing", unspsc: "43211503", quantity: quantity, unitPriceCents: price)
            return NewUsage(
                authorizationId: authorization,
                poNumber: "PO-1",
                orderDate: date,
                amountCents: amount,
                lines: Array(repeating: line, count: count)
            )
        }
        #expect(order(quantity: Quantity.maximum, price: Int.max, amount: 1).issues.map(\.pointer) == ["/lines/0/unitPriceCents"])
        #expect(order(quantity: 1, price: 1, amount: Int.max).issues.map(\.pointer).contains("/amountCents"))
        // Each line within bounds, their sum past them.
        let sum = order(quantity: 1, price: Money.maximumCents, amount: Money.maximumCents, lines: 2).issues
        #expect(sum.map(\.pointer) == ["/lines"], "\(sum)")
        #expect(order(quantity: 1, price: 100, amount: 100).issues.isEmpty)
    }

    @Test func sumsAreCheckedAndReportSumsClamp() {
        #expect(Money.sum([Money.maximumCents, 1]) == nil)
        #expect(Money.sum([Int.max, 1], maximum: .max) == nil)
        #expect(Money.sum([Money.maximumCents, -1]) == Money.maximumCents - 1)
        #expect(Money.clampedSum([Int.max, Int.max]) == Int.max)
        #expect(Money.clampedDifference(Int.min, 1) == Int.min)
        #expect(Money.issue(0, at: "/a")?.pointer == "/a")
        #expect(Money.issue(0, at: "/a", allowZero: true) == nil)
        #expect(Money.issue(-5, at: "/a", allowNegative: true) == nil)
        #expect(Money.issue(Money.maximumCents + 1, at: "/a", allowZero: true) != nil)
    }

    @Test func datesOutsideTheAcceptedYearsAreNotDates() {
        #expect(LocalDate(iso8601: "1900-01-01") != nil)
        #expect(LocalDate(iso8601: "2999-12-31") != nil)
        for text in ["0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31"] {
            #expect(LocalDate(iso8601: text) == nil, "\(text)")
        }
    }

    @Test func anAgreementWithoutACeilingStillBoundsItsCommitments() {
        var context = Fixture.context
        context.agreement.ceilingCents = nil
        context.committedOnAgreementCents = Money.maximumCommittedCents - 10
        context.request.amountCents = 10
        #expect(SystemGate.ceilingAvailable.evaluate(context).outcome == .notApplicable)
        context.request.amountCents = 11
        let refused = SystemGate.ceilingAvailable.evaluate(context)
        #expect(refused.outcome == .fail, "\(refused.message)")
        // A stored total at the 64-bit limit is answered, not trapped.
        context.committedOnAgreementCents = Int.max
        #expect(SystemGate.ceilingAvailable.evaluate(context).outcome == .fail)
    }
}
