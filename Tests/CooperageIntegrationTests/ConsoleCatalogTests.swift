import Foundation
import HTTPTypes
import Testing

/// The cooperative admin's catalogue pages: suppliers, solicitations, Master Agreements (create and edit).
@Suite struct ConsoleCatalogTests {
    static let hostile = "<script>alert(1)</script>"
    static let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"

    @Test func anAdminAddsASupplierAndChangesItsStatus() async throws {
        try await withApp { client in
            let admin = try await ConsoleBrowser.signIn(client, token: TestClient.adminToken)
            #expect(try await admin.get("/console/suppliers").status == .ok)
            let csrf = try await admin.csrf(on: "/console/suppliers/new")
            let bad = try await admin.post(
                "/console/suppliers",
                [("_csrf", csrf), ("name", "Bad EIN Inc"), ("ein", "12"), ("status", "debarred")]
            )
            #expect(bad.status == .unprocessableContent)
            for field in ["ein", "statusEffectiveOn", "statusReason"] { #expect(bad.text.contains("id=\"\(field)-error\"")) }
            #expect(bad.text.contains("value=\"Bad EIN Inc\""))
            let name = "\(Self.hostile) Supply \(UUID().uuidString.prefix(8))"
            let created = try await admin.post(
                "/console/suppliers",
                [("_csrf", csrf), ("name", name), ("ein", "12-3456789"), ("status", "active")]
            )
            #expect(created.status == .seeOther, "\(created.text)")
            let location = try #require(created.headers[.location])
            let page = try await admin.get(location)
            #expect(page.status == .ok)
            #expect(!page.text.contains(Self.hostile))
            #expect(page.text.contains(Self.escaped))
            let id = String(location.split(separator: "/").last ?? "")
            #expect(
                try await admin.get("/console/suppliers?q=\(ConsoleBrowser.encode(name))").text.contains(
                    "/console/suppliers/\(id)"
                )
            )

            let missing = try await admin.post("\(location)/status", [("_csrf", csrf), ("status", "suspended")])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.text.contains("id=\"statusReason-error\""))
            let changed = try await admin.post(
                "\(location)/status",
                [("_csrf", csrf), ("status", "suspended"), ("statusEffectiveOn", "2026-11-01"), ("statusReason", "Case 42")]
            )
            #expect(changed.status == .seeOther)
            let supplier = try await client.send(.get, "/v1/suppliers/\(id)")
            #expect(supplier.string("status") == "suspended")
            #expect(supplier.string("statusReason") == "Case 42")
            #expect(try await admin.post("\(location)/status", [("status", "active")]).status == .forbidden)
        }
    }

    @Test func agencyPeopleReadSuppliersAndSolicitationsButChangeNothing() async throws {
        try await withApp { client in
            let lead = try await client.createTenant(name: "Lead Agency").lowercased()
            let agreement = try await Fixtures.agreement(lead: lead)
            let record = try await client.send(.get, "/v1/agreements/\(agreement)")
            let supplier = try #require(record.string("supplierId")).lowercased()
            let solicitation = try #require(record.string("solicitationId")).lowercased()
            let buyer = try await ConsoleBrowser.signIn(client, token: try await client.token(for: lead, role: "agency-buyer"))
            #expect(try await buyer.get("/console/suppliers").status == .ok)
            #expect(try await buyer.get("/console/suppliers/\(supplier)").status == .ok)
            #expect(!(try await buyer.get("/console/suppliers/\(supplier)").text.contains("Change the status")))
            #expect(try await buyer.get("/console/solicitations/\(solicitation)").status == .ok)
            #expect(try await buyer.get("/console/suppliers/\(UUID())").status == .notFound)
            for path in [
                "/console/suppliers/new", "/console/solicitations/new", "/console/agreements/new",
                "/console/agreements/\(agreement)/edit",
            ] {
                #expect(try await buyer.get(path).status == .forbidden, "\(path)")
            }
            let csrf = try await buyer.csrf(on: "/console/suppliers")
            #expect(
                try await buyer.post(
                    "/console/suppliers/\(supplier)/status",
                    [("_csrf", csrf), ("status", "debarred"), ("statusEffectiveOn", "2026-01-01"), ("statusReason", "x")]
                ).status == .forbidden
            )
            #expect(try await buyer.post("/console/suppliers", [("_csrf", csrf), ("name", "X")]).status == .forbidden)
            #expect(try await buyer.post("/console/solicitations", [("_csrf", csrf), ("number", "X")]).status == .forbidden)
            #expect(try await buyer.post("/console/agreements", [("_csrf", csrf), ("number", "X")]).status == .forbidden)
            #expect(
                try await buyer.post("/console/agreements/\(agreement)/edit", [("_csrf", csrf), ("title", "X")]).status
                    == .forbidden
            )
            #expect(try await client.send(.get, "/v1/suppliers/\(supplier)").string("status") == "active")
        }
    }

    @Test func anAdminRecordsASolicitationAndPublishesAnAgreementFromIt() async throws {
        try await withApp { client in
            let lead = try await client.createTenant(name: "\(Self.hostile) Lead").lowercased()
            let admin = try await ConsoleBrowser.signIn(client, token: TestClient.adminToken)
            let supplier = try await client.send(.post, "/v1/suppliers", json: ["name": "\(Self.hostile) Computing"])
            let supplierID = try #require(supplier.string("id")).lowercased()
            let csrf = try await admin.csrf(on: "/console/solicitations/new?leadTenantId=\(lead)")
            #expect(try await admin.get("/console/solicitations/new?leadTenantId=\(lead)").text.contains("value=\"\(lead)\""))
            let bad = try await admin.post(
                "/console/solicitations",
                [
                    ("_csrf", csrf), ("leadTenantId", "not-an-id"), ("number", "RFP-1"), ("title", "T"), ("method", "rfp"),
                    ("awardBasis", "best-value"),
                ]
            )
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("id=\"leadTenantId-error\""))
            let number = "RFP-\(UUID().uuidString.prefix(8))"
            let recorded = try await admin.post(
                "/console/solicitations",
                [
                    ("_csrf", csrf), ("leadTenantId", lead), ("number", number), ("title", "\(Self.hostile) laptops"),
                    ("method", "rfp"),
                    ("advertisedWhere", "State portal"), ("advertisedOn", "2025-09-01"),
                    ("cooperativeLanguageInSolicitation", "on"),
                    ("cooperativeLanguageInContract", "on"), ("awardBasis", "best-value"), ("awardDate", "2025-12-01"),
                ]
            )
            #expect(recorded.status == .seeOther, "\(recorded.text)")
            let solicitationPath = try #require(recorded.headers[.location])
            let solicitationID = String(solicitationPath.split(separator: "/").last ?? "")
            let solicitation = try await admin.get(solicitationPath)
            #expect(solicitation.status == .ok)
            #expect(!solicitation.text.contains(Self.hostile))
            #expect(solicitation.text.contains("\(Self.escaped) laptops"))
            #expect(try await admin.get("/console/solicitations?leadTenantId=\(lead)").text.contains(number))

            let form = try await admin.get("/console/agreements/new?solicitationId=\(solicitationID)&supplierId=\(supplierID)")
            #expect(form.status == .ok)
            #expect(form.text.contains("value=\"\(lead)\""))
            #expect(!form.text.contains(Self.hostile))
            let agreementNumber = "MA-\(UUID().uuidString.prefix(8))"
            var fields: [(String, String)] = [
                ("_csrf", csrf), ("number", agreementNumber), ("solicitationId", solicitationID), ("leadTenantId", lead),
                ("supplierId", supplierID), ("title", "Laptops"), ("categories", "43210000\n43211500"),
                ("effectiveOn", "2026-01-01"),
                ("expiresOn", "2028-12-31"), ("status", "active"), ("ceilingCents", "$1,500,000.50"),
                ("eligibleEntityTypes", "city"), ("eligibleEntityTypes", "county"), ("eligibleStates", "TX, OK"),
                ("complianceLetterOnFile", "on"), ("adminFeeBasisPoints", "200"),
                ("tierMinVolume", "0"), ("tierDiscount", "100"), ("tierMinVolume", "250,000"), ("tierDiscount", "250"),
                ("tierMinVolume", ""), ("tierDiscount", ""),
            ]
            let badTiers = try await admin.post(
                "/console/agreements",
                fields.map { $0.0 == "tierDiscount" && $0.1 == "250" ? ("tierDiscount", "20000") : $0 }
            )
            #expect(badTiers.status == .unprocessableContent)
            #expect(badTiers.text.contains("id=\"priceTiers-error\""))
            #expect(badTiers.text.contains("value=\"20000\""))
            let created = try await admin.post("/console/agreements", fields)
            #expect(created.status == .seeOther, "\(created.text)")
            let location = try #require(created.headers[.location])
            let id = String(location.split(separator: "/").last ?? "")
            let agreement = try await client.send(.get, "/v1/agreements/\(id)")
            #expect(agreement.json["ceilingCents"] as? Int == 150_000_050)
            #expect(agreement.json["eligibleEntityTypes"] as? [String] == ["city", "county"])
            #expect(agreement.json["eligibleStates"] as? [String] == ["TX", "OK"])
            #expect(agreement.json["telecomAttestation200216"] as? Bool == false)
            let tiers = try #require(agreement.json["priceTiers"] as? [[String: Any]])
            #expect(tiers.count == 2)
            #expect(tiers.last?["minVolumeCents"] as? Int == 25_000_000)

            // Edit: the form shows the agreement; clearing the ceiling and a tier is a change like any other.
            let edit = try await admin.get("/console/agreements/\(id)/edit")
            #expect(edit.status == .ok)
            #expect(edit.text.contains("value=\"1,500,000.50\""))
            #expect(edit.text.contains("id=\"eligible-city\" name=\"eligibleEntityTypes\" value=\"city\" checked"))
            fields = [
                ("_csrf", csrf), ("title", "\(Self.hostile) Laptops and tablets"), ("categories", "43210000"),
                ("effectiveOn", "2026-01-01"), ("expiresOn", "2029-12-31"), ("status", "active"), ("ceilingCents", ""),
                ("eligibleStates", ""), ("telecomAttestation200216", "on"), ("adminFeeBasisPoints", "150"),
                ("tierMinVolume", "0"), ("tierDiscount", "100"),
            ]
            let inverted = try await admin.post(
                "/console/agreements/\(id)/edit",
                fields.map { $0.0 == "expiresOn" ? ("expiresOn", "2025-01-01") : $0 }
            )
            #expect(inverted.status == .unprocessableContent)
            #expect(inverted.text.contains("id=\"expiresOn-error\""))
            let saved = try await admin.post("/console/agreements/\(id)/edit", fields)
            #expect(saved.status == .seeOther, "\(saved.text)")
            let changed = try await client.send(.get, "/v1/agreements/\(id)")
            #expect(changed.json["ceilingCents"] == nil || changed.json["ceilingCents"] is NSNull)
            #expect(changed.json["eligibleEntityTypes"] as? [String] == [])
            #expect(changed.json["eligibleStates"] as? [String] == [])
            #expect(changed.json["adminFeeBasisPoints"] as? Int == 150)
            #expect((changed.json["priceTiers"] as? [[String: Any]])?.count == 1)
            let reread = try await admin.get("/console/agreements/\(id)/edit")
            #expect(!reread.text.contains(Self.hostile))
            #expect(reread.text.contains("\(Self.escaped) Laptops and tablets"))
            #expect(try await admin.get("/console/agreements/\(UUID())/edit").status == .notFound)
        }
    }

    @Test func catalogueFormsRefuseAMissingCSRFToken() async throws {
        try await withApp { client in
            let lead = try await client.createTenant().lowercased()
            let agreement = try await Fixtures.agreement(lead: lead)
            let supplier = try #require(try await client.send(.get, "/v1/agreements/\(agreement)").string("supplierId"))
            let admin = try await ConsoleBrowser.signIn(client, token: TestClient.adminToken)
            for path in [
                "/console/suppliers", "/console/suppliers/\(supplier)/status", "/console/solicitations", "/console/agreements",
                "/console/agreements/\(agreement)/edit",
            ] {
                #expect(
                    try await admin.post(path, [("name", "X"), ("title", "X"), ("status", "debarred")]).status == .forbidden,
                    "\(path)"
                )
            }
            #expect(try await client.send(.get, "/v1/suppliers/\(supplier)").string("status") == "active")
            #expect(try await client.send(.get, "/v1/agreements/\(agreement)").string("title") == "Computers and peripherals")
        }
    }
}
