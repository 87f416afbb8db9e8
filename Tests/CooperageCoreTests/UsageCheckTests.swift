import CooperageCore
import Foundation
import Testing

/// The reasons given when the database refuses orders: the first broken condition of each order, orders on
/// one authorization taken in turn.
@Suite struct UsageCheckTests {
    let authorization = UUID()
    let day = LocalDate(iso8601: "2026-12-15")!

    func order(_ po: String, cents: Int, on date: String = "2026-12-15", authorization: UUID? = nil) -> NewUsage {
        NewUsage(
            authorizationId: authorization ?? self.authorization,
            poNumber: po,
            orderDate: LocalDate(iso8601: date)!,
            amountCents: cents,
            lines: [UsageLine(description: "Item", unspsc: "43211503", quantity: 1, unitPriceCents: cents)]
        )
    }

    var approved: UsageCheck.Authorization {
        UsageCheck.Authorization(
            outcome: "approved",
            authorizedCents: 100_000,
            usedCents: 10_000,
            validFrom: LocalDate(iso8601: "2026-12-01"),
            validUntil: LocalDate(iso8601: "2027-02-28")
        )
    }

    @Test func ordersThatFitAreNotRefused() {
        let orders = [order("PO-1", cents: 50_000), order("PO-2", cents: 40_000)]
        #expect(UsageCheck.reasons(for: orders, authorizations: [authorization: approved], registeredPONumbers: []).isEmpty)
    }

    @Test func anOrderRefusedDoesNotUseUpTheAuthorizationForTheNext() {
        let orders = [order("PO-1", cents: 60_000), order("PO-2", cents: 40_000), order("PO-3", cents: 30_000)]
        let reasons = UsageCheck.reasons(for: orders, authorizations: [authorization: approved], registeredPONumbers: [])
        #expect(reasons.map(\.index) == [1])
        #expect(reasons.first?.pointer == "/amountCents")
        #expect(reasons.first?.detail == "$400.00 exceeds the $300.00 the authorization still allows")
    }

    @Test func eachOrderNamesItsFirstBrokenConditionAndATakenNumberBesides() {
        var pending = approved
        pending.outcome = "pending"
        let other = UUID()
        let unknown = UUID()
        let orders = [
            order("PO-77", cents: 1_000_000, on: "2029-01-01"),
            order("PO-2", cents: 100, authorization: other),
            order("PO-3", cents: 100, authorization: unknown),
            order("PO-2", cents: 100),
        ]
        let reasons = UsageCheck.reasons(
            for: orders,
            authorizations: [authorization: approved, other: pending],
            registeredPONumbers: ["PO-77"]
        )
        #expect(reasons.map(\.index) == [0, 0, 1, 2, 3])
        #expect(reasons.map(\.pointer) == ["/poNumber", "/orderDate", "/authorizationId", "/authorizationId", "/poNumber"])
        #expect(reasons[1].detail == "2029-01-01 is outside the authorization's validity, 2026-12-01 to 2027-02-28")
        #expect(reasons[2].detail == "the authorization is pending, not approved")
        #expect(reasons[4].detail == "purchase order PO-2 appears twice")
    }

    @Test(arguments: ["plain", " lead", "trail\t", "\u{3000}ideographic\u{3000}", "\u{00A0}", "", "   ", "in side", "\n newline"])
    func trimmingSpacesIsFoundationsTrimming(_ text: String) {
        #expect(text.trimmingSpaces == text.trimmingCharacters(in: .whitespaces))
        #expect(text.isBlank == text.trimmingCharacters(in: .whitespaces).isEmpty)
    }
}

@Suite struct TimeOrderedUUIDTests {
    @Test func idsAreVersionSevenAndSortByTime() {
        let earlier = UUID.timeOrdered(at: Date(timeIntervalSince1970: 1_796_000_000))
        let later = UUID.timeOrdered(at: Date(timeIntervalSince1970: 1_796_000_000.002))
        #expect(earlier.uuidString.lowercased() < later.uuidString.lowercased())
        for id in [earlier, later] {
            let text = Array(id.uuidString)
            #expect(text[14] == "7")
            #expect(["8", "9", "A", "B"].contains(text[19]))
        }
        // The milliseconds come first, big-endian: 1796000000000 is 0x01A2_29F1_2800.
        #expect(earlier.uuidString.hasPrefix("01A229F1-2800-7"))
        #expect(UUID.timeOrdered() != UUID.timeOrdered())
    }

    @Test func aBatchOfIdsSharesTheTimeAndIsAllDistinct() {
        let ids = UUID.timeOrdered(count: 10_000, at: Date(timeIntervalSince1970: 1_796_000_000))
        #expect(ids.count == 10_000)
        #expect(Set(ids).count == 10_000)
        for id in ids.prefix(100) {
            let text = Array(id.uuidString)
            #expect(id.uuidString.hasPrefix("01A229F1-2800-7"))
            #expect(["8", "9", "A", "B"].contains(text[19]))
        }
        // The random bits are not left zero (a failed read would leave them so).
        #expect(ids.filter { $0.uuidString.hasSuffix("0000-000000000000") }.isEmpty)
        #expect(UUID.timeOrdered(count: 0).isEmpty)
    }
}
