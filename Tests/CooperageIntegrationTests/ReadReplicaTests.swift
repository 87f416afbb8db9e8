import CooperageCore
import Foundation
import HTTPTypes
import Testing

@testable import CooperageStore

/// Reports read from a real streaming standby of the test cluster say how fresh they are; when the standby lags
/// past the bound or is down, the primary answers (saying so), or with `replicaFallback: unavailable` a 503.
@Suite(.serialized) struct ReadReplicaTests {
    static let asOfHeader = HTTPField.Name("As-Of")!
    static let readFromHeader = HTTPField.Name("Read-From")!

    @Test func aReportReadFromARealStandbyCarriesItsAsOfTime() async throws {
        let standby = try await TestStandby.start()
        let pool = Database(
            url: standby.url,
            appPassword: nil,
            maximumConnections: 4,
            timeouts: .init(wait: .seconds(2), probe: .seconds(1)),
            logger: TestDatabase.logger
        )
        let running = Task { try? await pool.run() }
        do {
            try await exercise(standby, pool: pool)
        } catch {
            running.cancel()
            try? await standby.remove()
            throw error
        }
        running.cancel()
        try await standby.remove()
    }

    private func exercise(_ standby: TestStandby, pool: Database) async throws {
        // Serves when at most a minute behind, else reads the primary (the default).
        let lenient = ReadReplica(database: pool, maxLag: .seconds(60))
        // Serves only when caught up with the primary.
        let strict = ReadReplica(database: pool, maxLag: .zero)
        let refusing = ReadReplica(database: pool, maxLag: .zero, whenUnusable: .unavailable)
        try await withApp(replica: lenient) { client in
            try await withApp(replica: strict) { strictClient in
                try await withApp(replica: refusing) { refusingClient in
                    let scene = try await UsageScene.make(client)
                    let report = "/v1/reports/buying-power?agreementId=\(scene.agreement)&groupBy=agreement"

                    // 1. Written on the primary and replayed: the standby serves it, as of a time after the write.
                    let beforeWrite = Date()
                    try await register(client, scene, po: "PO-R1", quantity: 2)
                    try await standby.waitForReplay()
                    let served = try await client.send(.get, report)
                    #expect(served.status == .ok, "\(served.text)")
                    #expect(served.headers[Self.readFromHeader] == "replica")
                    #expect(served.string("readFrom") == "replica")
                    let servedAsOf = try Self.asOf(of: served)
                    #expect(
                        servedAsOf >= beforeWrite.addingTimeInterval(-0.001),
                        "as of \(servedAsOf), written after \(beforeWrite)"
                    )
                    #expect(servedAsOf <= Date())
                    #expect(try Self.total(served) == 200_000)
                    // The CSV: the same figures, its freshness in the headers (the body stays plain RFC 4180).
                    let csv = try await client.send(.get, report + "&format=csv")
                    #expect(csv.status == .ok)
                    #expect(csv.headers[Self.readFromHeader] == "replica")
                    #expect(csv.headers[Self.asOfHeader].flatMap(Self.timestamp) != nil)
                    let records = try CSVReader.records(in: csv.text)
                    let column = try #require(records.first?.fields.firstIndex(of: "total_cents"))
                    #expect(records.dropFirst().map { $0.fields[column] } == ["200000"])
                    #expect(!csv.text.contains("as_of") && !csv.text.contains("replica"))

                    // 2. Replay paused, then a write on the primary: the standby's report is the old one, and says so
                    // (as of its last replayed transaction, before the pause).
                    try await standby.pauseReplay()
                    let paused = Date()
                    try await register(client, scene, po: "PO-R2", quantity: 3)
                    _ = try await TestStandby.primaryPosition()  // flushed, so the primary's position covers it
                    let stale = try await client.send(.get, report)
                    #expect(stale.headers[Self.readFromHeader] == "replica")
                    #expect(try Self.total(stale) == 200_000)
                    #expect(try Self.asOf(of: stale) <= paused)

                    // Past the bound (here: any lag at all), the primary answers, current, and says it did.
                    let current = try await strictClient.send(.get, report)
                    #expect(current.status == .ok, "\(current.text)")
                    #expect(current.headers[Self.readFromHeader] == "primary")
                    #expect(current.string("readFrom") == "primary")
                    #expect(try Self.total(current) == 500_000)
                    #expect(try Self.asOf(of: current) >= paused.addingTimeInterval(-0.001))
                    // Or, configured to keep reports off the primary, a 503 that says why.
                    let refused = try await refusingClient.send(.get, report)
                    #expect(refused.status == .serviceUnavailable)
                    #expect(refused.problemType == "replica-unavailable")
                    #expect(refused.string("detail")?.contains("behind the primary") == true, "\(refused.text)")
                    #expect(refused.headers[.retryAfter] != nil)

                    // An agency the standby has not replayed yet: never a 404 from the standby, the primary answers.
                    let newcomer = try await client.createTenant(name: "Newcomer")
                    let statement = try await client.send(.get, "/v1/reports/statement?tenantId=\(newcomer)")
                    #expect(statement.status == .ok, "\(statement.text)")
                    #expect(statement.headers[Self.readFromHeader] == "primary")

                    // Replay resumed: the standby catches up and serves the new figures.
                    try await standby.resumeReplay()
                    try await standby.waitForReplay()
                    let caughtUp = try await client.send(.get, report)
                    #expect(caughtUp.headers[Self.readFromHeader] == "replica")
                    #expect(try Self.total(caughtUp) == 500_000)

                    // 3. The standby is down: the primary answers at once, or the refusing server answers 503.
                    try standby.stop()
                    let fallback = try await client.send(.get, report)
                    #expect(fallback.status == .ok, "\(fallback.text)")
                    #expect(fallback.headers[Self.readFromHeader] == "primary")
                    #expect(try Self.total(fallback) == 500_000)
                    let down = try await refusingClient.send(.get, report + "&format=csv")
                    #expect(down.status == .serviceUnavailable)
                    #expect(down.problemType == "replica-unavailable")
                    #expect(down.string("detail")?.contains("does not answer") == true, "\(down.text)")
                    // Everything else never touched the standby: writes and the token check go on.
                    try await register(client, scene, po: "PO-R3", quantity: 1)
                }
            }
        }
    }

    /// The freshness rule on what the primary and the standby said.
    @Test func theAsOfRuleMeasuresTheStandbyAgainstThePrimary() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let replayed = now.addingTimeInterval(-12)
        func asOf(recovery: Bool = true, caughtUp: Bool, replayedAt: Date?, bound: Duration = .seconds(30)) throws -> Date {
            try ReadReplica.asOf(inRecovery: recovery, caughtUp: caughtUp, replayedAt: replayedAt, primaryNow: now, maxLag: bound)
        }
        // Caught up: current as of the primary's clock, however old its last replayed transaction (an idle primary).
        #expect(try asOf(caughtUp: true, replayedAt: now.addingTimeInterval(-86_400)) == now)
        #expect(try asOf(caughtUp: true, replayedAt: nil) == now)
        // Behind: as of its last replayed transaction, within the bound.
        #expect(try asOf(caughtUp: false, replayedAt: replayed) == replayed)
        #expect(throws: ReadReplica.Unusable.lagging(behind: .seconds(12), bound: .seconds(10))) {
            try asOf(caughtUp: false, replayedAt: replayed, bound: .seconds(10))
        }
        #expect(throws: ReadReplica.Unusable.noReplayYet) { try asOf(caughtUp: false, replayedAt: nil) }
        // A promoted standby (not in recovery) is no copy of this primary any more.
        #expect(throws: ReadReplica.Unusable.notStandby) { try asOf(recovery: false, caughtUp: true, replayedAt: replayed) }
        // A standby clock ahead of the primary's is no negative lag.
        #expect(try asOf(caughtUp: false, replayedAt: now.addingTimeInterval(5), bound: .zero) == now.addingTimeInterval(5))
    }

    private func register(_ client: TestClient, _ scene: UsageScene, po: String, quantity: Int) async throws {
        let reply = try await client.send(
            .post,
            "/v1/usage",
            token: scene.buyer,
            json: scene.order(po: po, quantity: quantity),
            headers: UsageScene.key()
        )
        try #require(reply.status == .created, "registering \(po): \(reply.text)")
    }

    /// The `As-Of` header, which the JSON's `asOf` repeats.
    static func asOf(of reply: TestClient.Reply) throws -> Date {
        let header = try #require(reply.headers[asOfHeader], "no As-Of header: \(reply.text)")
        #expect(reply.string("asOf") == header)
        return try #require(timestamp(header), "As-Of is not RFC 3339: \(header)")
    }

    static func timestamp(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt).parse(text)
    }

    static func total(_ reply: TestClient.Reply) throws -> Int? {
        let rows = try #require(reply.json["rows"] as? [[String: Any]], "\(reply.text)")
        return rows.first?["totalCents"] as? Int
    }
}
