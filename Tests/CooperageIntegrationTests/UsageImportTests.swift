import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

/// Bulk usage files through `POST /v1/usage/imports`: all or nothing, every bad row named by its line, once per file.
@Suite struct UsageImportTests {
    static let header = "po_number,authorization_id,order_date,description,unspsc,quantity,unit_price_cents,list_price_cents"
    static let csv: HTTPFields = [.contentType: "text/csv; charset=utf-8"]

    /// An agency of its own with a buyer token, on a fresh agreement.
    struct Scene {
        let agreement: String
        let agency: String
        let buyer: String

        static func make(_ client: TestClient) async throws -> Scene {
            let lead = try await client.createTenant(state: "TX", entityType: "state-agency", name: "Lead Agency")
            let agreement = try await Fixtures.agreement(lead: lead)
            let agency = try await client.createTenant(state: "TX", entityType: "city", name: "Import City")
            try await Fixtures.participation(tenant: agency)
            return Scene(agreement: agreement, agency: agency, buyer: try await client.token(for: agency, role: "agency-buyer"))
        }

        /// An approved authorization of `amountCents`; returns its id and first valid day.
        func authorize(_ client: TestClient, amountCents: Int) async throws -> (id: String, validFrom: String) {
            let reply = try await client.send(
                .post,
                "/v1/authorizations",
                token: buyer,
                json: [
                    "agreementId": agreement, "amountCents": amountCents, "purchaseDate": "2026-12-01", "category": "43211507",
                    "purpose": "Computers for the library",
                ]
            )
            try #require(reply.string("outcome") == "approved", "authorization: \(reply.text)")
            return (try #require(reply.string("id")), try #require(reply.string("validFrom")))
        }
    }

    func file(_ rows: [String]) -> String {
        ([Self.header] + rows).joined(separator: "\r\n") + "\r\n"
    }

    func upload(_ client: TestClient, _ scene: Scene, _ body: String, query: String = "") async throws -> TestClient.Reply {
        try await client.send(.post, "/v1/usage/imports\(query)", token: scene.buyer, raw: body, headers: Self.csv)
    }

    func used(_ authorization: String) async throws -> Int {
        try await Fixtures.admin { connection in
            try await connection.query(
                "SELECT used_cents FROM authorization_request WHERE id = \(UUID(uuidString: authorization)!)",
                logger: TestDatabase.logger
            ).decode(Int.self).array().first ?? -1
        }
    }

    /// The tenant's monthly aggregates (amount, orders) and its number of usage rows and imports.
    func counts(_ tenant: String) async throws -> (amount: Int, orders: Int, records: Int, imports: Int) {
        try await Fixtures.admin { connection in
            let id = UUID(uuidString: tenant)!
            return try await connection.query(
                """
                SELECT (SELECT coalesce(sum(amount_cents), 0)::bigint FROM usage_monthly WHERE tenant_id = \(id)),
                       (SELECT coalesce(sum(order_count), 0)::bigint FROM usage_monthly WHERE tenant_id = \(id)),
                       (SELECT count(*) FROM usage_record WHERE tenant_id = \(id)),
                       (SELECT count(*) FROM usage_import WHERE tenant_id = \(id))
                """,
                logger: TestDatabase.logger
            ).decode((Int, Int, Int, Int).self).array().first.map { (amount: $0, orders: $1, records: $2, imports: $3) }!
        }
    }

    func errors(_ reply: TestClient.Reply) -> [(pointer: String, detail: String)] {
        (reply.json["errors"] as? [[String: Any]] ?? []).map { ($0["pointer"] as? String ?? "", $0["detail"] as? String ?? "") }
    }

    @Test func aFileOfSeveralOrdersImportsOnceAndMovesTheAuthorizedAmounts() async throws {
        try await withApp { client in
            let scene = try await Scene.make(client)
            let laptops = try await scene.authorize(client, amountCents: 4_500_000)
            let support = try await scene.authorize(client, amountCents: 2_000_000)
            let day = laptops.validFrom
            let nextMonth = try #require(LocalDate(iso8601: day)?.adding(days: 31).description)
            let body = file([
                "PO-100,\(laptops.id),\(day),Laptop 14in,43211503,10,89900,129900",
                "PO-100,\(laptops.id),\(day),\"Dock, USB-C \"\"Pro\"\"\",43211507,10,15000,",
                "PO-200,\(support.id),\(support.validFrom),\"Imaging\nsupport hours\",81111811,12.5,12000,",
                "PO-100,\(laptops.id),\(day),Cables,43211507,3,999,1299",
                "PO-300,\(laptops.id),\(nextMonth),Monitor 27in,43211902,4,24900,31900",
            ])
            let laptopTotal = 899_000 + 150_000 + 2_997 + 99_600
            let supportTotal = 150_000

            let reply = try await upload(client, scene, body, query: "?fileName=december.csv")
            #expect(reply.status == .created, "\(reply.text)")
            #expect(reply.json["orderCount"] as? Int == 3)
            #expect(reply.json["lineCount"] as? Int == 5)
            #expect(reply.json["totalCents"] as? Int == laptopTotal + supportTotal)
            #expect(reply.string("fileName") == "december.csv")
            #expect(reply.string("tenantId") == scene.agency)
            #expect(reply.string("fileDigest")?.count == 64)
            let id = try #require(reply.string("id"))
            #expect(reply.headers[.location] == "/v1/usage/imports/\(id.lowercased())")
            #expect(reply.headers[HTTPField.Name("Idempotent-Replayed")!] == nil)

            #expect(try await used(laptops.id) == laptopTotal)
            #expect(try await used(support.id) == supportTotal)
            let after = try await counts(scene.agency)
            #expect(after.amount == laptopTotal + supportTotal)
            #expect(after.orders == 3)
            #expect(after.records == 3)
            #expect(after.imports == 1)

            // Read back by the agency; another agency does not see it.
            let read = try await client.send(.get, "/v1/usage/imports/\(id)", token: scene.buyer)
            #expect(read.status == .ok)
            #expect(read.json["totalCents"] as? Int == laptopTotal + supportTotal)
            let other = try await Scene.make(client)
            expectProblem(
                try await client.send(.get, "/v1/usage/imports/\(id)", token: other.buyer),
                .notFound,
                type: "not-found"
            )
            let staff = try await client.send(.get, "/v1/usage/imports/\(id)?tenantId=\(scene.agency)")
            #expect(staff.string("id") == id)

            // The same file again: the first import, nothing counted twice.
            let again = try await upload(client, scene, body, query: "?fileName=december-copy.csv")
            #expect(again.status == .ok, "\(again.text)")
            #expect(again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(again.string("id") == id)
            #expect(again.string("fileName") == "december.csv")
            #expect(try await used(laptops.id) == laptopTotal)
            let replayed = try await counts(scene.agency)
            #expect(replayed.amount == after.amount && replayed.orders == 3 && replayed.records == 3 && replayed.imports == 1)
        }
    }

    /// The import's row is written first, so a file imported before stops at its digest's unique key even
    /// without the look-up the upload makes first (the path of two uploads of one file at once).
    @Test func aFileImportedBeforeStopsAtItsDigestsUniqueKey() async throws {
        try await withApp { client in
            let scene = try await Scene.make(client)
            let authorization = try await scene.authorize(client, amountCents: 1_000_000)
            let parsed = try UsageCSV.parse(
                file(["PO-1,\(authorization.id),\(authorization.validFrom),Laptop,43211503,1,50000,"])
            )
            let store = UsageStore(database: try await SharedPool.database.value)
            let tenant = try #require(UUID(uuidString: scene.agency))
            func importOnce() async throws -> (UsageImport, created: Bool) {
                try await store.importOrders(
                    parsed.orders,
                    fileDigest: "digest-of-\(scene.agency)",
                    fileName: nil,
                    lineCount: parsed.lineCount,
                    tenantID: tenant,
                    by: .system
                )
            }
            let first = try await importOnce()
            let second = try await importOnce()
            #expect(first.created && !second.created)
            #expect(second.0.id == first.0.id)
            #expect(try await used(authorization.id) == 50_000)
            let after = try await counts(scene.agency)
            #expect(after.imports == 1 && after.orders == 1)
        }
    }

    @Test func aBadDateOnLineFourImportsNothingAndNamesTheLine() async throws {
        try await withApp { client in
            let scene = try await Scene.make(client)
            let authorization = try await scene.authorize(client, amountCents: 1_000_000)
            let day = authorization.validFrom
            let reply = try await upload(
                client,
                scene,
                file([
                    "PO-1,\(authorization.id),\(day),Laptop,43211503,1,100000,",
                    "PO-2,\(authorization.id),\(day),Laptop,43211503,1,100000,",
                    "PO-3,\(authorization.id),2026-12-32,Laptop,43211503,1,100000,",
                    "PO-4,\(authorization.id),\(day),Laptop,43211503,1,100000,",
                ])
            )
            expectProblem(reply, .unprocessableContent, type: "validation-failed")
            let found = errors(reply)
            #expect(found.map(\.pointer) == ["/lines/4/order_date"])
            #expect(found.first?.detail.hasPrefix("line 4: order_date:") == true)
            #expect(reply.string("detail")?.contains("Nothing was imported") == true)
            #expect(try await used(authorization.id) == 0)
            let nothing = try await counts(scene.agency)
            #expect(nothing.amount == 0 && nothing.records == 0 && nothing.imports == 0)
        }
    }

    @Test func everyOrderTheDatabaseRefusesIsNamedByItsFirstLine() async throws {
        try await withApp { client in
            let scene = try await Scene.make(client)
            let authorization = try await scene.authorize(client, amountCents: 100_000)
            let day = authorization.validFrom
            let reply = try await upload(
                client,
                scene,
                file([
                    "PO-1,\(authorization.id),\(day),Laptop,43211503,1,60000,",
                    "PO-2,\(authorization.id),\(day),Mouse,43211708,1,10000,",
                    "PO-2,\(authorization.id),\(day),Keyboard,43211706,1,20000,",
                    // 60,000 + 30,000 used: 10,000 remain, this order needs 20,000.
                    "PO-3,\(authorization.id),\(day),Dock,43211507,2,10000,",
                    "PO-4,\(authorization.id),2029-01-01,Dock,43211507,1,100,",
                ])
            )
            expectProblem(reply, .unprocessableContent, type: "validation-failed")
            let found = errors(reply)
            #expect(found.map(\.pointer) == ["/lines/5", "/lines/6/order_date"], "\(reply.text)")
            #expect(
                found.first?.detail == "line 5: purchase order PO-3: $200.00 exceeds the $100.00 the authorization still allows"
            )
            #expect(try await used(authorization.id) == 0)
            #expect(try await counts(scene.agency).records == 0)
        }
    }

    @Test func aPurchaseOrderAlreadyRegisteredIsRefused() async throws {
        try await withApp { client in
            let scene = try await Scene.make(client)
            let authorization = try await scene.authorize(client, amountCents: 1_000_000)
            let day = authorization.validFrom
            let registered = try await client.send(
                .post,
                "/v1/usage",
                token: scene.buyer,
                json: [
                    "authorizationId": authorization.id, "poNumber": "PO-77", "orderDate": day, "amountCents": 50_000,
                    "lines": [["description": "Laptop", "unspsc": "43211503", "quantity": 1, "unitPriceCents": 50_000]],
                ],
                headers: [HTTPField.Name("Idempotency-Key")!: UUID().uuidString]
            )
            #expect(registered.status == .created, "\(registered.text)")
            let reply = try await upload(
                client,
                scene,
                file([
                    "PO-76,\(authorization.id),\(day),Laptop,43211503,1,50000,",
                    "PO-77,\(authorization.id),\(day),Laptop,43211503,1,50000,",
                ])
            )
            expectProblem(reply, .unprocessableContent, type: "validation-failed")
            #expect(errors(reply).map(\.pointer) == ["/lines/3/po_number"])
            #expect(errors(reply).first?.detail.contains("PO-77 is already registered") == true)
            #expect(try await used(authorization.id) == 50_000)
        }
    }

    @Test func anotherAgencysAuthorizationIsRefused() async throws {
        try await withApp { client in
            let scene = try await Scene.make(client)
            let own = try await scene.authorize(client, amountCents: 1_000_000)
            let other = try await Scene.make(client)
            let foreign = try await other.authorize(client, amountCents: 1_000_000)
            let reply = try await upload(
                client,
                scene,
                file([
                    "PO-1,\(own.id),\(own.validFrom),Laptop,43211503,1,50000,",
                    "PO-2,\(foreign.id),\(foreign.validFrom),Laptop,43211503,1,50000,",
                ])
            )
            expectProblem(reply, .unprocessableContent, type: "validation-failed")
            #expect(errors(reply).map(\.pointer) == ["/lines/3/authorization_id"])
            #expect(try await used(foreign.id) == 0)
            #expect(try await used(own.id) == 0)
        }
    }

    @Test func onlyAgencyBuyersAndAdminsSendCSV() async throws {
        try await withApp { client in
            let scene = try await Scene.make(client)
            let authorization = try await scene.authorize(client, amountCents: 1_000_000)
            let body = file(["PO-1,\(authorization.id),\(authorization.validFrom),Laptop,43211503,1,50000,"])
            let json = try await client.send(.post, "/v1/usage/imports", token: scene.buyer, raw: body)
            expectProblem(json, .unsupportedMediaType, type: "unsupported-media-type")
            let plain = try await client.send(
                .post,
                "/v1/usage/imports",
                token: scene.buyer,
                raw: body,
                headers: [.contentType: "text/plain"]
            )
            expectProblem(plain, .unsupportedMediaType, type: "unsupported-media-type")
            // The cooperative does not import on an agency's behalf, and finance does not register purchases.
            expectProblem(
                try await client.send(.post, "/v1/usage/imports", raw: body, headers: Self.csv),
                .forbidden,
                type: "forbidden"
            )
            let finance = try await client.token(for: scene.agency, role: "agency-finance")
            expectProblem(
                try await client.send(.post, "/v1/usage/imports", token: finance, raw: body, headers: Self.csv),
                .forbidden,
                type: "forbidden"
            )
            expectProblem(
                try await client.send(.post, "/v1/usage/imports", token: nil, raw: body, headers: Self.csv),
                .unauthorized
            )
            #expect(try await counts(scene.agency).records == 0)

            let admin = try await client.token(for: scene.agency, role: "agency-admin")
            let accepted = try await client.send(.post, "/v1/usage/imports", token: admin, raw: body, headers: Self.csv)
            #expect(accepted.status == .created, "\(accepted.text)")
        }
    }

    @Test func aFileOverSixtyFourMebibytesIsRefused() async throws {
        try await withApp { client in
            let scene = try await Scene.make(client)
            let body = Self.header + "\n" + String(repeating: "x", count: 64 * 1024 * 1024)
            expectProblem(try await upload(client, scene, body), .contentTooLarge, type: "payload-too-large")
        }
    }

    @Test func anUploadBeyondTheServersImportSlotsIsAskedToComeBackAndReadsNothing() async throws {
        let slots = ImportSlots(limit: 1)
        try await withApp(importSlots: slots) { client in
            let scene = try await Scene.make(client)
            let authorization = try await scene.authorize(client, amountCents: 1_000_000)
            let good = file(["PO-1,\(authorization.id),\(authorization.validFrom),Laptop,43211503,1,50000,"])
            let bad = file(["PO-2,\(authorization.id),2026-02-30,Laptop,43211503,1,50000,"])

            // Another upload holds the only slot.
            #expect(slots.tryAcquire())
            let busy = try await upload(client, scene, good)
            expectProblem(busy, .serviceUnavailable, type: "imports-busy")
            #expect(busy.headers[.retryAfter] == "5")
            #expect(busy.string("detail")?.contains("at most 1 usage file at once") == true)
            #expect(try await counts(scene.agency).imports == 0)
            #expect(slots.inUse == 1)
            slots.release()

            // Each upload gives its slot back however it ends: refused, too large, imported, replayed.
            expectProblem(try await upload(client, scene, bad), .unprocessableContent, type: "validation-failed")
            #expect(slots.inUse == 0)
            let huge = Self.header + "\n" + String(repeating: "x", count: 64 * 1024 * 1024)
            expectProblem(try await upload(client, scene, huge), .contentTooLarge, type: "payload-too-large")
            #expect(slots.inUse == 0)
            #expect(try await upload(client, scene, good).status == .created)
            #expect(try await upload(client, scene, good).status == .ok)
            #expect(slots.inUse == 0)
            let imported = try await counts(scene.agency)
            #expect(imported.imports == 1 && imported.orders == 1 && imported.amount == 50000)
        }
    }

    @Test func aFileOfFiveThousandLinesImports() async throws {
        try await withApp { client in
            let scene = try await Scene.make(client)
            let authorization = try await scene.authorize(client, amountCents: 500_000_000)
            var rows: [String] = []
            var total = 0
            for order in 0..<1_000 {
                for line in 0..<5 {
                    let price = 1_000 + order + line * 7
                    total += 3 * price
                    rows.append(
                        "PO-\(order),\(authorization.id),\(authorization.validFrom),\"Item \(line), box of 3\",43211507,3,\(price),"
                    )
                }
            }
            let reply = try await upload(client, scene, file(rows), query: "?fileName=bulk.csv")
            #expect(reply.status == .created, "\(reply.text.prefix(500))")
            #expect(reply.json["orderCount"] as? Int == 1_000)
            #expect(reply.json["lineCount"] as? Int == 5_000)
            #expect(reply.json["totalCents"] as? Int == total)
            #expect(try await used(authorization.id) == total)
            let after = try await counts(scene.agency)
            #expect(after.amount == total && after.orders == 1_000 && after.records == 1_000)
        }
    }

    /// A file of more orders than one chunk (the writer sends 5,000 at a time) is still one import: every
    /// order, one audit event and the aggregates of all of them; a purchase order already registered in its
    /// last chunk refuses the whole file.
    @Test func aFileOfMoreOrdersThanOneChunkIsWrittenWholeOrNotAtAll() async throws {
        try await withApp { client in
            let scene = try await Scene.make(client)
            let even = try await scene.authorize(client, amountCents: 5_000_000_000)
            let odd = try await scene.authorize(client, amountCents: 5_000_000_000)
            let day = try #require(LocalDate(iso8601: even.validFrom))
            let nextMonth = day.adding(days: 31)
            let orders = 12_001
            func row(_ order: Int, po: String) -> String {
                "\(po),\(order % 2 == 0 ? even.id : odd.id),\(order % 3 == 0 ? nextMonth : day),Cable,43211507,1,\(1_000 + order),"
            }
            let body = file((0..<orders).map { row($0, po: "PO-\($0)") })
            let amounts = (0..<orders).map { 1_000 + $0 }
            func total(_ include: (Int) -> Bool) -> Int { (0..<orders).filter(include).reduce(0) { $0 + amounts[$1] } }

            let reply = try await upload(client, scene, body)
            #expect(reply.status == .created, "\(reply.text.prefix(500))")
            #expect(reply.json["orderCount"] as? Int == orders)
            #expect(try await used(even.id) == total { $0 % 2 == 0 })
            #expect(try await used(odd.id) == total { $0 % 2 == 1 })
            let after = try await counts(scene.agency)
            #expect(after.records == orders && after.orders == orders && after.amount == total { _ in true })
            let (months, events) = try await Fixtures.admin { connection in
                let tenant = UUID(uuidString: scene.agency)!
                let months = try await connection.query(
                    """
                    SELECT amount_cents::bigint, order_count::bigint FROM agreement_rollup
                    WHERE agreement_id = \(UUID(uuidString: scene.agreement)!) AND period = 'month' ORDER BY period_start
                    """,
                    logger: TestDatabase.logger
                ).decode((Int, Int).self).array()
                let events = try await connection.query(
                    "SELECT count(*)::bigint FROM audit_event WHERE tenant_id = \(tenant) AND action = 'usage.imported'",
                    logger: TestDatabase.logger
                ).decode(Int.self).array().first
                return (months.map { [$0.0, $0.1] }, events)
            }
            let laterOrders = (0..<orders).filter { $0 % 3 == 0 }.count
            #expect(
                months == [[total { $0 % 3 != 0 }, orders - laterOrders], [total { $0 % 3 == 0 }, laterOrders]],
                "the agreement's monthly rollups"
            )
            #expect(events == 1)

            // Another file whose last order (in its third chunk) repeats a purchase order of the first.
            let repeated = file((0..<orders).map { row($0, po: $0 == orders - 1 ? "PO-7" : "PO-B\($0)") })
            let refused = try await upload(client, scene, repeated)
            expectProblem(refused, .unprocessableContent, type: "validation-failed")
            #expect(errors(refused).map(\.pointer) == ["/lines/\(orders + 1)/po_number"], "\(refused.text.prefix(500))")
            // And one whose first order repeats one: the chunks queued behind the refused one change nothing, and
            // the refusal names the first chunk's error, not theirs (the aborted transaction's).
            let early = file((0..<orders).map { row($0, po: $0 == 0 ? "PO-7" : "PO-C\($0)") })
            let refusedEarly = try await upload(client, scene, early)
            expectProblem(refusedEarly, .unprocessableContent, type: "validation-failed")
            #expect(errors(refusedEarly).map(\.pointer) == ["/lines/2/po_number"], "\(refusedEarly.text.prefix(500))")
            #expect(try await used(even.id) == total { $0 % 2 == 0 })
            let unchanged = try await counts(scene.agency)
            #expect(unchanged.records == orders && unchanged.amount == after.amount && unchanged.imports == 1)
        }
    }

    /// The database checks each chunk again as it writes it (the writer checks the file first): a chunk that
    /// no longer fits once the chunks before it are counted is refused, and an import cannot be finished
    /// without orders.
    @Test func theDatabaseRefusesAChunkBeyondTheAuthorization() async throws {
        try await withApp { client in
            let scene = try await Scene.make(client)
            let authorization = try await scene.authorize(client, amountCents: 100_000)
            let id = try #require(UUID(uuidString: authorization.id))
            let tenant = try #require(UUID(uuidString: scene.agency))
            /// Writes one chunk per amount and finishes the import, then rolls back; what the database answered.
            func outcome(_ amounts: [Int]) async -> String {
                do {
                    try await Fixtures.asAgency(scene.agency) { connection in
                        let importID = UUID()
                        try await connection.query(
                            """
                            INSERT INTO usage_import (tenant_id, id, file_digest, order_count, line_count, total_cents)
                            VALUES (\(tenant), \(importID), \(importID.uuidString), 1, 1, 1)
                            """,
                            logger: TestDatabase.logger
                        )
                        let line = #"[{"description": "Cable", "unspsc": "43211507", "quantity": 1, "unitPriceCents": 1}]"#
                        for amount in amounts {
                            _ = try await connection.query(
                                """
                                SELECT usage_import_orders(\(tenant), \(importID), NULL, ARRAY[\(UUID())]::uuid[],
                                                           ARRAY[\(id)]::uuid[], ARRAY[\("PO-\(UUID())")],
                                                           ARRAY[\(authorization.validFrom)::date], ARRAY[\(amount)]::bigint[],
                                                           ARRAY[0]::bigint[], ARRAY[0]::bigint[], ARRAY[\(line)])
                                """,
                                logger: TestDatabase.logger
                            ).collect()
                        }
                        _ = try await connection.query(
                            """
                            SELECT usage_import_finish(\(tenant), NULL, 'agency-buyer', 'usage.imported', 'usage-import',
                                                       \(importID.uuidString), 'x')
                            """,
                            logger: TestDatabase.logger
                        ).collect()
                        throw CancellationError()  // written: roll it back
                    }
                    return "no error"
                } catch let error as PostgresTransactionError {
                    if error.closureError is CancellationError { return "written" }
                    let info = (error.closureError as? PSQLError)?.serverInfo
                    return [info?[.sqlState], info?[.constraintName]].compactMap { $0 }.joined(separator: " ")
                } catch {
                    return "\(error)"
                }
            }
            #expect(await outcome([60_000, 40_000]) == "written", "two chunks that fit together")
            #expect(await outcome([60_000, 40_001]) == "23514 usage_authorization_limits")
            #expect(await outcome([]) == "55000")
            #expect(try await used(authorization.id) == 0)
        }
    }
}
