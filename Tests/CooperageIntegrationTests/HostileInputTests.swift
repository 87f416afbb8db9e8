import Foundation
import HTTPTypes
import Testing

/// Every write route, and every field of its body, against the inputs that once crashed the server or answered
/// 500: control characters in text, numbers that are not 64-bit integers or pass every bound, dates far outside
/// any purchase, duplicate member names, broken encodings and wrong media types. Table-driven: each route gives
/// one valid body, and every leaf of it is spoiled in turn. The answer must always be a 4xx problem.
@Suite struct HostileInputTests {
    /// A write route with a body that is valid as it stands.
    struct Route: @unchecked Sendable {
        var method: HTTPRequest.Method
        var path: String
        var token: String
        var body: [String: Any]
        var needsIdempotencyKey = false
    }

    /// A spoiled value for a leaf of a body, as raw JSON text, and whether the answer must name that leaf.
    struct Spoil: Sendable {
        var name: String
        var json: String
        var namesTheField: Bool
    }

    static let textSpoils = [
        Spoil(name: "NUL", json: #""a\u0000b""#, namesTheField: true),
        Spoil(name: "bell", json: #""a\u0007b""#, namesTheField: true),
        Spoil(name: "C1 control", json: #""a\u0085b""#, namesTheField: true),
    ]
    static let numberSpoils = [
        Spoil(name: "fraction", json: "1.5", namesTheField: true),
        Spoil(name: "exponent", json: "1e20", namesTheField: true),
        Spoil(name: "past Int64", json: "9223372036854775808", namesTheField: true),
        Spoil(name: "huge double", json: "1e308", namesTheField: true),
        Spoil(name: "Int64 max", json: "9223372036854775807", namesTheField: false),
        Spoil(name: "Int64 min", json: "-9223372036854775808", namesTheField: false),
        Spoil(name: "past the money bound", json: "10000000000000001", namesTheField: false),
    ]
    static let dateSpoils = [
        Spoil(name: "year 1", json: #""0001-01-01""#, namesTheField: true),
        Spoil(name: "year 9999", json: #""9999-12-31""#, namesTheField: true),
        Spoil(name: "year 1899", json: #""1899-12-31""#, namesTheField: true),
    ]

    @Test func everyFieldOfEveryWriteRouteRefusesHostileValuesWithAProblem() async throws {
        try await withApp { client in
            let routes = try await Self.routes(client)
            var checked = 0
            for route in routes {
                // The body as it stands is accepted: the spoils below are what is refused.
                let valid = try await Self.send(client, route, body: Self.json(route.body))
                #expect(valid.status.code < 300, "\(route.method) \(route.path) valid body: \(valid.text)")
                for (pointer, value) in Self.leaves(route.body, at: "") {
                    let spoils: [Spoil]
                    if value is String {
                        spoils = Self.textSpoils + (LocalDateLike.matches(value) ? Self.dateSpoils : [])
                    } else if value is Int {
                        spoils = Self.numberSpoils
                    } else {
                        continue
                    }
                    for spoil in spoils {
                        let text = Self.json(route.body, replacing: pointer, with: spoil.json)
                        let reply = try await Self.send(client, route, body: text)
                        let label = "\(route.method) \(route.path) \(pointer) = \(spoil.name)"
                        try Self.expectProblem(reply, label)
                        #expect(reply.status.code != 201 && reply.status.code != 200, "\(label) was accepted: \(reply.text)")
                        // A quantity may have decimals: 1.5 is a valid one, and only the total is then wrong.
                        if spoil.namesTheField && !(pointer.hasSuffix("/quantity") && spoil.name == "fraction") {
                            #expect(reply.pointers.contains(pointer), "\(label) should name \(pointer): \(reply.text)")
                        }
                        checked += 1
                    }
                }
                // Whole-body spoils.
                let good = Self.json(route.body)
                let firstKey = try #require(route.body.keys.sorted().first)
                let duplicate = "{\"\(firstKey)\":null," + good.dropFirst()
                for (name, bytes, contentType) in [
                    ("duplicate member", Array(duplicate.utf8), "application/json"),
                    ("invalid UTF-8", Array(good.utf8.dropLast()) + [0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D], "application/json"),
                    (
                        "lone surrogate",
                        Array(good.replacingOccurrences(of: "{", with: #"{"x\ud800":1,"#, options: .anchored).utf8),
                        "application/json"
                    ),
                    (
                        "deep nesting", Array((String(repeating: "[", count: 500) + String(repeating: "]", count: 500)).utf8),
                        "application/json"
                    ),
                    ("not JSON", Array("{".utf8), "application/json"),
                    ("JSON-like media type", Array(good.utf8), "application/jsonx"),
                    ("text media type", Array(good.utf8), "text/plain"),
                ] {
                    let reply = try await Self.send(client, route, bytes: bytes, contentType: contentType)
                    try Self.expectProblem(reply, "\(route.method) \(route.path) \(name)")
                    checked += 1
                }
            }
            #expect(checked > 300, "only \(checked) spoiled requests were sent")
        }
    }

    /// A family emoji is one character to Swift but seven code points to PostgreSQL's length(): 300 of them once
    /// passed a 300-character check and broke the table's CHECK, a 500. Lengths are counted in code points.
    @Test func lengthsAreCountedAsTheDatabaseCountsThem() async throws {
        try await withApp { client in
            let families = String(repeating: "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}", count: 300)
            let tenant = try await client.send(
                .post,
                "/v1/tenants",
                json: [
                    "legalName": families, "slug": "t-\(UUID().uuidString.prefix(8).lowercased())", "entityType": "city",
                    "state": "TX",
                ]
            )
            #expect(tenant.status == .unprocessableContent, "\(tenant.text)")
            #expect(tenant.pointers == ["/legalName"])
            let supplier = try await client.send(.post, "/v1/suppliers", json: ["name": families])
            #expect(supplier.status == .unprocessableContent, "\(supplier.text)")
            #expect(supplier.pointers == ["/name"])
        }
    }

    @Test func queryParametersWithControlCharactersOrBrokenEncodingsAreRefused() async throws {
        try await withApp { client in
            let paths = [
                "/v1/tenants", "/v1/suppliers", "/v1/solicitations", "/v1/agreements", "/v1/authorizations", "/v1/usage",
                "/v1/audit", "/v1/supplier-reports", "/v1/reports/buying-power", "/v1/policy-templates",
            ]
            for path in paths {
                for (name, query) in [
                    ("NUL", "q=a%00b"), ("newline", "from=2026-01%0A"), ("broken escape", "cursor=%zz"),
                    ("invalid UTF-8", "agreementId=%ff%fe"), ("NUL in a name", "a%00=1"),
                ] {
                    let reply = try await client.send(.get, "\(path)?\(query)")
                    #expect(reply.status == .badRequest, "\(path)?\(query) (\(name)): \(reply.text)")
                    try Self.expectProblem(reply, "\(path)?\(query)")
                }
            }
            // Dates in queries are held to the same years as in bodies.
            for query in ["to=9999-12", "from=0001-01", "to=1899-12", "from=2026-13"] {
                let reply = try await client.send(.get, "/v1/reports/buying-power?\(query)")
                #expect(reply.status == .badRequest, "\(query): \(reply.text)")
            }
        }
    }

    // MARK: Routes

    static func routes(_ client: TestClient) async throws -> [Route] {
        let scene = try await UsageScene.make(client, authorizedCents: 100_000_000)
        let admin = TestClient.adminToken
        let agencyAdmin = try await client.token(for: scene.agency, role: "agency-admin")
        let agreement = try await client.send(.get, "/v1/agreements/\(scene.agreement)")
        let supplier = try #require(agreement.string("supplierId")).lowercased()
        let lead = try #require(agreement.string("leadTenantId")).lowercased()
        let order = try await client.send(
            .post,
            "/v1/usage",
            token: scene.buyer,
            json: scene.order(po: "PO-HOSTILE-BASE"),
            headers: UsageScene.key()
        )
        let usage = try #require(order.string("id")).lowercased()
        // A pending authorization for the approval route: a council threshold the request passes.
        try await Fixtures.policy(
            tenant: scene.agency,
            rules:
                #"[{"type": "approval-threshold", "citation": "Council rule 1", "parameters": {"amountCents": 100, "approver": "city-council"}}]"#
        )
        let pending = try await client.send(
            .post,
            "/v1/authorizations",
            token: scene.buyer,
            json: [
                "agreementId": scene.agreement, "amountCents": 5_000, "purchaseDate": "2026-12-01", "category": "43211507",
                "purpose": "Monitors",
            ]
        )
        let pendingID = try #require(pending.string("id")).lowercased()
        let u = "{{unique}}"
        return [
            Route(
                method: .post,
                path: "/v1/tenants",
                token: admin,
                body: [
                    "legalName": "Hostile Town", "slug": "hostile-\(u)", "entityType": "city", "state": "TX",
                    "fiscalYearStartMonth": 7, "identifiers": ["ein": "74-1234567"],
                ]
            ),
            Route(method: .patch, path: "/v1/tenants/\(scene.agency)", token: admin, body: ["legalName": "Buyer City"]),
            Route(
                method: .post,
                path: "/v1/tenants/\(scene.agency)/tokens",
                token: admin,
                body: ["role": "agency-buyer", "name": "buyer \(u)"]
            ),
            Route(method: .post, path: "/v1/tokens", token: admin, body: ["role": "cooperative-finance", "name": "fin \(u)"]),
            Route(
                method: .post,
                path: "/v1/suppliers",
                token: admin,
                body: ["name": "Supplier \(u)", "identifiers": ["ein": "74-7654321"]]
            ),
            Route(method: .patch, path: "/v1/suppliers/\(supplier)", token: admin, body: ["name": "Acme Computing"]),
            Route(
                method: .post,
                path: "/v1/solicitations",
                token: admin,
                body: [
                    "leadTenantId": lead, "number": "RFP-\(u)", "title": "Products", "method": "rfp",
                    "advertisedWhere": "Portal", "advertisedOn": "2025-09-01", "cooperativeLanguageInSolicitation": true,
                    "cooperativeLanguageInContract": true, "awardBasis": "best-value", "awardDate": "2025-12-01",
                ]
            ),
            Route(
                method: .post,
                path: "/v1/agreements",
                token: admin,
                body: [
                    "number": "MA-\(u)", "title": "Computers", "leadTenantId": lead,
                    "solicitationId": try #require(agreement.string("solicitationId")).lowercased(), "supplierId": supplier,
                    "categories": ["43210000"], "effectiveOn": "2026-01-01", "expiresOn": "2028-12-31",
                    "adminFeeBasisPoints": 200, "ceilingCents": 500_000_000,
                    "priceTiers": [["minVolumeCents": 0, "discountBasisPoints": 0]],
                ]
            ),
            Route(
                method: .patch,
                path: "/v1/agreements/\(scene.agreement)",
                token: admin,
                body: ["title": "Computers and peripherals", "ceilingCents": 900_000_000_000]
            ),
            Route(
                method: .post,
                path: "/v1/tenants/\(scene.agency)/participations",
                token: admin,
                body: [
                    "kind": "interlocal-agreement", "resolutionNumber": "R-\(u)", "resolutionDate": "2026-01-13",
                    "effectiveOn": "2026-01-15", "terminationNoticeDays": 30,
                ]
            ),
            Route(
                method: .put,
                path: "/v1/tenants/\(scene.agency)/policy",
                token: agencyAdmin,
                body: [
                    "rules": [
                        [
                            "type": "approval-threshold", "citation": "Council rule 1",
                            "parameters": ["amountCents": 5_000_000, "approver": "city-council"],
                        ]
                    ]
                ]
            ),
            Route(
                method: .post,
                path: "/v1/authorizations",
                token: scene.buyer,
                body: [
                    "agreementId": scene.agreement, "amountCents": 7_000, "purchaseDate": "2026-12-01", "category": "43211507",
                    "purpose": "Laptops \(u)", "fundingLines": [["source": "local", "amountCents": 7_000]],
                ]
            ),
            Route(
                method: .post,
                path: "/v1/authorizations/\(pendingID)/approvals",
                token: agencyAdmin,
                body: ["ruleIndex": 0, "resolutionNumber": "R-\(u)", "resolutionDate": "2026-11-24"]
            ),
            Route(
                method: .post,
                path: "/v1/usage",
                token: scene.buyer,
                body: [
                    "authorizationId": scene.authorization, "poNumber": "PO-\(u)", "orderDate": "2026-12-02",
                    "amountCents": 200,
                    "lines": [
                        [
                            "description": "Cable", "unspsc": "43211503", "quantity": 2, "unitPriceCents": 100,
                            "listPriceCents": 150,
                        ]
                    ],
                ],
                needsIdempotencyKey: true
            ),
            Route(
                method: .post,
                path: "/v1/usage/\(usage)/reversal",
                token: scene.buyer,
                body: ["amountCents": 1, "reason": "returned \(u)"],
                needsIdempotencyKey: true
            ),
            Route(
                method: .post,
                path: "/v1/supplier-reports",
                token: admin,
                body: [
                    "agreementId": scene.agreement, "year": 2026, "quarter": 4,
                    "lines": [
                        [
                            "agencyName": "Buyer City \(u)", "cooperativeNumber": "C-1", "invoiceDate": "2026-12-05",
                            "amountCents": 100, "feeCents": 2,
                        ]
                    ],
                ]
            ),
        ]
    }

    // MARK: Helpers

    static func send(_ client: TestClient, _ route: Route, body: String) async throws -> TestClient.Reply {
        try await send(client, route, bytes: Array(body.utf8), contentType: "application/json")
    }

    static func send(_ client: TestClient, _ route: Route, bytes: [UInt8], contentType: String) async throws
        -> TestClient.Reply
    {
        var headers: HTTPFields = [.contentType: contentType]
        if route.needsIdempotencyKey { headers[HTTPField.Name("Idempotency-Key")!] = UUID().uuidString }
        let unique = UUID().uuidString.lowercased().prefix(12)
        let text = String(decoding: bytes, as: UTF8.self)
        // Only a body that is valid UTF-8 has its placeholders filled; broken ones are sent byte for byte.
        let body = Array(text.utf8) == bytes ? Array(text.replacingOccurrences(of: "{{unique}}", with: unique).utf8) : bytes
        return try await client.send(route.method, route.path, token: route.token, bytes: body, headers: headers)
    }

    static func expectProblem(_ reply: TestClient.Reply, _ label: String) throws {
        #expect((400..<500).contains(reply.status.code), "\(label): \(reply.status.code) \(reply.text)")
        #expect(reply.headers[.contentType] == "application/problem+json", "\(label): not problem+json")
        #expect(reply.problemType != nil && reply.string("detail") != nil, "\(label): \(reply.text)")
    }

    /// Every scalar of `value` with its JSON pointer.
    static func leaves(_ value: Any, at pointer: String) -> [(String, Any)] {
        if let object = value as? [String: Any] {
            return object.sorted { $0.key < $1.key }.flatMap { leaves($0.value, at: pointer + "/" + $0.key) }
        }
        if let array = value as? [Any] {
            return array.enumerated().flatMap { leaves($0.element, at: pointer + "/\($0.offset)") }
        }
        return [(pointer, value)]
    }

    /// The body as JSON text, with the leaf at `target` written as `replacement` (raw JSON).
    static func json(_ value: Any, replacing target: String? = nil, with replacement: String = "", at pointer: String = "")
        -> String
    {
        if pointer == target { return replacement }
        if let object = value as? [String: Any] {
            let members = object.sorted { $0.key < $1.key }.map { key, member in
                "\"\(key)\":" + json(member, replacing: target, with: replacement, at: pointer + "/" + key)
            }
            return "{" + members.joined(separator: ",") + "}"
        }
        if let array = value as? [Any] {
            let elements = array.enumerated().map {
                json($0.element, replacing: target, with: replacement, at: pointer + "/\($0.offset)")
            }
            return "[" + elements.joined(separator: ",") + "]"
        }
        if let text = value as? String { return "\"\(text)\"" }
        if let flag = value as? Bool { return flag ? "true" : "false" }
        if let number = value as? Int { return String(number) }
        return "null"
    }
}

/// Text shaped like `yyyy-MM-dd`.
enum LocalDateLike {
    static func matches(_ value: Any) -> Bool {
        guard let text = value as? String else { return false }
        return text.count == 10
            && text.enumerated().allSatisfy { index, character in
                index == 4 || index == 7 ? character == "-" : character.isNumber
            }
    }
}
