import CooperageWebhooks
import Foundation
import Testing

@Suite struct RetryScheduleTests {
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func theStandardScheduleRetriesForAtLeastADay() {
        #expect(RetrySchedule.standard.steps.count == 9)
        #expect(RetrySchedule.standard.minimumSpan >= .seconds(24 * 3600))
    }

    @Test func eachWaitIsBetweenHalfAndAllOfItsStep() {
        var generator = SeededGenerator(state: 42)
        let schedule = RetrySchedule.standard
        for _ in 0..<200 {
            var total = Duration.zero
            for (index, step) in schedule.steps.enumerated() {
                let wait = schedule.delay(afterAttempts: index + 1, using: &generator)
                #expect(wait.map { $0 >= step / 2 && $0 <= step } == true)
                total += wait ?? .zero
            }
            #expect(total >= .seconds(24 * 3600))
        }
    }

    @Test func theWaitsAreSpread() {
        var generator = SeededGenerator(state: 7)
        let waits = Set((0..<50).compactMap { _ in RetrySchedule.standard.delay(afterAttempts: 3, using: &generator) })
        #expect(waits.count > 40)
    }

    @Test func aSpentScheduleGivesUp() {
        #expect(RetrySchedule.standard.delay(afterAttempts: 10) == nil)
        #expect(RetrySchedule.standard.delay(afterAttempts: 0) == nil)
        #expect(RetrySchedule(steps: []).delay(afterAttempts: 1) == nil)
    }

    @Test func retryAfterLengthensTheWaitUpToTheLongestStep() {
        var generator = SeededGenerator(state: 1)
        let schedule = RetrySchedule(steps: [.seconds(1), .seconds(10)])
        #expect(schedule.delay(afterAttempts: 1, retryAfter: .seconds(5), using: &generator) == .seconds(5))
        #expect(schedule.delay(afterAttempts: 1, retryAfter: .seconds(3600), using: &generator) == .seconds(10))
        let short = schedule.delay(afterAttempts: 2, retryAfter: .milliseconds(1), using: &generator)
        #expect(short.map { $0 >= .seconds(5) } == true)
    }

    @Test func retryAfterIsReadAsSecondsOrAnHTTPDate() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(WebhookDispatcher.retryAfter(parsing: "120", now: now) == .seconds(120))
        #expect(WebhookDispatcher.retryAfter(parsing: " 7 ", now: now) == .seconds(7))
        let date = WebhookDispatcher.retryAfter(parsing: "Wed, 15 Nov 2023 00:13:20 GMT", now: now)
        #expect(date == .seconds(7200))
        #expect(WebhookDispatcher.retryAfter(parsing: "soon", now: now) == nil)
        #expect(WebhookDispatcher.retryAfter(parsing: "-5", now: now) == nil)
        #expect(WebhookDispatcher.retryAfter(parsing: "99999999999999999999", now: now) == nil)
        #expect(WebhookDispatcher.retryAfter(parsing: "Mon, 01 Jan 2001 00:00:00 GMT", now: now) == .zero)
    }
}
