import Foundation
import HTTPTypes
import Testing

/// `/v1/tenants` over HTTP: the registry, its validation, its errors and who may use it.
@Suite struct TenantAPITests {
    // MARK: Create

    @Test func createAnswers201WithLocationAndDefaults() async throws {
        try await withApp { client in
            let slug = uniqueSlug()
            let reply = try await client.send(
                .post,
                "/v1/tenants",
                json: [
                    "legalName": "City of Round Rock", "slug": slug, "entityType": "city", "state": "TX",
                    "identifiers": ["ein": "74-6000000", "cooperativeNumber": "RR-1"],
                ]
            )
            #expect(reply.status == .created, "\(reply.text)")
            let id = try #require(reply.string("id"))
            #expect(UUID(uuidString: id) != nil)
            // The Location spells the UUID in lowercase, the body in uppercase: compare them as UUIDs.
            #expect(reply.headers[.location]?.lowercased() == "/v1/tenants/\(id.lowercased())")
            #expect(reply.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(reply.string("legalName") == "City of Round Rock")
            #expect(reply.string("slug") == slug)
            #expect(reply.string("entityType") == "city")
            #expect(reply.string("state") == "TX")
            #expect(reply.json["fiscalYearStartMonth"] as? Int == 7)
            #expect(reply.string("status") == "active")
            #expect(reply.json["parentId"] == nil || reply.json["parentId"] is NSNull)
            let identifiers = reply.json["identifiers"] as? [String: Any]
            #expect(identifiers?["ein"] as? String == "74-6000000")
            #expect(identifiers?["cooperativeNumber"] as? String == "RR-1")
            #expect(reply.string("createdAt") != nil)
            #expect(reply.string("updatedAt") != nil)

            // The Location answers with the same tenant.
            let fetched = try await client.send(.get, try #require(reply.headers[.location]))
            #expect(fetched.status == .ok)
            #expect(fetched.string("id") == id)
            #expect(fetched.string("slug") == slug)
        }
    }

    @Test func createKeepsExplicitValues() async throws {
        try await withApp { client in
            let parent = try await client.createTenant(state: "CA", entityType: "county")
            let slug = uniqueSlug()
            let reply = try await client.send(
                .post,
                "/v1/tenants",
                json: [
                    "legalName": "Unified School District", "slug": slug, "entityType": "k12", "state": "CA",
                    "parentId": parent, "fiscalYearStartMonth": 1, "status": "pending",
                    "identifiers": ["samUei": "ABCDEFGHJKLM"],
                ]
            )
            #expect(reply.status == .created, "\(reply.text)")
            #expect(reply.string("entityType") == "k12")
            #expect(reply.string("state") == "CA")
            #expect(reply.string("parentId") == parent)
            #expect(reply.json["fiscalYearStartMonth"] as? Int == 1)
            #expect(reply.string("status") == "pending")
            #expect((reply.json["identifiers"] as? [String: Any])?["samUei"] as? String == "ABCDEFGHJKLM")
        }
    }

    @Test func duplicateSlugIsAConflictOnTheSlug() async throws {
        try await withApp { client in
            let slug = uniqueSlug()
            let body: [String: Any] = ["legalName": "First", "slug": slug, "entityType": "city", "state": "OH"]
            let first = try await client.send(.post, "/v1/tenants", json: body)
            #expect(first.status == .created)
            let second = try await client.send(.post, "/v1/tenants", json: body)
            expectProblem(second, .conflict, type: "conflict", pointer: "/slug")

            // Renaming another tenant onto a used slug is the same conflict.
            let other = try await client.createTenant()
            let patch = try await client.send(.patch, "/v1/tenants/\(other)", json: ["slug": slug])
            expectProblem(patch, .conflict, type: "conflict", pointer: "/slug")
        }
    }

    /// One invalid create body and the field its 422 must name.
    struct InvalidBody: Sendable, CustomTestStringConvertible {
        let label: String
        let members: String
        let pointer: String
        var testDescription: String { label }
    }

    static let invalidBodies: [InvalidBody] = [
        .init(
            label: "unknown entityType",
            members: #""legalName":"X","entityType":"village","state":"TX""#,
            pointer: "/entityType"
        ),
        .init(label: "unknown state", members: #""legalName":"X","entityType":"city","state":"ZZ""#, pointer: "/state"),
        .init(label: "lowercase state", members: #""legalName":"X","entityType":"city","state":"tx""#, pointer: "/state"),
        .init(label: "missing legalName", members: #""entityType":"city","state":"TX""#, pointer: "/legalName"),
        .init(label: "blank legalName", members: #""legalName":"   ","entityType":"city","state":"TX""#, pointer: "/legalName"),
        .init(
            label: "legalName of the wrong type",
            members: #""legalName":42,"entityType":"city","state":"TX""#,
            pointer: "/legalName"
        ),
        .init(
            label: "fiscalYearStartMonth as text",
            members: #""legalName":"X","entityType":"city","state":"TX","fiscalYearStartMonth":"seven""#,
            pointer: "/fiscalYearStartMonth"
        ),
        .init(
            label: "fiscalYearStartMonth 13",
            members: #""legalName":"X","entityType":"city","state":"TX","fiscalYearStartMonth":13"#,
            pointer: "/fiscalYearStartMonth"
        ),
        .init(
            label: "fiscalYearStartMonth 0",
            members: #""legalName":"X","entityType":"city","state":"TX","fiscalYearStartMonth":0"#,
            pointer: "/fiscalYearStartMonth"
        ),
        .init(
            label: "bad EIN",
            members: #""legalName":"X","entityType":"city","state":"TX","identifiers":{"ein":"123456789"}"#,
            pointer: "/identifiers/ein"
        ),
        .init(
            label: "bad SAM UEI",
            members: #""legalName":"X","entityType":"city","state":"TX","identifiers":{"samUei":"OOOOOOOOOOOO"}"#,
            pointer: "/identifiers/samUei"
        ),
        .init(
            label: "unknown field",
            members: #""legalName":"X","entityType":"city","state":"TX","colour":"blue""#,
            pointer: "/colour"
        ),
        .init(
            label: "new tenant suspended",
            members: #""legalName":"X","entityType":"city","state":"TX","status":"suspended""#,
            pointer: "/status"
        ),
        .init(
            label: "parentId not a UUID",
            members: #""legalName":"X","entityType":"city","state":"TX","parentId":"nope""#,
            pointer: "/parentId"
        ),
        .init(
            label: "unknown parent",
            members: #""legalName":"X","entityType":"city","state":"TX","parentId":"6f1d1f52-0000-4000-8000-000000000000""#,
            pointer: "/parentId"
        ),
    ]

    @Test(arguments: invalidBodies) func createRefusesInvalidBodies(_ invalid: InvalidBody) async throws {
        try await withApp { client in
            let slug = uniqueSlug()
            let raw = "{\"slug\":\"\(slug)\",\(invalid.members)}"
            let reply = try await client.send(.post, "/v1/tenants", raw: raw)
            expectProblem(reply, .unprocessableContent, type: "validation-failed", pointer: invalid.pointer)
            // Nothing was created under that slug.
            let created = try await allTenants(client).contains { $0["slug"] as? String == slug }
            #expect(!created)
        }
    }

    @Test func badSlugIsRefused() async throws {
        try await withApp { client in
            for slug in ["Has Caps", "trailing-", "double--hyphen", "", String(repeating: "a", count: 101)] {
                let reply = try await client.send(
                    .post,
                    "/v1/tenants",
                    json: ["legalName": "X", "slug": slug, "entityType": "city", "state": "TX"]
                )
                expectProblem(reply, .unprocessableContent, type: "validation-failed", pointer: "/slug")
            }
        }
    }

    @Test func malformedOversizedAndMistypedBodiesAreClientErrors() async throws {
        try await withApp { client in
            let malformed = try await client.send(.post, "/v1/tenants", raw: #"{"legalName": "X", "slug": "#)
            expectProblem(malformed, .badRequest, type: "malformed-json")

            let notAnObject = try await client.send(.post, "/v1/tenants", raw: "[1, 2]")
            expectProblem(notAnObject, .unprocessableContent, type: "validation-failed")

            let empty = try await client.send(.post, "/v1/tenants", raw: "")
            #expect(empty.status.code >= 400 && empty.status.code < 500)
            expectProblem(empty, empty.status)

            let filler = String(repeating: "x", count: 1024 * 1024 + 16)
            let oversized = try await client.send(
                .post,
                "/v1/tenants",
                raw: #"{"legalName":"\#(filler)","slug":"\#(uniqueSlug())","entityType":"city","state":"TX"}"#
            )
            expectProblem(oversized, .contentTooLarge, type: "payload-too-large")

            let plainText = try await client.send(
                .post,
                "/v1/tenants",
                raw: #"{"legalName":"X","slug":"\#(uniqueSlug())","entityType":"city","state":"TX"}"#,
                headers: [.contentType: "text/plain"]
            )
            expectProblem(plainText, .unsupportedMediaType, type: "unsupported-media-type")
        }
    }

    // MARK: Read and list

    @Test func pathIdsMustBeUUIDsOfExistingTenants() async throws {
        try await withApp { client in
            for (method, path) in [
                (HTTPRequest.Method.get, "/v1/tenants/not-a-uuid"), (.patch, "/v1/tenants/12345"),
                (.post, "/v1/tenants/xyz/suspend"), (.post, "/v1/tenants/xyz/reactivate"),
            ] {
                let reply = try await client.send(method, path, json: method == .patch ? ["legalName": "X"] : nil)
                expectProblem(reply, .badRequest, type: "bad-request")
            }
            let unknown = UUID().uuidString.lowercased()
            for (method, path) in [
                (HTTPRequest.Method.get, "/v1/tenants/\(unknown)"), (.patch, "/v1/tenants/\(unknown)"),
                (.post, "/v1/tenants/\(unknown)/suspend"), (.post, "/v1/tenants/\(unknown)/reactivate"),
            ] {
                let reply = try await client.send(method, path, json: method == .patch ? ["legalName": "X"] : nil)
                expectProblem(reply, .notFound, type: "not-found")
            }
        }
    }

    @Test func listPagesThroughEveryTenantExactlyOnce() async throws {
        try await withApp { client in
            var mine: [String] = []
            for _ in 0..<3 { mine.append(try await client.createTenant()) }
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let reply = try await client.send(.get, "/v1/tenants?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
                try #require(reply.status == .ok, "\(reply.text)")
                let items = try #require(reply.json["items"] as? [[String: Any]])
                #expect(items.count <= 2)
                seen += items.compactMap { $0["id"] as? String }
                cursor = reply.json["nextCursor"] as? String
                if cursor != nil { #expect(items.count == 2) }
                pages += 1
            } while cursor != nil && pages < 100_000
            #expect(pages >= 2)
            #expect(Set(seen).count == seen.count, "a tenant appeared on two pages")
            for id in mine { #expect(seen.filter { $0 == id }.count == 1) }
            // Creation order: ours appear in the order they were made.
            let positions = mine.compactMap { seen.firstIndex(of: $0) }
            #expect(positions == positions.sorted())
        }
    }

    /// The OpenAPI document marks `nextCursor` as required (string or null), and the page's
    /// documentation says it is null on the last page: the member must be there.
    @Test func lastPageCarriesANullNextCursor() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let token = try await client.token(for: tenant, role: "agency-buyer")
            // An agency sees a single tenant: its one page is the last.
            let reply = try await client.send(.get, "/v1/tenants", token: token)
            #expect(reply.status == .ok)
            #expect(reply.json.keys.contains("nextCursor"), "body: \(reply.text)")
            #expect(reply.json["nextCursor"] is NSNull)
        }
    }

    @Test func listRejectsBadQueryParameters() async throws {
        try await withApp { client in
            for query in ["limit=0", "limit=abc", "limit=201", "limit=-1", "cursor=abc", "cursor=0", "status=sleeping"] {
                let reply = try await client.send(.get, "/v1/tenants?\(query)")
                expectProblem(reply, .badRequest, type: "bad-request")
            }
            let fine = try await client.send(.get, "/v1/tenants?limit=200")
            #expect(fine.status == .ok)
        }
    }

    // MARK: Update

    @Test func patchChangesFieldsParentAndIdentifiers() async throws {
        try await withApp { client in
            let parent = try await client.createTenant(entityType: "county")
            let child = try await client.createTenant()
            let before = try await client.send(.get, "/v1/tenants/\(child)")
            let slug = try #require(before.string("slug"))

            let renamed = try await client.send(.patch, "/v1/tenants/\(child)", json: ["legalName": "Renamed City"])
            #expect(renamed.status == .ok, "\(renamed.text)")
            #expect(renamed.string("legalName") == "Renamed City")
            #expect(renamed.string("slug") == slug)
            #expect(renamed.string("entityType") == "city")

            let adopted = try await client.send(.patch, "/v1/tenants/\(child)", json: ["parentId": parent])
            #expect(adopted.status == .ok, "\(adopted.text)")
            #expect(adopted.string("parentId") == parent)
            #expect(try await client.send(.get, "/v1/tenants/\(child)").string("parentId") == parent)

            // A patch that leaves parentId out keeps it.
            let other = try await client.send(.patch, "/v1/tenants/\(child)", json: ["fiscalYearStartMonth": 10])
            #expect(other.json["fiscalYearStartMonth"] as? Int == 10)
            #expect(other.string("parentId") == parent)

            let orphaned = try await client.send(.patch, "/v1/tenants/\(child)", json: ["parentId": NSNull()])
            #expect(orphaned.status == .ok, "\(orphaned.text)")
            #expect(orphaned.json["parentId"] == nil || orphaned.json["parentId"] is NSNull)
            let fetched = try await client.send(.get, "/v1/tenants/\(child)")
            #expect(fetched.json["parentId"] == nil || fetched.json["parentId"] is NSNull)
            #expect(fetched.string("legalName") == "Renamed City")

            let identified = try await client.send(
                .patch,
                "/v1/tenants/\(child)",
                json: ["identifiers": ["ein": "12-3456789", "samUei": "ABCDEFGHJKLM", "cooperativeNumber": "C-42"]]
            )
            #expect(identified.status == .ok, "\(identified.text)")
            let identifiers = identified.json["identifiers"] as? [String: Any]
            #expect(identifiers?["ein"] as? String == "12-3456789")
            #expect(identifiers?["samUei"] as? String == "ABCDEFGHJKLM")
            #expect(identifiers?["cooperativeNumber"] as? String == "C-42")

            // Clearing one identifier keeps the others.
            let cleared = try await client.send(.patch, "/v1/tenants/\(child)", json: ["identifiers": ["ein": NSNull()]])
            let remaining = cleared.json["identifiers"] as? [String: Any]
            #expect(remaining?["ein"] == nil || remaining?["ein"] is NSNull)
            #expect(remaining?["samUei"] as? String == "ABCDEFGHJKLM")
            #expect(remaining?["cooperativeNumber"] as? String == "C-42")
        }
    }

    @Test func patchAcceptsMergePatchMediaType() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let reply = try await client.send(
                .patch,
                "/v1/tenants/\(tenant)",
                raw: #"{"state":"NM","entityType":"special-district"}"#,
                headers: [.contentType: "application/merge-patch+json"]
            )
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.string("state") == "NM")
            #expect(reply.string("entityType") == "special-district")
        }
    }

    @Test func patchRefusesParentCyclesAndUnknownParents() async throws {
        try await withApp { client in
            let a = try await client.createTenant()
            let b = try await client.createTenant()
            let c = try await client.createTenant()

            let own = try await client.send(.patch, "/v1/tenants/\(a)", json: ["parentId": a])
            expectProblem(own, .unprocessableContent, type: "validation-failed", pointer: "/parentId")

            let aUnderB = try await client.send(.patch, "/v1/tenants/\(a)", json: ["parentId": b])
            #expect(aUnderB.status == .ok)
            let cycle = try await client.send(.patch, "/v1/tenants/\(b)", json: ["parentId": a])
            expectProblem(cycle, .unprocessableContent, type: "validation-failed", pointer: "/parentId")

            // A longer loop: a -> b -> c, then c under a.
            let bUnderC = try await client.send(.patch, "/v1/tenants/\(b)", json: ["parentId": c])
            #expect(bUnderC.status == .ok)
            let longCycle = try await client.send(.patch, "/v1/tenants/\(c)", json: ["parentId": a])
            expectProblem(longCycle, .unprocessableContent, type: "validation-failed", pointer: "/parentId")

            let unknown = try await client.send(.patch, "/v1/tenants/\(c)", json: ["parentId": UUID().uuidString])
            expectProblem(unknown, .unprocessableContent, type: "validation-failed", pointer: "/parentId")

            // The refused patches changed nothing.
            #expect(try await client.send(.get, "/v1/tenants/\(b)").string("parentId") == c)
            let cNow = try await client.send(.get, "/v1/tenants/\(c)").json["parentId"]
            #expect(cNow == nil || cNow is NSNull)
        }
    }

    @Test func patchValidatesLikeCreate() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let cases: [(String, String)] = [
                (#"{"fiscalYearStartMonth":13}"#, "/fiscalYearStartMonth"),
                (#"{"fiscalYearStartMonth":"seven"}"#, "/fiscalYearStartMonth"),
                (#"{"state":"ZZ"}"#, "/state"),
                (#"{"entityType":"village"}"#, "/entityType"),
                (#"{"identifiers":{"ein":"12-345"}}"#, "/identifiers/ein"),
                (#"{"legalName":""}"#, "/legalName"),
                (#"{"slug":"Not A Slug"}"#, "/slug"),
                (#"{"status":"suspended"}"#, "/status"),
                (#"{"colour":"red"}"#, "/colour"),
            ]
            for (raw, pointer) in cases {
                let reply = try await client.send(.patch, "/v1/tenants/\(tenant)", raw: raw)
                expectProblem(reply, .unprocessableContent, type: "validation-failed", pointer: pointer)
            }
            let malformed = try await client.send(.patch, "/v1/tenants/\(tenant)", raw: "{")
            expectProblem(malformed, .badRequest, type: "malformed-json")
            let unchanged = try await client.send(.get, "/v1/tenants/\(tenant)")
            #expect(unchanged.string("state") == "TX")
            #expect(unchanged.string("status") == "active")
            #expect(unchanged.json["fiscalYearStartMonth"] as? Int == 7)
        }
    }

    // MARK: Status

    @Test func suspendAndReactivateChangeTheStatus() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let suspended = try await client.send(.post, "/v1/tenants/\(tenant)/suspend")
            #expect(suspended.status == .ok, "\(suspended.text)")
            #expect(suspended.string("status") == "suspended")
            #expect(try await client.send(.get, "/v1/tenants/\(tenant)").string("status") == "suspended")

            let listed = try await allTenants(client, query: "status=suspended")
            #expect(listed.contains { $0["id"] as? String == tenant })
            #expect(listed.allSatisfy { $0["status"] as? String == "suspended" })

            // Suspending twice is harmless.
            #expect(try await client.send(.post, "/v1/tenants/\(tenant)/suspend").string("status") == "suspended")

            let reactivated = try await client.send(.post, "/v1/tenants/\(tenant)/reactivate")
            #expect(reactivated.status == .ok)
            #expect(reactivated.string("status") == "active")
            #expect(try await client.send(.get, "/v1/tenants/\(tenant)").string("status") == "active")
        }
    }

    // MARK: Who may do what

    @Test func anAgencyTokenSeesOnlyItsOwnTenant() async throws {
        try await withApp { client in
            let mine = try await client.createTenant()
            let other = try await client.createTenant()
            let token = try await client.token(for: mine, role: "agency-admin")

            let own = try await client.send(.get, "/v1/tenants/\(mine)", token: token)
            #expect(own.status == .ok)
            #expect(own.string("id") == mine)

            let foreign = try await client.send(.get, "/v1/tenants/\(other)", token: token)
            expectProblem(foreign, .notFound, type: "not-found")
            // Not even whether an id exists leaks: an unknown one looks the same.
            let unknown = try await client.send(.get, "/v1/tenants/\(UUID().uuidString)", token: token)
            expectProblem(unknown, .notFound, type: "not-found")
            #expect(unknown.json["detail"] as? String == foreign.json["detail"] as? String)

            let listed = try await client.send(.get, "/v1/tenants?limit=200", token: token)
            #expect(listed.status == .ok)
            let ids = (listed.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(ids == [mine])

            let create = try await client.send(
                .post,
                "/v1/tenants",
                token: token,
                json: ["legalName": "X", "slug": uniqueSlug(), "entityType": "city", "state": "TX"]
            )
            expectProblem(create, .forbidden, type: "forbidden")

            let patchOwn = try await client.send(.patch, "/v1/tenants/\(mine)", token: token, json: ["legalName": "Mine now"])
            expectProblem(patchOwn, .forbidden, type: "forbidden")
            let patchOther = try await client.send(.patch, "/v1/tenants/\(other)", token: token, json: ["legalName": "X"])
            expectProblem(patchOther, .notFound, type: "not-found")
            let suspendOther = try await client.send(.post, "/v1/tenants/\(other)/suspend", token: token)
            expectProblem(suspendOther, .notFound, type: "not-found")
            let suspendOwn = try await client.send(.post, "/v1/tenants/\(mine)/suspend", token: token)
            expectProblem(suspendOwn, .forbidden, type: "forbidden")
            #expect(try await client.send(.get, "/v1/tenants/\(other)").string("status") == "active")
        }
    }

    @Test func cooperativeFinanceReadsButDoesNotWrite() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let issued = try await client.send(.post, "/v1/tokens", json: ["role": "cooperative-finance", "name": "finance"])
            try #require(issued.status == .created, "\(issued.text)")
            let finance = try #require(issued.string("token"))

            #expect(try await client.send(.get, "/v1/tenants/\(tenant)", token: finance).status == .ok)
            let listed = try await client.send(.get, "/v1/tenants?limit=5", token: finance)
            #expect(listed.status == .ok)
            #expect((listed.json["items"] as? [Any])?.isEmpty == false)

            let create = try await client.send(
                .post,
                "/v1/tenants",
                token: finance,
                json: ["legalName": "X", "slug": uniqueSlug(), "entityType": "city", "state": "TX"]
            )
            expectProblem(create, .forbidden, type: "forbidden")
            let patch = try await client.send(.patch, "/v1/tenants/\(tenant)", token: finance, json: ["legalName": "X"])
            expectProblem(patch, .forbidden, type: "forbidden")
            let suspend = try await client.send(.post, "/v1/tenants/\(tenant)/suspend", token: finance)
            expectProblem(suspend, .forbidden, type: "forbidden")
        }
    }

    @Test func missingOrUnknownTokensAreUnauthenticated() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let anonymous = try await client.send(.get, "/v1/tenants", token: nil)
            expectProblem(anonymous, .unauthorized, type: "unauthenticated")
            #expect(anonymous.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)

            let anonymousCreate = try await client.send(
                .post,
                "/v1/tenants",
                token: nil,
                json: ["legalName": "X", "slug": uniqueSlug(), "entityType": "city", "state": "TX"]
            )
            expectProblem(anonymousCreate, .unauthorized, type: "unauthenticated")

            let forgedAgency = "cpa_\(tenant.replacingOccurrences(of: "-", with: ""))_notTheRealSecret"
            for garbage in ["garbage", "cpc_garbage", forgedAgency, "cpa_nothex_x"] {
                let reply = try await client.send(.get, "/v1/tenants/\(tenant)", token: garbage)
                expectProblem(reply, .unauthorized, type: "unauthenticated")
                #expect(reply.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            }
            let wrongScheme = try await client.send(
                .get,
                "/v1/tenants",
                token: nil,
                headers: [.authorization: "Basic dXNlcjpwYXNz"]
            )
            expectProblem(wrongScheme, .unauthorized, type: "unauthenticated")
        }
    }

    // MARK: Helpers

    /// Every tenant the admin can list, following `nextCursor` to the end.
    func allTenants(_ client: TestClient, query: String = "") async throws -> [[String: Any]] {
        var items: [[String: Any]] = []
        var cursor: String?
        repeat {
            var parts = ["limit=200"]
            if !query.isEmpty { parts.append(query) }
            if let cursor { parts.append("cursor=\(cursor)") }
            let reply = try await client.send(.get, "/v1/tenants?" + parts.joined(separator: "&"))
            try #require(reply.status == .ok, "\(reply.text)")
            items += reply.json["items"] as? [[String: Any]] ?? []
            cursor = reply.json["nextCursor"] as? String
        } while cursor != nil
        return items
    }
}

/// A slug no other test uses.
func uniqueSlug() -> String {
    "s-\(UUID().uuidString.lowercased().prefix(18))"
}

/// Checks that `reply` is an RFC 9457 problem: this status, `application/problem+json`, the members
/// `type`, `title`, `status` and `detail`, and when given the `type` suffix and an offending field.
func expectProblem(
    _ reply: TestClient.Reply,
    _ status: HTTPResponse.Status,
    type: String? = nil,
    pointer: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(reply.status == status, "body: \(reply.text)", sourceLocation: sourceLocation)
    #expect(reply.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
    let json = reply.json
    #expect(
        (json["type"] as? String)?.hasPrefix("https://cooperage.dev/problems/") == true,
        "body: \(reply.text)",
        sourceLocation: sourceLocation
    )
    #expect((json["title"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
    #expect((json["detail"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
    #expect(json["status"] as? Int == status.code, sourceLocation: sourceLocation)
    if let type {
        #expect(reply.problemType == type, "body: \(reply.text)", sourceLocation: sourceLocation)
    }
    if let pointer {
        #expect(reply.pointers.contains(pointer), "expected \(pointer) in \(reply.text)", sourceLocation: sourceLocation)
    }
}
