import CooperageStore
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

/// `/v1/suppliers`, `/v1/solicitations` and `/v1/agreements` over HTTP: the cooperative's catalogue,
/// its validation, its conflicts, who may write it, and the agreement search (including "usable by me").
@Suite struct CatalogAPITests {
    // MARK: Suppliers

    @Test func supplierCreateReadListAndPatch() async throws {
        try await withApp { client in
            let token = unique()
            let reply = try await client.send(
                .post,
                "/v1/suppliers",
                json: [
                    "name": "Acme Office \(token)",
                    "identifiers": ["ein": "12-3456789", "samUei": "J7M9HPTGJ1S9"],
                    "diversityCertifications": [["kind": "HUB", "certifier": "Texas Comptroller", "expiresOn": "2027-06-30"]],
                ]
            )
            #expect(reply.status == .created, "\(reply.text)")
            let id = try #require(reply.string("id"))
            #expect(reply.headers[.location]?.lowercased() == "/v1/suppliers/\(id.lowercased())")
            #expect(reply.string("status") == "active")
            #expect((reply.json["identifiers"] as? [String: Any])?["ein"] as? String == "12-3456789")
            let certifications = reply.json["diversityCertifications"] as? [[String: Any]]
            #expect(certifications?.first?["kind"] as? String == "HUB")
            #expect(certifications?.first?["expiresOn"] as? String == "2027-06-30")

            // Readable by an agency role.
            let agency = try await client.createTenant()
            let buyer = try await client.token(for: agency, role: "agency-buyer")
            let fetched = try await client.send(.get, "/v1/suppliers/\(id)", token: buyer)
            #expect(fetched.status == .ok, "\(fetched.text)")
            #expect(fetched.string("name") == "Acme Office \(token)")

            // Name search is case-insensitive and takes % literally.
            let second = try await createSupplier(client, name: "Second acme office \(token)")
            let found = try await client.send(.get, "/v1/suppliers?q=ACME%20OFFICE%20\(token.uppercased())", token: buyer)
            #expect(found.status == .ok, "\(found.text)")
            #expect(ids(found) == [id, second].map { $0.lowercased() })
            let percent = try await client.send(.get, "/v1/suppliers?q=\(token)%25")
            #expect(ids(percent) == [])

            // Debarring records the date and the reason.
            let debar = try await client.send(
                .patch,
                "/v1/suppliers/\(second)",
                json: ["status": "debarred", "statusEffectiveOn": "2026-02-01", "statusReason": "SAM.gov exclusion"]
            )
            #expect(debar.status == .ok, "\(debar.text)")
            #expect(debar.string("status") == "debarred")
            #expect(debar.string("statusEffectiveOn") == "2026-02-01")
            #expect(debar.string("statusReason") == "SAM.gov exclusion")
            #expect(debar.string("name") == "Second acme office \(token)")

            let debarred = try await client.send(.get, "/v1/suppliers?status=debarred&q=\(token)")
            #expect(ids(debarred) == [second.lowercased()])
            let active = try await client.send(.get, "/v1/suppliers?status=active&q=\(token)")
            #expect(ids(active) == [id.lowercased()])

            // A status without its date and reason is refused, naming both.
            let bare = try await client.send(.patch, "/v1/suppliers/\(second)", json: ["status": "active"])
            expectProblem(bare, .unprocessableContent, type: "validation-failed", pointer: "/statusEffectiveOn")
            #expect(Set(bare.pointers) == ["/statusEffectiveOn", "/statusReason"])

            // A merge patch: the identifier cleared, the other kept, the name changed.
            let patched = try await client.send(
                .patch,
                "/v1/suppliers/\(id)",
                json: ["name": "Acme Inc \(token)", "identifiers": ["ein": NSNull()]]
            )
            #expect(patched.status == .ok, "\(patched.text)")
            let identifiers = patched.json["identifiers"] as? [String: Any]
            #expect(identifiers?["ein"] == nil || identifiers?["ein"] is NSNull)
            #expect(identifiers?["samUei"] as? String == "J7M9HPTGJ1S9")
            #expect(patched.string("name") == "Acme Inc \(token)")

            let missing = try await client.send(.patch, "/v1/suppliers/\(UUID())", json: ["name": "X"])
            expectProblem(missing, .notFound, type: "not-found")
            expectProblem(try await client.send(.get, "/v1/suppliers/\(UUID())"), .notFound, type: "not-found")
            expectProblem(try await client.send(.get, "/v1/suppliers?status=banned"), .badRequest)

            let actions = try await auditActions(subject: id) + (try await auditActions(subject: second))
            #expect(actions.sorted() == ["supplier.created", "supplier.created", "supplier.updated", "supplier.updated"])
        }
    }

    static let invalidSuppliers: [InvalidBody] = [
        .init(label: "missing name", json: [:], pointer: "/name"),
        .init(label: "blank name", json: ["name": "  "], pointer: "/name"),
        .init(label: "bad EIN", json: ["name": "X", "identifiers": ["ein": "123456789"]], pointer: "/identifiers/ein"),
        .init(label: "bad SAM UEI", json: ["name": "X", "identifiers": ["samUei": "ABC"]], pointer: "/identifiers/samUei"),
        .init(label: "unknown status", json: ["name": "X", "status": "banned"], pointer: "/status"),
        .init(
            label: "debarred without a date",
            json: ["name": "X", "status": "debarred", "statusReason": "fraud"],
            pointer: "/statusEffectiveOn"
        ),
        .init(
            label: "suspended without a reason",
            json: ["name": "X", "status": "suspended", "statusEffectiveOn": "2026-01-01"],
            pointer: "/statusReason"
        ),
        .init(
            label: "impossible date",
            json: ["name": "X", "status": "suspended", "statusEffectiveOn": "2026-02-30", "statusReason": "r"],
            pointer: "/statusEffectiveOn"
        ),
        .init(
            label: "certification without a kind",
            json: ["name": "X", "diversityCertifications": [["certifier": "X"]]],
            pointer: "/diversityCertifications/0/kind"
        ),
        .init(
            label: "blank certification kind",
            json: ["name": "X", "diversityCertifications": [["kind": "MBE"], ["kind": " "]]],
            pointer: "/diversityCertifications/1/kind"
        ),
        .init(label: "unknown field", json: ["name": "X", "rating": 5], pointer: "/rating"),
    ]

    @Test(arguments: invalidSuppliers) func supplierCreateRefusesInvalidBodies(_ invalid: InvalidBody) async throws {
        try await withApp { client in
            let reply = try await client.send(.post, "/v1/suppliers", json: invalid.json)
            expectProblem(reply, .unprocessableContent, type: "validation-failed", pointer: invalid.pointer)
        }
    }

    // MARK: Solicitations

    @Test func solicitationCreateReadListAndConflicts() async throws {
        try await withApp { client in
            let lead = try await client.createTenant(state: "TX", entityType: "county", name: "Harris County")
            let number = "RFP-\(unique())"
            let reply = try await client.send(
                .post,
                "/v1/solicitations",
                json: solicitationBody(lead: lead, number: number).merging(["awardDate": "2025-03-15"]) { $1 }
            )
            #expect(reply.status == .created, "\(reply.text)")
            let id = try #require(reply.string("id"))
            #expect(reply.headers[.location]?.lowercased() == "/v1/solicitations/\(id.lowercased())")
            #expect(reply.string("leadTenantId")?.lowercased() == lead.lowercased())
            #expect(reply.string("leadAgencyName") == "Harris County")
            #expect(reply.string("method") == "rfp")
            #expect(reply.string("awardBasis") == "best-value")
            #expect(reply.string("advertisedOn") == "2025-01-10")
            #expect(reply.string("awardDate") == "2025-03-15")
            #expect(reply.json["cooperativeLanguageInSolicitation"] as? Bool == true)

            let agency = try await client.createTenant()
            let buyer = try await client.token(for: agency, role: "agency-buyer")
            let fetched = try await client.send(.get, "/v1/solicitations/\(id)", token: buyer)
            #expect(fetched.status == .ok)
            #expect(fetched.string("number") == number)

            // The same number for the same lead is a conflict; for another lead it is fine.
            let duplicate = try await client.send(.post, "/v1/solicitations", json: solicitationBody(lead: lead, number: number))
            expectProblem(duplicate, .conflict, type: "conflict", pointer: "/number")
            let otherLead = try await client.createTenant()
            let elsewhere = try await client.send(
                .post,
                "/v1/solicitations",
                json: solicitationBody(lead: otherLead, number: number)
            )
            #expect(elsewhere.status == .created, "\(elsewhere.text)")

            let second = try await createSolicitation(client, lead: lead)
            let listed = try await client.send(.get, "/v1/solicitations?leadTenantId=\(lead)&limit=1", token: buyer)
            #expect(listed.status == .ok, "\(listed.text)")
            #expect(ids(listed) == [id.lowercased()])
            let cursor = try #require(listed.json["nextCursor"] as? String)
            let rest = try await client.send(.get, "/v1/solicitations?leadTenantId=\(lead)&limit=1&cursor=\(cursor)")
            #expect(ids(rest) == [second.lowercased()])
            #expect(rest.json["nextCursor"] is NSNull || rest.json["nextCursor"] == nil)

            expectProblem(try await client.send(.get, "/v1/solicitations/\(UUID())"), .notFound, type: "not-found")
            expectProblem(try await client.send(.get, "/v1/solicitations?leadTenantId=nope"), .badRequest)
            #expect(try await auditActions(subject: id) == ["solicitation.created"])
        }
    }

    @Test func solicitationValidationNamesTheField() async throws {
        try await withApp { client in
            let lead = try await client.createTenant()
            let cases: [(String, Any, String)] = [
                ("leadTenantId", UUID().uuidString, "/leadTenantId"),
                ("leadTenantId", "not-a-uuid", "/leadTenantId"),
                ("method", "auction", "/method"),
                ("awardBasis", "cheapest", "/awardBasis"),
                ("number", " ", "/number"),
                ("title", "", "/title"),
                ("advertisedOn", "10/01/2025", "/advertisedOn"),
                ("awardDate", "2025-01-01", "/awardDate"),
                ("cooperativeLanguageInContract", "yes", "/cooperativeLanguageInContract"),
                ("evaluationScore", 5, "/evaluationScore"),
            ]
            for (field, value, pointer) in cases {
                var body = solicitationBody(lead: lead, number: "N-\(unique())")
                body[field] = value
                let reply = try await client.send(.post, "/v1/solicitations", json: body)
                expectProblem(reply, .unprocessableContent, type: "validation-failed", pointer: pointer)
            }
            var missing = solicitationBody(lead: lead, number: "N-\(unique())")
            missing["cooperativeLanguageInSolicitation"] = nil
            let reply = try await client.send(.post, "/v1/solicitations", json: missing)
            expectProblem(reply, .unprocessableContent, pointer: "/cooperativeLanguageInSolicitation")
        }
    }

    // MARK: Agreements

    @Test func agreementCreateShowsEverythingAndConvenienceNames() async throws {
        try await withApp { client in
            let scene = try await Scene.make(client)
            let number = "MA-\(unique())"
            let digest = String(repeating: "0123456789abcdef", count: 4)
            let reply = try await client.send(
                .post,
                "/v1/agreements",
                json: scene.agreementBody(
                    number: number,
                    extra: [
                        "nigpCodes": ["204-27"], "renewalOptions": [["years": 1, "exercised": true], ["years": 2]],
                        "expiresOn": "2029-12-31", "maximumTermEndsOn": "2031-12-31", "ceilingCents": 500_000_000,
                        "eligibleEntityTypes": ["city", "k12"], "eligibleStates": ["TX", "OK"],
                        "complianceLetterOnFile": true, "telecomAttestation200216": true, "adminFeeBasisPoints": 200,
                        "priceTiers": [
                            ["minVolumeCents": 0, "discountBasisPoints": 0],
                            ["minVolumeCents": 100_000_000, "discountBasisPoints": 150],
                        ],
                        "documents": [["title": "Contract", "url": "https://coop.example/ma.pdf", "sha256": digest]],
                    ]
                )
            )
            #expect(reply.status == .created, "\(reply.text)")
            let id = try #require(reply.string("id"))
            #expect(reply.headers[.location]?.lowercased() == "/v1/agreements/\(id.lowercased())")
            let json = reply.json
            #expect(json["number"] as? String == number)
            #expect(json["supplierName"] as? String == scene.supplierName)
            #expect(json["leadAgencyName"] as? String == "City of Lead \(scene.token)")
            #expect((json["supplierId"] as? String)?.lowercased() == scene.supplier.lowercased())
            #expect((json["solicitationId"] as? String)?.lowercased() == scene.solicitation.lowercased())
            #expect(json["categories"] as? [String] == ["43211500", "44120000"])
            #expect(json["nigpCodes"] as? [String] == ["204-27"])
            #expect(json["effectiveOn"] as? String == "2020-01-01")
            #expect(json["expiresOn"] as? String == "2029-12-31")
            #expect(json["maximumTermEndsOn"] as? String == "2031-12-31")
            #expect((json["renewalOptions"] as? [[String: Any]])?.map { $0["exercised"] as? Bool } == [true, false])
            #expect(json["status"] as? String == "active")
            #expect(json["ceilingCents"] as? Int == 500_000_000)
            #expect(json["committedCents"] as? Int == 0)
            #expect(json["eligibleEntityTypes"] as? [String] == ["city", "k12"])
            #expect(json["eligibleStates"] as? [String] == ["TX", "OK"])
            #expect(json["complianceLetterOnFile"] as? Bool == true)
            #expect(json["telecomAttestation200216"] as? Bool == true)
            #expect(json["adminFeeBasisPoints"] as? Int == 200)
            #expect((json["priceTiers"] as? [[String: Any]])?.map { $0["discountBasisPoints"] as? Int } == [0, 150])
            #expect((json["documents"] as? [[String: Any]])?.first?["sha256"] as? String == digest)

            // Defaults of a minimal agreement.
            let minimal = try await client.send(.post, "/v1/agreements", json: scene.agreementBody(number: "MA-\(unique())"))
            #expect(minimal.status == .created, "\(minimal.text)")
            #expect(minimal.json["eligibleStates"] as? [String] == [])
            #expect(minimal.json["adminFeeBasisPoints"] as? Int == 0)
            #expect(minimal.json["complianceLetterOnFile"] as? Bool == false)
            #expect(minimal.json["ceilingCents"] == nil || minimal.json["ceilingCents"] is NSNull)

            let fetched = try await client.send(.get, "/v1/agreements/\(id)", token: scene.buyer)
            #expect(fetched.status == .ok)
            #expect(fetched.string("supplierName") == scene.supplierName)
            #expect(try await auditActions(subject: id) == ["agreement.created"])
        }
    }

    @Test func agreementReferencesAndNumberAreChecked() async throws {
        try await withApp { client in
            let scene = try await Scene.make(client)
            let number = "MA-\(unique())"
            #expect(try await client.send(.post, "/v1/agreements", json: scene.agreementBody(number: number)).status == .created)
            let duplicate = try await client.send(.post, "/v1/agreements", json: scene.agreementBody(number: number))
            expectProblem(duplicate, .conflict, type: "conflict", pointer: "/number")

            // The solicitation of another lead agency.
            let otherLead = try await client.createTenant()
            let foreign = try await createSolicitation(client, lead: otherLead)
            let mismatch = try await client.send(
                .post,
                "/v1/agreements",
                json: scene.agreementBody(number: "MA-\(unique())", extra: ["solicitationId": foreign])
            )
            expectProblem(mismatch, .unprocessableContent, type: "validation-failed", pointer: "/solicitationId")

            for (field, pointer) in [
                ("solicitationId", "/solicitationId"), ("supplierId", "/supplierId"), ("leadTenantId", "/leadTenantId"),
            ] {
                let reply = try await client.send(
                    .post,
                    "/v1/agreements",
                    json: scene.agreementBody(number: "MA-\(unique())", extra: [field: UUID().uuidString])
                )
                expectProblem(reply, .unprocessableContent, type: "validation-failed", pointer: pointer)
            }
        }
    }

    static let invalidAgreements: [InvalidBody] = [
        .init(label: "no categories", json: ["categories": []], pointer: "/categories"),
        .init(label: "short category", json: ["categories": ["43211500", "4321150"]], pointer: "/categories/1"),
        .init(label: "category not text", json: ["categories": [43_211_500]], pointer: "/categories/0"),
        .init(label: "expires before effective", json: ["expiresOn": "2019-12-31"], pointer: "/expiresOn"),
        .init(label: "maximum term before expiry", json: ["maximumTermEndsOn": "2030-01-01"], pointer: "/maximumTermEndsOn"),
        .init(label: "effective date not a date", json: ["effectiveOn": "2020-13-01"], pointer: "/effectiveOn"),
        .init(label: "zero ceiling", json: ["ceilingCents": 0], pointer: "/ceilingCents"),
        .init(label: "fee above 100 %", json: ["adminFeeBasisPoints": 10_001], pointer: "/adminFeeBasisPoints"),
        .init(label: "negative fee", json: ["adminFeeBasisPoints": -1], pointer: "/adminFeeBasisPoints"),
        .init(
            label: "tiers not ascending",
            json: [
                "priceTiers": [
                    ["minVolumeCents": 0, "discountBasisPoints": 0], ["minVolumeCents": 500, "discountBasisPoints": 100],
                    ["minVolumeCents": 500, "discountBasisPoints": 200],
                ]
            ],
            pointer: "/priceTiers/2/minVolumeCents"
        ),
        .init(
            label: "tier discount above 100 %",
            json: ["priceTiers": [["minVolumeCents": 0, "discountBasisPoints": 20_000]]],
            pointer: "/priceTiers/0/discountBasisPoints"
        ),
        .init(
            label: "tier without volume",
            json: ["priceTiers": [["discountBasisPoints": 1]]],
            pointer: "/priceTiers/0/minVolumeCents"
        ),
        .init(
            label: "short digest",
            json: ["documents": [["title": "C", "url": "https://x.example/c.pdf", "sha256": "abc"]]],
            pointer: "/documents/0/sha256"
        ),
        .init(
            label: "relative URL",
            json: ["documents": [["title": "C", "url": "c.pdf", "sha256": String(repeating: "a", count: 64)]]],
            pointer: "/documents/0/url"
        ),
        .init(label: "unknown state", json: ["eligibleStates": ["TX", "ZZ"]], pointer: "/eligibleStates/1"),
        .init(label: "unknown entity type", json: ["eligibleEntityTypes": ["village"]], pointer: "/eligibleEntityTypes/0"),
        .init(label: "unknown status", json: ["status": "draft"], pointer: "/status"),
        .init(label: "renewal of zero years", json: ["renewalOptions": [["years": 0]]], pointer: "/renewalOptions/0/years"),
        .init(label: "bad NIGP code", json: ["nigpCodes": ["20A"]], pointer: "/nigpCodes/0"),
        .init(label: "committedCents is read-only", json: ["committedCents": 5], pointer: "/committedCents"),
    ]

    @Test(arguments: invalidAgreements) func agreementCreateRefusesInvalidBodies(_ invalid: InvalidBody) async throws {
        try await withApp { client in
            let scene = try await Scene.make(client)
            let number = "MA-\(unique())"
            let reply = try await client.send(
                .post,
                "/v1/agreements",
                json: scene.agreementBody(number: number, extra: invalid.json)
            )
            expectProblem(reply, .unprocessableContent, type: "validation-failed", pointer: invalid.pointer)
            let listed = try await client.send(.get, "/v1/agreements?q=\(number)")
            #expect(ids(listed) == [])
        }
    }

    @Test func agencyAndFinanceRolesReadButCannotWrite() async throws {
        try await withApp { client in
            let scene = try await Scene.make(client)
            let agreement = try await scene.createAgreement(client)
            let finance = try await client.send(
                .post,
                "/v1/tokens",
                json: ["role": "cooperative-finance", "name": "finance"]
            )
            let financeToken = try #require(finance.string("token"))
            var tokens = [financeToken, scene.buyer]
            for role in ["agency-admin", "agency-approver", "agency-finance"] {
                tokens.append(try await client.token(for: scene.agency, role: role))
            }
            for token in tokens {
                for path in [
                    "/v1/suppliers", "/v1/suppliers/\(scene.supplier)", "/v1/solicitations",
                    "/v1/solicitations/\(scene.solicitation)", "/v1/agreements", "/v1/agreements/\(agreement)",
                ] {
                    let read = try await client.send(.get, path, token: token)
                    #expect(read.status == .ok, "GET \(path): \(read.text)")
                }
                expectProblem(
                    try await client.send(.post, "/v1/suppliers", token: token, json: ["name": "X"]),
                    .forbidden,
                    type: "forbidden"
                )
                expectProblem(
                    try await client.send(.patch, "/v1/suppliers/\(scene.supplier)", token: token, json: ["name": "X"]),
                    .forbidden,
                    type: "forbidden"
                )
                expectProblem(
                    try await client.send(
                        .post,
                        "/v1/solicitations",
                        token: token,
                        json: solicitationBody(lead: scene.lead, number: unique())
                    ),
                    .forbidden,
                    type: "forbidden"
                )
                expectProblem(
                    try await client.send(
                        .post,
                        "/v1/agreements",
                        token: token,
                        json: scene.agreementBody(number: "MA-\(unique())")
                    ),
                    .forbidden,
                    type: "forbidden"
                )
                expectProblem(
                    try await client.send(.patch, "/v1/agreements/\(agreement)", token: token, json: ["title": "X"]),
                    .forbidden,
                    type: "forbidden"
                )
            }
            for path in ["/v1/suppliers", "/v1/solicitations", "/v1/agreements"] {
                expectProblem(try await client.send(.get, path, token: nil), .unauthorized, type: "unauthenticated")
            }
        }
    }

    // MARK: Search

    @Test func searchByCategorySupplierLeadTextAndStatus() async throws {
        try await withApp { client in
            let scene = try await Scene.make(client)
            let segment = try await scene.createAgreement(client, title: "Everything IT", categories: ["43000000"])
            let family = try await scene.createAgreement(client, title: "Computers", categories: ["43210000"])
            let commodity = try await scene.createAgreement(client, title: "Notebooks", categories: ["43211503"])
            let furniture = try await scene.createAgreement(client, title: "Office furniture", categories: ["56100000"])
            let lead = "leadTenantId=\(scene.lead)"

            // A code ending in zeros covers the codes sharing its other digits.
            let notebooks = try await client.send(.get, "/v1/agreements?\(lead)&category=43211503", token: scene.buyer)
            #expect(notebooks.status == .ok, "\(notebooks.text)")
            #expect(ids(notebooks) == [segment, family, commodity].map { $0.lowercased() })
            let desktops = try await client.send(.get, "/v1/agreements?\(lead)&category=43211507")
            #expect(ids(desktops) == [segment, family].map { $0.lowercased() })
            let chairs = try await client.send(.get, "/v1/agreements?\(lead)&category=56101504")
            #expect(ids(chairs) == [furniture.lowercased()])
            let printers = try await client.send(.get, "/v1/agreements?\(lead)&category=44101501")
            #expect(ids(printers) == [])
            expectProblem(try await client.send(.get, "/v1/agreements?category=4321"), .badRequest)

            // By supplier: another supplier's agreement under the same lead is not listed.
            let otherSupplier = try await createSupplier(client, name: "Globex \(scene.token)")
            let globex = try await scene.createAgreement(client, title: "Laptops", supplier: otherSupplier)
            let bySupplier = try await client.send(.get, "/v1/agreements?supplierId=\(otherSupplier)")
            #expect(ids(bySupplier) == [globex.lowercased()])
            #expect(
                bySupplier.json["items"].flatMap { ($0 as? [[String: Any]])?.first?["supplierName"] as? String }
                    == "Globex \(scene.token)"
            )

            // By lead: another lead's agreement is not listed.
            let otherScene = try await Scene.make(client)
            let elsewhere = try await otherScene.createAgreement(client)
            let byLead = try await client.send(.get, "/v1/agreements?leadTenantId=\(otherScene.lead)")
            #expect(ids(byLead) == [elsewhere.lowercased()])

            // Text in the title, the number or the supplier's name, any case.
            let byTitle = try await client.send(.get, "/v1/agreements?\(lead)&q=NOTEBOOK")
            #expect(ids(byTitle) == [commodity.lowercased()])
            let byNumber = try await client.send(.get, "/v1/agreements?q=\(otherScene.token)")
            #expect(ids(byNumber) == [elsewhere.lowercased()])
            let bySupplierName = try await client.send(.get, "/v1/agreements?\(lead)&q=globex%20\(scene.token)")
            #expect(ids(bySupplierName) == [globex.lowercased()])

            // By status.
            let suspend = try await client.send(.patch, "/v1/agreements/\(furniture)", json: ["status": "suspended"])
            #expect(suspend.status == .ok, "\(suspend.text)")
            let suspended = try await client.send(.get, "/v1/agreements?\(lead)&status=suspended")
            #expect(ids(suspended) == [furniture.lowercased()])
            let activeCount = ids(try await client.send(.get, "/v1/agreements?\(lead)&status=active")).count
            #expect(activeCount == 4)
            expectProblem(try await client.send(.get, "/v1/agreements?status=draft"), .badRequest)
            expectProblem(try await client.send(.get, "/v1/agreements?supplierId=nope"), .badRequest)
        }
    }

    @Test func agreementPagesFollowTheCursor() async throws {
        try await withApp { client in
            let scene = try await Scene.make(client)
            var created: [String] = []
            for index in 0..<5 { created.append(try await scene.createAgreement(client, title: "Item \(index)")) }
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let path = "/v1/agreements?supplierId=\(scene.supplier)&limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let reply = try await client.send(.get, path, token: scene.buyer)
                #expect(reply.status == .ok, "\(reply.text)")
                let page = ids(reply)
                #expect(page.count <= 2)
                seen += page
                cursor = reply.json["nextCursor"] as? String
                pages += 1
            } while cursor != nil && pages < 10
            #expect(seen == created.map { $0.lowercased() })
            #expect(pages == 3)
            expectProblem(try await client.send(.get, "/v1/agreements?cursor=abc"), .badRequest)
            expectProblem(try await client.send(.get, "/v1/agreements?limit=0"), .badRequest)
        }
    }

    @Test func usableByMeNeedsTermEligibilityAndAParticipationInstrument() async throws {
        try await withApp { client in
            let scene = try await Scene.make(client)
            let debarredSupplier = try await createSupplier(
                client,
                name: "Debarred \(scene.token)",
                extra: ["status": "debarred", "statusEffectiveOn": "2020-01-01", "statusReason": "SAM.gov exclusion"]
            )
            let open = try await scene.createAgreement(client, title: "Open to all")
            let californiaOnly = try await scene.createAgreement(client, title: "CA only", extra: ["eligibleStates": ["CA"]])
            let schoolsOnly = try await scene.createAgreement(client, title: "Schools", extra: ["eligibleEntityTypes": ["k12"]])
            let texasCities = try await scene.createAgreement(
                client,
                title: "TX cities",
                extra: ["eligibleStates": ["TX"], "eligibleEntityTypes": ["city", "county"]]
            )
            _ = try await scene.createAgreement(client, title: "Suspended", extra: ["status": "suspended"])
            _ = try await scene.createAgreement(
                client,
                title: "Long gone",
                extra: ["effectiveOn": "2010-01-01", "expiresOn": "2011-12-31"]
            )
            let future = try await scene.createAgreement(
                client,
                title: "Not yet",
                extra: ["effectiveOn": "2098-01-01", "expiresOn": "2099-12-31"]
            )
            _ = try await scene.createAgreement(client, title: "Debarred supplier", supplier: debarredSupplier)
            let forOpenOnly = open
            let lead = "leadTenantId=\(scene.lead)"

            func usable(_ tenant: String, on day: String? = nil) async throws -> [String] {
                let token = try await client.token(for: tenant, role: "agency-buyer")
                let reply = try await client.send(
                    .get,
                    "/v1/agreements?\(lead)&usableByMe=true" + (day.map { "&on=\($0)" } ?? ""),
                    token: token
                )
                #expect(reply.status == .ok, "\(reply.text)")
                return ids(reply)
            }

            // A general instrument (no agreement, no state) in force today.
            let general = try await client.createTenant(state: "TX", entityType: "city")
            try await insertParticipation(tenant: general, kind: "interlocal-agreement", effectiveOn: "2020-01-01")
            #expect(try await usable(general) == [open, texasCities].map { $0.lowercased() })
            // The same agency on a later day: the future agreement has started.
            #expect(try await usable(general, on: "2098-06-01") == [open, texasCities, future].map { $0.lowercased() })

            // No instrument at all: nothing is usable, though everything is listed without the filter.
            let none = try await client.createTenant(state: "TX", entityType: "city")
            #expect(try await usable(none) == [])
            let noneToken = try await client.token(for: none, role: "agency-buyer")
            #expect(ids(try await client.send(.get, "/v1/agreements?\(lead)", token: noneToken)).count == 8)

            // An instrument for one agreement only.
            let perAgreement = try await client.createTenant(state: "TX", entityType: "city")
            try await insertParticipation(
                tenant: perAgreement,
                kind: "participating-addendum",
                agreement: forOpenOnly,
                effectiveOn: "2020-01-01"
            )
            #expect(try await usable(perAgreement) == [open.lowercased()])

            // An instrument for the agency's state; one for another state does not count.
            let texasAddendum = try await client.createTenant(state: "TX", entityType: "k12")
            try await insertParticipation(
                tenant: texasAddendum,
                kind: "participating-addendum",
                state: "TX",
                effectiveOn: "2020-01-01"
            )
            #expect(try await usable(texasAddendum) == [open, schoolsOnly].map { $0.lowercased() })
            let wrongState = try await client.createTenant(state: "TX", entityType: "city")
            try await insertParticipation(
                tenant: wrongState,
                kind: "participating-addendum",
                state: "OK",
                effectiveOn: "2020-01-01"
            )
            #expect(try await usable(wrongState) == [])

            // An expired instrument, and one not yet in force.
            let lapsed = try await client.createTenant(state: "TX", entityType: "city")
            try await insertParticipation(
                tenant: lapsed,
                kind: "registration",
                effectiveOn: "2020-01-01",
                expiresOn: "2021-01-01"
            )
            try await insertParticipation(tenant: lapsed, kind: "registration", effectiveOn: "2097-01-01")
            #expect(try await usable(lapsed) == [])

            // State eligibility: a Californian city sees the open and the California agreements.
            let californian = try await client.createTenant(state: "CA", entityType: "city")
            try await insertParticipation(
                tenant: californian,
                kind: "master-intergovernmental-agreement",
                effectiveOn: "2020-01-01"
            )
            #expect(try await usable(californian) == [open, californiaOnly].map { $0.lowercased() })

            // Another agency's instrument never counts for this one (row-level security and the tenant key).
            let neighbour = try await client.createTenant(state: "TX", entityType: "city")
            #expect(try await usable(neighbour) == [])

            // Cooperative tokens have no agency to check.
            let cooperative = try await client.send(.get, "/v1/agreements?usableByMe=true")
            expectProblem(cooperative, .badRequest, type: "bad-request")
            expectProblem(try await client.send(.get, "/v1/agreements?usableByMe=yes", token: scene.buyer), .badRequest)
            expectProblem(try await client.send(.get, "/v1/agreements?on=2026-01-01", token: scene.buyer), .badRequest)
            #expect(try await client.send(.get, "/v1/agreements?usableByMe=false&\(lead)").status == .ok)
        }
    }

    // MARK: Changes

    @Test func agreementPatchChangesWhatMayChange() async throws {
        try await withApp { client in
            let scene = try await Scene.make(client)
            let id = try await scene.createAgreement(
                client,
                extra: ["ceilingCents": 1_000_000, "maximumTermEndsOn": "2099-12-31"]
            )

            let patch = try await client.send(
                .patch,
                "/v1/agreements/\(id)",
                json: [
                    "title": "Renamed", "status": "suspended", "categories": ["44120000"], "eligibleStates": ["NM"],
                    "priceTiers": [["minVolumeCents": 0, "discountBasisPoints": 50]], "maximumTermEndsOn": NSNull(),
                ]
            )
            #expect(patch.status == .ok, "\(patch.text)")
            #expect(patch.string("title") == "Renamed")
            #expect(patch.string("status") == "suspended")
            #expect(patch.json["categories"] as? [String] == ["44120000"])
            #expect(patch.json["eligibleStates"] as? [String] == ["NM"])
            #expect(patch.json["maximumTermEndsOn"] == nil || patch.json["maximumTermEndsOn"] is NSNull)
            #expect(patch.json["ceilingCents"] as? Int == 1_000_000)
            #expect(patch.string("number") != nil)
            #expect(patch.string("supplierName") == scene.supplierName)
            let fetched = try await client.send(.get, "/v1/agreements/\(id)")
            #expect(fetched.string("status") == "suspended")
            #expect(fetched.string("title") == "Renamed")

            // Identity fields and committedCents cannot change.
            for field in ["number", "leadTenantId", "solicitationId", "supplierId", "committedCents"] {
                let value: Any = field == "committedCents" ? 1 : (field == "number" ? "NEW-1" : UUID().uuidString)
                let reply = try await client.send(.patch, "/v1/agreements/\(id)", json: [field: value])
                expectProblem(reply, .unprocessableContent, type: "validation-failed", pointer: "/\(field)")
            }
            // The merged term must still run forward.
            let backwards = try await client.send(.patch, "/v1/agreements/\(id)", json: ["expiresOn": "2019-01-01"])
            expectProblem(backwards, .unprocessableContent, type: "validation-failed", pointer: "/expiresOn")
            let badTiers = try await client.send(
                .patch,
                "/v1/agreements/\(id)",
                json: [
                    "priceTiers": [
                        ["minVolumeCents": 100, "discountBasisPoints": 50], ["minVolumeCents": 50, "discountBasisPoints": 60],
                    ]
                ]
            )
            expectProblem(badTiers, .unprocessableContent, type: "validation-failed", pointer: "/priceTiers/1/minVolumeCents")
            let nullTitle = try await client.send(.patch, "/v1/agreements/\(id)", json: ["title": NSNull()])
            expectProblem(nullTitle, .unprocessableContent, type: "validation-failed", pointer: "/title")

            expectProblem(
                try await client.send(.patch, "/v1/agreements/\(UUID())", json: ["title": "X"]),
                .notFound,
                type: "not-found"
            )
            expectProblem(try await client.send(.get, "/v1/agreements/\(UUID())"), .notFound, type: "not-found")
            expectProblem(try await client.send(.get, "/v1/agreements/not-a-uuid"), .badRequest)

            #expect(try await auditActions(subject: id) == ["agreement.created", "agreement.updated"])
        }
    }

    @Test func theCeilingCannotDropBelowWhatIsCommitted() async throws {
        try await withApp { client in
            let scene = try await Scene.make(client)
            let id = try await scene.createAgreement(client, extra: ["ceilingCents": 10_000_00])
            // The authorization gate maintains the committed amount; here it is set directly.
            let admin = try await TestDatabase.adminURL().connect(logger: TestDatabase.logger)
            defer { Task { try? await admin.close() } }
            try await admin.query(
                "INSERT INTO cooperage.agreement_commitment (agreement_id, committed_cents) VALUES (\(UUID(uuidString: id)!), 600000)",
                logger: TestDatabase.logger
            )

            let shown = try await client.send(.get, "/v1/agreements/\(id)", token: scene.buyer)
            #expect(shown.json["committedCents"] as? Int == 6_000_00)

            let below = try await client.send(.patch, "/v1/agreements/\(id)", json: ["ceilingCents": 5_999_99])
            expectProblem(below, .conflict, type: "conflict", pointer: "/ceilingCents")
            #expect(try await client.send(.get, "/v1/agreements/\(id)").json["ceilingCents"] as? Int == 10_000_00)

            let equal = try await client.send(.patch, "/v1/agreements/\(id)", json: ["ceilingCents": 6_000_00])
            #expect(equal.status == .ok, "\(equal.text)")
            #expect(equal.json["ceilingCents"] as? Int == 6_000_00)
            #expect(equal.json["committedCents"] as? Int == 6_000_00)

            let removed = try await client.send(.patch, "/v1/agreements/\(id)", json: ["ceilingCents": NSNull()])
            #expect(removed.status == .ok, "\(removed.text)")
            #expect(removed.json["ceilingCents"] == nil || removed.json["ceilingCents"] is NSNull)

            let zero = try await client.send(.patch, "/v1/agreements/\(id)", json: ["ceilingCents": 0])
            expectProblem(zero, .unprocessableContent, type: "validation-failed", pointer: "/ceilingCents")
        }
    }

    // MARK: Fixtures

    /// A lead agency with a solicitation, a supplier, and an agency buyer to read with.
    struct Scene: Sendable {
        let token: String
        let lead: String
        let solicitation: String
        let supplier: String
        let supplierName: String
        let agency: String
        let buyer: String

        static func make(_ client: TestClient) async throws -> Scene {
            let token = unique()
            let lead = try await client.createTenant(state: "TX", entityType: "county", name: "City of Lead \(token)")
            let solicitation = try await createSolicitation(client, lead: lead)
            let supplierName = "Initech \(token)"
            let supplier = try await createSupplier(client, name: supplierName)
            let agency = try await client.createTenant()
            let buyer = try await client.token(for: agency, role: "agency-buyer")
            return Scene(
                token: token,
                lead: lead,
                solicitation: solicitation,
                supplier: supplier,
                supplierName: supplierName,
                agency: agency,
                buyer: buyer
            )
        }

        func agreementBody(number: String, extra: [String: Any] = [:]) -> [String: Any] {
            var body: [String: Any] = [
                "number": number, "title": "Technology products", "leadTenantId": lead, "solicitationId": solicitation,
                "supplierId": supplier, "categories": ["43211500", "44120000"], "effectiveOn": "2020-01-01",
                "expiresOn": "2099-12-31",
            ]
            body.merge(extra) { $1 }
            return body
        }

        func createAgreement(
            _ client: TestClient,
            title: String = "Technology products",
            categories: [String] = ["43211500"],
            supplier: String? = nil,
            extra: [String: Any] = [:]
        ) async throws -> String {
            var body = agreementBody(number: "MA-\(token)-\(unique())", extra: ["title": title, "categories": categories])
            if let supplier { body["supplierId"] = supplier }
            body.merge(extra) { $1 }
            let reply = try await client.send(.post, "/v1/agreements", json: body)
            try #require(reply.status == .created, "creating an agreement: \(reply.text)")
            return try #require(reply.string("id"))
        }
    }

    struct InvalidBody: Sendable, CustomTestStringConvertible {
        let label: String
        nonisolated(unsafe) let json: [String: Any]
        let pointer: String
        var testDescription: String { label }
    }
}

// MARK: Helpers

private func unique() -> String {
    String(UUID().uuidString.lowercased().prefix(8))
}

private func ids(_ reply: TestClient.Reply) -> [String] {
    (reply.json["items"] as? [[String: Any]] ?? []).compactMap { ($0["id"] as? String)?.lowercased() }
}

private func solicitationBody(lead: String, number: String) -> [String: Any] {
    [
        "leadTenantId": lead, "number": number, "title": "Technology products and services", "method": "rfp",
        "advertisedWhere": "Houston Chronicle; ESBD", "advertisedOn": "2025-01-10",
        "cooperativeLanguageInSolicitation": true, "cooperativeLanguageInContract": true, "awardBasis": "best-value",
    ]
}

private func createSolicitation(_ client: TestClient, lead: String) async throws -> String {
    let reply = try await client.send(.post, "/v1/solicitations", json: solicitationBody(lead: lead, number: "S-\(unique())"))
    try #require(reply.status == .created, "creating a solicitation: \(reply.text)")
    return try #require(reply.string("id"))
}

private func createSupplier(_ client: TestClient, name: String, extra: [String: Any] = [:]) async throws -> String {
    let reply = try await client.send(.post, "/v1/suppliers", json: ["name": name].merging(extra) { $1 })
    try #require(reply.status == .created, "creating a supplier: \(reply.text)")
    return try #require(reply.string("id"))
}

/// Adds a participation instrument as the server's role, inside the tenant's own transaction (row-level security applies).
private func insertParticipation(
    tenant: String,
    kind: String,
    agreement: String? = nil,
    state: String? = nil,
    effectiveOn: String,
    expiresOn: String? = nil
) async throws {
    let connection = try await TestDatabase.adminURL().with(user: "cooperage_app", password: nil)
        .connect(logger: TestDatabase.logger)
    defer { Task { try? await connection.close() } }
    let tenantID = try #require(UUID(uuidString: tenant))
    let agreementID = agreement.flatMap(UUID.init(uuidString:))
    try await connection.withTransaction(logger: TestDatabase.logger) { connection in
        try await connection.query(
            "SELECT set_config('app.tenant_id', \(tenantID.uuidString.lowercased()), true)",
            logger: TestDatabase.logger
        )
        try await connection.query(
            """
            INSERT INTO participation (tenant_id, kind, agreement_id, state, effective_on, expires_on)
            VALUES (\(tenantID), \(kind), \(agreementID), \(state), \(effectiveOn)::date, \(expiresOn)::date)
            """,
            logger: TestDatabase.logger
        )
    }
}

/// The cooperative chain's actions about one subject, in order.
private func auditActions(subject: String) async throws -> [String] {
    let connection = try await TestDatabase.adminURL().connect(logger: TestDatabase.logger)
    defer { Task { try? await connection.close() } }
    return try await connection.query(
        "SELECT action FROM cooperage.cooperative_audit_event WHERE subject_id = \(subject.lowercased()) ORDER BY seq",
        logger: TestDatabase.logger
    ).decode(String.self).array()
}
