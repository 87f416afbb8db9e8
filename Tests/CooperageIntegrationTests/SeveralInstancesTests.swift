import CooperageCore
import CooperageStore
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

/// Two `cooperage serve` processes (the built executable, ``ServerProcess``) on one database behave as one server:
/// whatever must hold across requests lives in PostgreSQL, not in a process. Each check sends its requests to both
/// at once, over HTTP, as a load balancer in front of them would.
@Suite struct SeveralInstancesTests {
    @Test func twoServersOnOneDatabaseBehaveAsOne() async throws {
        let url = try await TestDatabase.fresh(prefix: "instances")
        let environment = ["DATABASE_URL": url.text, "BOOTSTRAP_ADMIN_TOKEN": TestClient.adminToken]
        // Both start at once: their migration runs take turns on the migrator's lock, and one of them creates the
        // bootstrap token (the other finds it in place).
        let first = try ServerProcess.start(environment)
        let second = try ServerProcess.start(environment)
        do {
            try await first.waitUntilReady()
            try await second.waitUntilReady()
            let servers = [first.client, second.client]
            try await decisionsOnOneAgreementNeverPassItsCeiling(servers, url: url)
            try await anIdempotencyKeyRetriedOnTheOtherServerGivesTheFirstAnswer(servers, url: url)
            try await concurrentUsageOnBothKeepsEveryAuditChainUnbroken(servers, url: url)
            try await anImportStaysAllOrNothing(servers, url: url)
        } catch {
            Issue.record("first server's log:\n\(first.log.suffix(2000))\nsecond server's log:\n\(second.log.suffix(2000))")
            await first.stop()
            await second.stop()
            throw error
        }
        await first.stop()
        await second.stop()
        first.remove()
        second.remove()
    }

    /// Decisions lock the agreement's row, so requests spread over both servers never together pass its ceiling.
    func decisionsOnOneAgreementNeverPassItsCeiling(_ servers: [TestClient], url: DatabaseURL) async throws {
        let lead = try await servers[0].createTenant(state: "TX", entityType: "state-agency", name: "Lead Agency")
        let agreement = try await Fixtures.agreement(lead: lead, ceilingCents: 3_000_000, on: url)
        var buyers: [String] = []
        for index in 0..<10 {
            let server = servers[index % 2]
            let agency = try await server.createTenant(name: "Agency \(index)")
            try await Fixtures.participation(tenant: agency, on: url)
            buyers.append(try await server.token(for: agency, role: "agency-buyer"))
        }
        let body =
            #"{"agreementId": "\#(agreement)", "amountCents": 1000000, "purchaseDate": "2026-12-01", "category": "43211507", "purpose": "Monitors"}"#
        let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
            for (index, buyer) in buyers.enumerated() {
                group.addTask {
                    let reply = try await servers[index % 2].send(.post, "/v1/authorizations", token: buyer, raw: body)
                    return reply.string("outcome") ?? "HTTP \(reply.status.code): \(reply.text)"
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == "approved" }.count == 3, "\(outcomes)")
        #expect(outcomes.filter { $0 == "denied" }.count == 7, "\(outcomes)")
        let committed = try await Fixtures.admin(on: url) { connection in
            try await connection.query(
                "SELECT committed_cents FROM agreement_commitment WHERE agreement_id = \(UUID(uuidString: agreement)!)",
                logger: TestDatabase.logger
            ).decode(Int.self).array().first
        }
        #expect(committed == 3_000_000, "the agreement's committed amount")
    }

    /// A retry on the other server is answered from the first request's record, for usage and for decisions, even
    /// when the two arrive at once; the same key with another body is a conflict there too.
    func anIdempotencyKeyRetriedOnTheOtherServerGivesTheFirstAnswer(_ servers: [TestClient], url: DatabaseURL) async throws {
        let scene = try await UsageScene.make(servers[0], on: url)
        let replayed = HTTPField.Name("Idempotent-Replayed")!
        let key = UUID().uuidString
        let order = scene.order(po: "PO-ONCE")
        let firstReply = try await servers[0].send(
            .post,
            "/v1/usage",
            token: scene.buyer,
            json: order,
            headers: UsageScene.key(key)
        )
        #expect(firstReply.status == .created, "\(firstReply.text)")
        let retried = try await servers[1].send(.post, "/v1/usage", token: scene.buyer, json: order, headers: UsageScene.key(key))
        #expect(retried.status == .created && retried.headers[replayed] == "true", "\(retried.text)")
        #expect(retried.string("id") == firstReply.string("id"))
        #expect(retried.json["amountCents"] as? Int == firstReply.json["amountCents"] as? Int)
        let conflict = try await servers[1].send(
            .post,
            "/v1/usage",
            token: scene.buyer,
            json: scene.order(po: "PO-OTHER"),
            headers: UsageScene.key(key)
        )
        #expect(conflict.status == .conflict, "\(conflict.text)")

        // The same key sent to both servers at the same moment, several times over.
        let raceKey = UUID().uuidString
        let race = String(decoding: try JSONSerialization.data(withJSONObject: scene.order(po: "PO-RACE")), as: UTF8.self)
        let answers = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
            for index in 0..<6 {
                group.addTask {
                    let reply = try await servers[index % 2].send(
                        .post,
                        "/v1/usage",
                        token: scene.buyer,
                        raw: race,
                        headers: UsageScene.key(raceKey)
                    )
                    return (Int(reply.status.code), reply.string("id"))
                }
            }
            return try await group.reduce(into: [(Int, String?)]()) { $0.append($1) }
        }
        #expect(answers.allSatisfy { $0.0 == 201 }, "\(answers)")
        #expect(Set(answers.compactMap(\.1)).count == 1, "\(answers)")

        // A decision's key, retried on the other server.
        let decisionKey = UUID().uuidString
        let request: [String: Any] = [
            "agreementId": scene.agreement, "amountCents": 50_000, "purchaseDate": "2026-12-01", "category": "43211507",
            "purpose": "Docking stations",
        ]
        let decided = try await servers[1].send(
            .post,
            "/v1/authorizations",
            token: scene.buyer,
            json: request,
            headers: UsageScene.key(decisionKey)
        )
        #expect(decided.status == .created, "\(decided.text)")
        let again = try await servers[0].send(
            .post,
            "/v1/authorizations",
            token: scene.buyer,
            json: request,
            headers: UsageScene.key(decisionKey)
        )
        #expect(again.string("id") == decided.string("id") && again.headers[replayed] == "true", "\(again.text)")

        let (orders, races, authorizations) = try await Fixtures.admin(on: url) { connection in
            let tenant = UUID(uuidString: scene.agency)!
            return try await connection.query(
                """
                SELECT (SELECT count(*) FROM usage_record WHERE tenant_id = \(tenant) AND po_number = 'PO-ONCE'),
                       (SELECT count(*) FROM usage_record WHERE tenant_id = \(tenant) AND po_number = 'PO-RACE'),
                       (SELECT count(*) FROM authorization_request WHERE tenant_id = \(tenant) AND idempotency_key = \(decisionKey))
                """,
                logger: TestDatabase.logger
            ).decode((Int, Int, Int).self).array().first!
        }
        #expect(orders == 1 && races == 1 && authorizations == 1, "one record each: \(orders), \(races), \(authorizations)")
    }

    /// Both servers append to the same chains at once (one agency's, another's, the cooperative's): the chains'
    /// locks are the database's, so `cooperage audit verify` finds every chain whole.
    func concurrentUsageOnBothKeepsEveryAuditChainUnbroken(_ servers: [TestClient], url: DatabaseURL) async throws {
        let scenes = [
            try await UsageScene.make(servers[0], authorizedCents: 100_000_000, on: url),
            try await UsageScene.make(servers[1], authorizedCents: 100_000_000, on: url),
        ]
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<24 {
                let scene = scenes[index % 2]
                group.addTask {
                    let reply = try await servers[(index / 2) % 2].send(
                        .post,
                        "/v1/usage",
                        token: scene.buyer,
                        json: scene.order(po: "PO-CHAIN-\(index)", quantity: 1, unitPriceCents: 1_000 + index),
                        headers: UsageScene.key()
                    )
                    return Int(reply.status.code)
                }
                // The cooperative's chain too: agencies created on both servers at once.
                if index % 6 == 0 {
                    group.addTask {
                        _ = try await servers[(index / 6) % 2].createTenant(name: "Chain \(index)"); return 201
                    }
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.allSatisfy { $0 == 201 }, "\(statuses)")
        let events = try await Fixtures.admin(on: url) { connection in
            try await connection.query(
                """
                SELECT count(*) FROM audit_event
                WHERE tenant_id IN (\(UUID(uuidString: scenes[0].agency)!), \(UUID(uuidString: scenes[1].agency)!))
                  AND action = 'usage.registered'
                """,
                logger: TestDatabase.logger
            ).decode(Int.self).array().first
        }
        #expect(events == 24, "one audit event per registration")
        let verify = try await CooperageExecutable.run(["audit", "verify"], environment: ["DATABASE_URL": url.text])
        #expect(verify.status == 0, "cooperage audit verify: \(verify.output)")
        #expect(verify.output.contains("audit: ok"), "\(verify.output)")
    }

    /// A file the database refuses (one order beyond its authorization, one purchase order the other file also
    /// has) sent to one server while a good file goes to the other: the good one is imported whole, nothing of the
    /// bad one is, whichever commits first.
    func anImportStaysAllOrNothing(_ servers: [TestClient], url: DatabaseURL) async throws {
        let scene = try await UsageScene.make(servers[0], authorizedCents: 1_000_000, on: url)
        let day = scene.validFrom
        let header = "po_number,authorization_id,order_date,description,unspsc,quantity,unit_price_cents,list_price_cents"
        func file(_ rows: [String]) -> String { ([header] + rows).joined(separator: "\r\n") + "\r\n" }
        let good = file([
            "PO-G1,\(scene.authorization),\(day),Laptop,43211503,1,100000,",
            "PO-G2,\(scene.authorization),\(day),Laptop,43211503,2,100000,",
        ])
        let bad = file([
            "PO-B1,\(scene.authorization),\(day),Laptop,43211503,1,100000,",
            "PO-G1,\(scene.authorization),\(day),Laptop,43211503,1,100000,",
            "PO-B3,\(scene.authorization),\(day),Server,43211503,1,1000001,",
        ])
        let csv: HTTPFields = [.contentType: "text/csv"]
        async let goodReply = servers[1].send(.post, "/v1/usage/imports", token: scene.buyer, raw: good, headers: csv)
        async let badReply = servers[0].send(.post, "/v1/usage/imports", token: scene.buyer, raw: bad, headers: csv)
        let (imported, refused) = try await (goodReply, badReply)
        #expect(imported.status == .created, "\(imported.text)")
        #expect(refused.status == .unprocessableContent, "\(refused.text)")
        #expect(refused.headers[.contentType] == "application/problem+json")

        // The good file again, to both servers at once: one import, answered twice.
        async let againFirst = servers[0].send(.post, "/v1/usage/imports", token: scene.buyer, raw: good, headers: csv)
        async let againSecond = servers[1].send(.post, "/v1/usage/imports", token: scene.buyer, raw: good, headers: csv)
        let again = try await [againFirst, againSecond]
        #expect(again.allSatisfy { $0.status == .ok && $0.string("id") == imported.string("id") }, "\(again.map(\.text))")

        let (pos, used, imports) = try await Fixtures.admin(on: url) { connection in
            let tenant = UUID(uuidString: scene.agency)!
            let pos = try await connection.query(
                "SELECT po_number FROM usage_record WHERE tenant_id = \(tenant) ORDER BY po_number",
                logger: TestDatabase.logger
            ).decode(String.self).array()
            let (used, imports) = try await connection.query(
                """
                SELECT (SELECT used_cents FROM authorization_request WHERE id = \(UUID(uuidString: scene.authorization)!)),
                       (SELECT count(*) FROM usage_import WHERE tenant_id = \(tenant))
                """,
                logger: TestDatabase.logger
            ).decode((Int, Int).self).array().first!
            return (pos, used, imports)
        }
        #expect(pos == ["PO-G1", "PO-G2"], "only the good file's orders")
        #expect(used == 300_000 && imports == 1, "used \(used), imports \(imports)")
    }
}
