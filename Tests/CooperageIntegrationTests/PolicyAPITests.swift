import CooperageStore
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

/// Participation instruments, local policy versions and policy templates over HTTP.
@Suite struct PolicyAPITests {
    static let templateIDs: Set<String> = [
        "tx-school-district", "ny-municipality", "wa-local-government", "or-local-government", "ca-school-district",
        "fl-state-agency", "federal-funds-overlay",
    ]

    static var councilApproval: [String: Any] {
        [
            "type": "approval-threshold",
            "parameters": ["amountCents": 3_000_000, "approver": "city-council", "requiresResolution": true],
            "citation": "Palm Coast, FL Code 2-26",
            "effectiveOn": "2024-01-01",
        ]
    }

    static var blockedVendor: [String: Any] {
        [
            "type": "vendor-restriction",
            "parameters": ["blockedSupplierIds": [UUID().uuidString.lowercased()]],
            "citation": "Board Policy 7.12",
        ]
    }

    // MARK: Policy versions

    @Test func aTenantWithoutAPolicyIsAtVersionZero() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let reply = try await client.send(.get, "/v1/tenants/\(tenant)/policy")
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.json["version"] as? Int == 0)
            #expect((reply.json["rules"] as? [Any])?.isEmpty == true)
            #expect(reply.json["templateId"] is NSNull)
            #expect(reply.json["createdAt"] is NSNull)
            #expect(reply.json["createdBy"] is NSNull)

            let versions = try await client.send(.get, "/v1/tenants/\(tenant)/policy/versions")
            #expect(versions.status == .ok)
            #expect((versions.json["items"] as? [Any])?.isEmpty == true)
            expectProblem(try await client.send(.get, "/v1/tenants/\(tenant)/policy/versions/1"), .notFound, type: "not-found")
        }
    }

    @Test func versionsIncreaseAndOldVersionsStayReadableUnchanged() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant(state: "FL")
            let admin = try await client.token(for: tenant, role: "agency-admin")

            let first = try await client.send(
                .put,
                "/v1/tenants/\(tenant)/policy",
                token: admin,
                json: ["rules": [Self.councilApproval]]
            )
            #expect(first.status == .created, "\(first.text)")
            #expect(first.json["version"] as? Int == 1)
            #expect(first.headers[.location]?.lowercased() == "/v1/tenants/\(tenant.lowercased())/policy/versions/1")
            #expect(first.json["templateId"] is NSNull)
            #expect(first.string("createdAt") != nil)
            #expect(first.string("createdBy") != nil)
            let firstRules = try #require(first.json["rules"] as? [[String: Any]])
            #expect(firstRules.count == 1)
            #expect(firstRules.first?["type"] as? String == "approval-threshold")
            #expect((firstRules.first?["parameters"] as? [String: Any])?["amountCents"] as? Int == 3_000_000)
            #expect(firstRules.first?["effectiveOn"] as? String == "2024-01-01")

            let second = try await client.send(
                .put,
                "/v1/tenants/\(tenant)/policy",
                token: admin,
                json: ["rules": [Self.councilApproval, Self.blockedVendor]]
            )
            #expect(second.status == .created, "\(second.text)")
            #expect(second.json["version"] as? Int == 2)
            // The cooperative may change an agency's policy too.
            let third = try await client.send(.put, "/v1/tenants/\(tenant)/policy", json: ["rules": []])
            #expect(third.status == .created, "\(third.text)")
            #expect(third.json["version"] as? Int == 3)

            let current = try await client.send(.get, "/v1/tenants/\(tenant)/policy", token: admin)
            #expect(current.status == .ok)
            #expect(current.json["version"] as? Int == 3)
            #expect((current.json["rules"] as? [Any])?.isEmpty == true)

            // Every earlier version answers exactly as it did when it was created.
            let one = try await client.send(.get, "/v1/tenants/\(tenant)/policy/versions/1", token: admin)
            #expect(one.status == .ok)
            #expect(Self.canonical(one.json) == Self.canonical(first.json))
            let two = try await client.send(.get, "/v1/tenants/\(tenant)/policy/versions/2")
            #expect(Self.canonical(two.json) == Self.canonical(second.json))

            let list = try await client.send(.get, "/v1/tenants/\(tenant)/policy/versions", token: admin)
            #expect(list.status == .ok)
            let items = try #require(list.json["items"] as? [[String: Any]])
            #expect(items.map { $0["version"] as? Int } == [1, 2, 3])
            #expect(items.map { $0["ruleCount"] as? Int } == [1, 2, 0])
            #expect(items.allSatisfy { $0["createdAt"] is String && $0["createdBy"] is String })
            #expect(list.json["nextCursor"] == nil || list.json["nextCursor"] is NSNull)

            let page = try await client.send(.get, "/v1/tenants/\(tenant)/policy/versions?limit=2")
            #expect((page.json["items"] as? [[String: Any]])?.map { $0["version"] as? Int } == [1, 2])
            let cursor = try #require(page.string("nextCursor"))
            let rest = try await client.send(.get, "/v1/tenants/\(tenant)/policy/versions?cursor=\(cursor)")
            #expect((rest.json["items"] as? [[String: Any]])?.map { $0["version"] as? Int } == [3])

            expectProblem(try await client.send(.get, "/v1/tenants/\(tenant)/policy/versions/4"), .notFound, type: "not-found")
            expectProblem(try await client.send(.get, "/v1/tenants/\(tenant)/policy/versions/0"), .notFound, type: "not-found")
            expectProblem(
                try await client.send(.get, "/v1/tenants/\(tenant)/policy/versions/latest"),
                .badRequest,
                type: "bad-request"
            )

            #expect(
                try await auditActions(tenant).filter { $0 == "policy.version-created" }.count == 3,
                "each version is audited in the tenant's chain"
            )
        }
    }

    @Test func theTemplateCatalogueListsAllSevenTemplates() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let buyer = try await client.token(for: tenant, role: "agency-buyer")
            let reply = try await client.send(.get, "/v1/policy-templates", token: buyer)
            #expect(reply.status == .ok, "\(reply.text)")
            let items = try #require(reply.json["items"] as? [[String: Any]])
            #expect(Set(items.compactMap { $0["id"] as? String }) == Self.templateIDs)
            for item in items {
                #expect((item["name"] as? String)?.isEmpty == false)
                #expect((item["description"] as? String)?.isEmpty == false)
                #expect(item["jurisdiction"] is String)
                #expect((item["entityTypes"] as? [String])?.isEmpty == false)
                #expect((item["ruleCount"] as? Int ?? 0) > 0)
                #expect(item["rules"] == nil, "the list leaves rules out")
            }

            let texas = try await client.send(.get, "/v1/policy-templates?jurisdiction=TX")
            #expect((texas.json["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["tx-school-district"])
            let schools = try await client.send(.get, "/v1/policy-templates?entityType=k12")
            let schoolIDs = Set((schools.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
            #expect(schoolIDs.isSuperset(of: ["tx-school-district", "ca-school-district"]))
            #expect(!schoolIDs.contains("fl-state-agency"))
            expectProblem(try await client.send(.get, "/v1/policy-templates?jurisdiction=ZZ"), .badRequest)
            expectProblem(try await client.send(.get, "/v1/policy-templates?entityType=village"), .badRequest)

            let one = try await client.send(.get, "/v1/policy-templates/tx-school-district", token: buyer)
            #expect(one.status == .ok, "\(one.text)")
            #expect(one.string("id") == "tx-school-district")
            #expect(one.string("jurisdiction") == "TX")
            #expect((one.json["sources"] as? [[String: Any]])?.isEmpty == false)
            #expect((one.json["rules"] as? [[String: Any]])?.isEmpty == false)

            expectProblem(try await client.send(.get, "/v1/policy-templates/no-such-template"), .notFound, type: "not-found")
            expectProblem(
                try await client.send(.get, "/v1/policy-templates", token: nil),
                .unauthorized,
                type: "unauthenticated"
            )
        }
    }

    @Test(arguments: templateIDs.sorted())
    func aPolicyCanStartFromTheTemplate(_ templateID: String) async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let admin = try await client.token(for: tenant, role: "agency-admin")
            let template = try await client.send(.get, "/v1/policy-templates/\(templateID)", token: admin)
            #expect(template.status == .ok, "\(template.text)")
            let templateRules = try #require(template.json["rules"] as? [[String: Any]])

            let reply = try await client.send(
                .put,
                "/v1/tenants/\(tenant)/policy",
                token: admin,
                json: ["fromTemplate": templateID]
            )
            #expect(reply.status == .created, "\(reply.text)")
            #expect(reply.json["version"] as? Int == 1)
            #expect(reply.string("templateId") == templateID)
            let rules = try #require(reply.json["rules"] as? [[String: Any]])
            #expect(Self.canonical(rules) == Self.canonical(templateRules), "the template's rules are copied as they are")

            // The template with local additions: the template's rules first, then the agency's.
            let extended = try await client.send(
                .put,
                "/v1/tenants/\(tenant)/policy",
                token: admin,
                json: ["fromTemplate": templateID, "rules": [Self.blockedVendor]]
            )
            #expect(extended.status == .created, "\(extended.text)")
            #expect(extended.json["version"] as? Int == 2)
            let extendedRules = try #require(extended.json["rules"] as? [[String: Any]])
            #expect(extendedRules.count == templateRules.count + 1)
            #expect(Self.canonical(Array(extendedRules.dropLast())) == Self.canonical(templateRules))
            #expect(extendedRules.last?["type"] as? String == "vendor-restriction")

            let listed = try await client.send(.get, "/v1/tenants/\(tenant)/policy/versions", token: admin)
            let items = try #require(listed.json["items"] as? [[String: Any]])
            #expect(items.map { $0["templateId"] as? String } == [templateID, templateID])
        }
    }

    @Test func anUnknownTemplateIsNamed() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let reply = try await client.send(.put, "/v1/tenants/\(tenant)/policy", json: ["fromTemplate": "tx-city"])
            expectProblem(reply, .unprocessableContent, type: "validation-failed", pointer: "/fromTemplate")
            #expect(reply.text.contains("tx-school-district"), "the problem lists the known templates")
            #expect(try await client.send(.get, "/v1/tenants/\(tenant)/policy").json["version"] as? Int == 0)
        }
    }

    /// One invalid PUT body and the pointer its 422 must carry.
    struct InvalidPolicy: Sendable, CustomTestStringConvertible {
        let label: String
        let body: String
        let pointer: String
        var testDescription: String { label }
    }

    static let invalidPolicies: [InvalidPolicy] = [
        .init(
            label: "unknown rule type",
            body:
                #"{"rules":[{"type":"documentation","parameters":{"requiredDocuments":["Executed contract"]},"citation":"x"},{"type":"bribery-check","citation":"x"}]}"#,
            pointer: "/rules/1/type"
        ),
        .init(
            label: "amount as text",
            body:
                #"{"rules":[{"type":"approval-threshold","parameters":{"amountCents":"lots","approver":"council"},"citation":"x"}]}"#,
            pointer: "/rules/0/parameters/amountCents"
        ),
        .init(
            label: "missing required parameter",
            body: #"{"rules":[{"type":"approval-threshold","parameters":{"amountCents":100},"citation":"x"}]}"#,
            pointer: "/rules/0/parameters/approver"
        ),
        .init(
            label: "unknown parameter",
            body:
                #"{"rules":[{"type":"approval-threshold","parameters":{"amountCents":100,"approver":"council","colour":"red"},"citation":"x"}]}"#,
            pointer: "/rules/0/parameters/colour"
        ),
        .init(
            label: "parameters not an object",
            body: #"{"rules":[{"type":"approval-threshold","parameters":[1],"citation":"x"}]}"#,
            pointer: "/rules/0/parameters"
        ),
        .init(
            label: "no citation",
            body: #"{"rules":[{"type":"documentation","parameters":{"requiredDocuments":["Executed contract"]}}]}"#,
            pointer: "/rules/0/citation"
        ),
        .init(
            label: "expiry before effective date",
            body:
                #"{"rules":[{"type":"documentation","parameters":{"requiredDocuments":["Executed contract"]},"citation":"x","effectiveOn":"2026-01-01","expiresOn":"2025-01-01"}]}"#,
            pointer: "/rules/0/expiresOn"
        ),
        .init(
            label: "impossible date",
            body:
                #"{"rules":[{"type":"documentation","parameters":{"requiredDocuments":["Executed contract"]},"citation":"x","effectiveOn":"2026-02-30"}]}"#,
            pointer: "/rules/0/effectiveOn"
        ),
        .init(
            label: "misspelt rule field",
            body:
                #"{"rules":[{"type":"documentation","parameters":{"requiredDocuments":["Executed contract"]},"citation":"x","parameter":{}}]}"#,
            pointer: "/rules/0/parameter"
        ),
        .init(label: "rule without type", body: #"{"rules":[{"citation":"x"}]}"#, pointer: "/rules/0/type"),
        .init(label: "rules not an array", body: #"{"rules":{"type":"documentation"}}"#, pointer: "/rules"),
        .init(label: "neither rules nor template", body: #"{}"#, pointer: "/rules"),
        .init(label: "unknown top-level field", body: #"{"policy":[]}"#, pointer: "/policy"),
        .init(
            label: "template with an invalid local rule",
            body: #"{"fromTemplate":"ny-municipality","rules":[{"type":"nope","citation":"x"}]}"#,
            pointer: "/rules/0/type"
        ),
    ]

    @Test(arguments: invalidPolicies)
    func invalidRulesAre422NamingRuleAndParameter(_ invalid: InvalidPolicy) async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let admin = try await client.token(for: tenant, role: "agency-admin")
            let reply = try await client.send(.put, "/v1/tenants/\(tenant)/policy", token: admin, raw: invalid.body)
            expectProblem(reply, .unprocessableContent, type: "validation-failed", pointer: invalid.pointer)
            #expect(reply.pointers.contains(invalid.pointer), "pointers: \(reply.pointers)")
            // Nothing was stored.
            #expect(try await client.send(.get, "/v1/tenants/\(tenant)/policy").json["version"] as? Int == 0)
        }
    }

    @Test func everyProblemOfAPolicyIsReportedAtOnce() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let body = #"""
                {"rules":[
                  {"type":"documentation","parameters":{"requiredDocuments":["Executed contract"]},"citation":"ok"},
                  {"type":"approval-threshold","parameters":{"amountCents":-5,"approver":"council"},"citation":"x"},
                  {"type":"cumulative-caps","citation":"x"}
                ]}
                """#
            let reply = try await client.send(.put, "/v1/tenants/\(tenant)/policy", raw: body)
            expectProblem(reply, .unprocessableContent, type: "validation-failed")
            #expect(reply.pointers.contains("/rules/1/parameters/amountCents"), "\(reply.pointers)")
            #expect(reply.pointers.contains("/rules/2/type"), "\(reply.pointers)")
            #expect(!reply.pointers.contains { $0.hasPrefix("/rules/0") })
        }
    }

    // MARK: Who may read and change a policy

    @Test func anotherTenantsAgencyAdminGets404() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let other = try await client.createTenant()
            let otherAdmin = try await client.token(for: other, role: "agency-admin")
            _ = try await client.send(.put, "/v1/tenants/\(tenant)/policy", json: ["rules": [Self.councilApproval]])

            let participation: [String: Any] = ["kind": "registration", "effectiveOn": "2025-01-01"]
            let attempts: [(HTTPRequest.Method, String, [String: Any]?)] = [
                (.get, "/v1/tenants/\(tenant)/policy", nil),
                (.put, "/v1/tenants/\(tenant)/policy", ["rules": [Self.councilApproval]]),
                (.get, "/v1/tenants/\(tenant)/policy/versions", nil),
                (.get, "/v1/tenants/\(tenant)/policy/versions/1", nil),
                (.get, "/v1/tenants/\(tenant)/participations", nil),
                (.post, "/v1/tenants/\(tenant)/participations", participation),
            ]
            for (method, path, body) in attempts {
                let reply = try await client.send(method, path, token: otherAdmin, json: body)
                expectProblem(reply, .notFound, type: "not-found")
            }
            #expect(try await client.send(.get, "/v1/tenants/\(tenant)/policy").json["version"] as? Int == 1)
        }
    }

    @Test func agencyBuyersReadButCannotChangeThePolicy() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            for role in ["agency-buyer", "agency-approver", "agency-finance"] {
                let token = try await client.token(for: tenant, role: role)
                let put = try await client.send(.put, "/v1/tenants/\(tenant)/policy", token: token, json: ["rules": []])
                expectProblem(put, .forbidden, type: "forbidden")
                let get = try await client.send(.get, "/v1/tenants/\(tenant)/policy", token: token)
                #expect(get.status == .ok, "\(role): \(get.text)")
            }
            #expect(try await client.send(.get, "/v1/tenants/\(tenant)/policy").json["version"] as? Int == 0)
        }
    }

    @Test func anUnknownTenantIs404() async throws {
        try await withApp { client in
            let missing = UUID().uuidString.lowercased()
            expectProblem(try await client.send(.get, "/v1/tenants/\(missing)/policy"), .notFound, type: "not-found")
            expectProblem(
                try await client.send(.put, "/v1/tenants/\(missing)/policy", json: ["rules": []]),
                .notFound,
                type: "not-found"
            )
            expectProblem(try await client.send(.get, "/v1/tenants/\(missing)/policy/versions"), .notFound)
            expectProblem(try await client.send(.get, "/v1/tenants/\(missing)/participations"), .notFound)
            expectProblem(
                try await client.send(
                    .post,
                    "/v1/tenants/\(missing)/participations",
                    json: ["kind": "registration", "effectiveOn": "2025-01-01"]
                ),
                .notFound,
                type: "not-found"
            )
            expectProblem(try await client.send(.get, "/v1/tenants/not-a-uuid/policy"), .badRequest)
        }
    }

    @Test func concurrentChangesGetDistinctConsecutiveVersions() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let admin = try await client.token(for: tenant, role: "agency-admin")
            let replies = try await withThrowingTaskGroup(of: TestClient.Reply.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        let rule: [String: Any] = [
                            "type": "approval-threshold",
                            "parameters": ["amountCents": 100_000 * (index + 1), "approver": "council"],
                            "citation": "Ordinance \(index)",
                        ]
                        return try await client.send(.put, "/v1/tenants/\(tenant)/policy", token: admin, json: ["rules": [rule]])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.allSatisfy { $0.status == .created }, "\(replies.map(\.text))")
            #expect(replies.compactMap { $0.json["version"] as? Int }.sorted() == Array(1...8))

            let list = try await client.send(.get, "/v1/tenants/\(tenant)/policy/versions", token: admin)
            #expect((list.json["items"] as? [[String: Any]])?.compactMap { $0["version"] as? Int } == Array(1...8))
            // Each stored version holds the rule of the request that created it.
            for reply in replies {
                let version = try #require(reply.json["version"] as? Int)
                let stored = try await client.send(.get, "/v1/tenants/\(tenant)/policy/versions/\(version)", token: admin)
                #expect(Self.canonical(stored.json) == Self.canonical(reply.json))
            }
            #expect(try await auditActions(tenant).filter { $0 == "policy.version-created" }.count == 8)
        }
    }

    // MARK: Participations

    @Test func participationsAreRecordedAndListedWithInForceToday() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant(state: "WA")
            let admin = try await client.token(for: tenant, role: "agency-admin")
            let buyer = try await client.token(for: tenant, role: "agency-buyer")

            let current = try await client.send(
                .post,
                "/v1/tenants/\(tenant)/participations",
                token: admin,
                json: [
                    "kind": "interlocal-agreement", "state": "WA", "resolutionNumber": "R-2024-17",
                    "resolutionDate": "2024-03-05", "effectiveOn": "2024-04-01", "terminationNoticeDays": 30,
                    "documentReference": "https://records.example.gov/ila/2024-17",
                ]
            )
            #expect(current.status == .created, "\(current.text)")
            #expect(UUID(uuidString: current.string("id") ?? "") != nil)
            #expect(current.string("tenantId") == tenant)
            #expect(current.string("kind") == "interlocal-agreement")
            #expect(current.string("state") == "WA")
            #expect(current.string("resolutionNumber") == "R-2024-17")
            #expect(current.string("resolutionDate") == "2024-03-05")
            #expect(current.string("effectiveOn") == "2024-04-01")
            #expect(current.json["expiresOn"] is NSNull)
            #expect(current.json["agreementId"] is NSNull)
            #expect(current.json["terminationNoticeDays"] as? Int == 30)
            #expect(current.string("documentReference") == "https://records.example.gov/ila/2024-17")
            #expect(current.string("createdAt") != nil)
            #expect(current.json["inForceToday"] as? Bool == true)

            // The cooperative may record one for the agency; an expired and a future instrument are not in force.
            let expired = try await client.send(
                .post,
                "/v1/tenants/\(tenant)/participations",
                json: ["kind": "registration", "effectiveOn": "2019-01-01", "expiresOn": "2020-12-31"]
            )
            #expect(expired.status == .created, "\(expired.text)")
            #expect(expired.json["inForceToday"] as? Bool == false)
            let future = try await client.send(
                .post,
                "/v1/tenants/\(tenant)/participations",
                token: admin,
                json: ["kind": "master-intergovernmental-agreement", "effectiveOn": "2999-01-01", "expiresOn": "2999-01-01"]
            )
            #expect(future.status == .created, "\(future.text)")
            #expect(future.json["inForceToday"] as? Bool == false)

            let list = try await client.send(.get, "/v1/tenants/\(tenant)/participations", token: buyer)
            #expect(list.status == .ok, "\(list.text)")
            let items = try #require(list.json["items"] as? [[String: Any]])
            #expect(
                items.map { $0["kind"] as? String } == [
                    "registration", "interlocal-agreement", "master-intergovernmental-agreement",
                ]
            )
            #expect(items.map { $0["inForceToday"] as? Bool } == [false, true, false])
            #expect(Self.canonical(items[1]) == Self.canonical(current.json))

            // Other roles of the tenant read but do not record.
            expectProblem(
                try await client.send(
                    .post,
                    "/v1/tenants/\(tenant)/participations",
                    token: buyer,
                    json: ["kind": "registration", "effectiveOn": "2025-01-01"]
                ),
                .forbidden,
                type: "forbidden"
            )
            // Another tenant's list is its own.
            let other = try await client.createTenant()
            let otherList = try await client.send(.get, "/v1/tenants/\(other)/participations")
            #expect((otherList.json["items"] as? [Any])?.isEmpty == true)

            #expect(try await auditActions(tenant).filter { $0 == "participation.recorded" }.count == 3)
        }
    }

    /// One invalid participation and the field its 422 must name.
    struct InvalidParticipation: Sendable, CustomTestStringConvertible {
        let label: String
        let body: String
        let pointer: String
        var testDescription: String { label }
    }

    static let invalidParticipations: [InvalidParticipation] = [
        .init(label: "unknown kind", body: #"{"kind":"handshake","effectiveOn":"2025-01-01"}"#, pointer: "/kind"),
        .init(label: "missing kind", body: #"{"effectiveOn":"2025-01-01"}"#, pointer: "/kind"),
        .init(label: "missing effectiveOn", body: #"{"kind":"registration"}"#, pointer: "/effectiveOn"),
        .init(label: "bad date", body: #"{"kind":"registration","effectiveOn":"01/01/2025"}"#, pointer: "/effectiveOn"),
        .init(
            label: "expiry before effective date",
            body: #"{"kind":"registration","effectiveOn":"2025-01-01","expiresOn":"2024-12-31"}"#,
            pointer: "/expiresOn"
        ),
        .init(
            label: "negative notice",
            body: #"{"kind":"registration","effectiveOn":"2025-01-01","terminationNoticeDays":-1}"#,
            pointer: "/terminationNoticeDays"
        ),
        .init(
            label: "unknown state",
            body: #"{"kind":"participating-addendum","effectiveOn":"2025-01-01","state":"XX"}"#,
            pointer: "/state"
        ),
        .init(
            label: "blank resolution number",
            body: #"{"kind":"registration","effectiveOn":"2025-01-01","resolutionNumber":" "}"#,
            pointer: "/resolutionNumber"
        ),
        .init(
            label: "agreementId not a UUID",
            body: #"{"kind":"registration","effectiveOn":"2025-01-01","agreementId":"MA-1"}"#,
            pointer: "/agreementId"
        ),
        .init(
            label: "unknown agreement",
            body:
                #"{"kind":"participating-addendum","effectiveOn":"2025-01-01","agreementId":"6f1c2d1e-0000-4000-8000-000000000001"}"#,
            pointer: "/agreementId"
        ),
        .init(
            label: "unknown field",
            body: #"{"kind":"registration","effectiveOn":"2025-01-01","colour":1}"#,
            pointer: "/colour"
        ),
    ]

    @Test(arguments: invalidParticipations)
    func invalidParticipationsAre422NamingTheField(_ invalid: InvalidParticipation) async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            let admin = try await client.token(for: tenant, role: "agency-admin")
            let reply = try await client.send(.post, "/v1/tenants/\(tenant)/participations", token: admin, raw: invalid.body)
            expectProblem(reply, .unprocessableContent, type: "validation-failed", pointer: invalid.pointer)
            #expect(reply.pointers.contains(invalid.pointer), "pointers: \(reply.pointers)")
            let list = try await client.send(.get, "/v1/tenants/\(tenant)/participations", token: admin)
            #expect((list.json["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func aParticipationMayNameAnExistingAgreement() async throws {
        try await withApp { client in
            let lead = try await client.createTenant(state: "TX", entityType: "county")
            let agreement = try await insertAgreement(leadTenant: lead)
            let tenant = try await client.createTenant(state: "OR")
            let admin = try await client.token(for: tenant, role: "agency-admin")
            let reply = try await client.send(
                .post,
                "/v1/tenants/\(tenant)/participations",
                token: admin,
                json: [
                    "kind": "participating-addendum", "agreementId": agreement, "state": "OR", "effectiveOn": "2025-07-01",
                    "expiresOn": "2999-06-30",
                ]
            )
            #expect(reply.status == .created, "\(reply.text)")
            #expect(reply.string("agreementId")?.lowercased() == agreement)
            #expect(reply.json["inForceToday"] as? Bool == true)
            let list = try await client.send(.get, "/v1/tenants/\(tenant)/participations", token: admin)
            #expect(((list.json["items"] as? [[String: Any]])?.first?["agreementId"] as? String)?.lowercased() == agreement)
        }
    }

    // MARK: Helpers

    /// A supplier, a solicitation and a Master Agreement led by `leadTenant`, written directly as the superuser.
    func insertAgreement(leadTenant: String) async throws -> String {
        let lead = try #require(UUID(uuidString: leadTenant))
        let suffix = UUID().uuidString.lowercased().prefix(8)
        let connection = try await TestDatabase.adminURL().connect(logger: TestDatabase.logger)
        do {
            try await connection.query("SET search_path = cooperage", logger: TestDatabase.logger)
            let supplier = try await connection.query(
                "INSERT INTO supplier (name) VALUES (\("Acme Office \(suffix)")) RETURNING id",
                logger: TestDatabase.logger
            ).decode(UUID.self).array().first!
            let solicitation = try await connection.query(
                """
                INSERT INTO solicitation (lead_tenant_id, number, title, method, cooperative_language_in_solicitation,
                                          cooperative_language_in_contract, award_basis)
                VALUES (\(lead), \("RFP-\(suffix)"), 'Office supplies', 'rfp', true, true, 'best-value') RETURNING id
                """,
                logger: TestDatabase.logger
            ).decode(UUID.self).array().first!
            let agreement = try await connection.query(
                """
                INSERT INTO agreement (number, title, lead_tenant_id, solicitation_id, supplier_id, categories,
                                       effective_on, expires_on)
                VALUES (\("MA-\(suffix)"), 'Office supplies', \(lead), \(solicitation), \(supplier), ARRAY['44120000'],
                        date '2025-01-01', date '2999-12-31')
                RETURNING id
                """,
                logger: TestDatabase.logger
            ).decode(UUID.self).array().first!
            try await connection.close()
            return agreement.uuidString.lowercased()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// JSON re-serialized with sorted keys, so two documents compare by content.
    static func canonical(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The actions of a tenant's audit chain, in order (read as the superuser).
    func auditActions(_ tenant: String) async throws -> [String] {
        let id = try #require(UUID(uuidString: tenant))
        let connection = try await TestDatabase.adminURL().connect(logger: TestDatabase.logger)
        do {
            let actions = try await connection.query(
                "SELECT action FROM cooperage.audit_event WHERE tenant_id = \(id) ORDER BY seq",
                logger: TestDatabase.logger
            ).decode(String.self).array()
            try await connection.close()
            return actions
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
