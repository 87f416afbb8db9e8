import CooperageCore
import Foundation
import HTTPTypes
import Testing

@testable import CooperageStore

/// `GET /v1/exports/ocds/...` through the API: packages of a Master Agreement and of a purchase pass the
/// offline OCDS validator, and a purchase is visible only to its agency and the cooperative.
@Suite struct OCDSExportTests {
    @Test func agreementAndPurchaseExportsPassTheValidatorAndStayWithinTheirTenant() async throws {
        try await withApp { client in
            let lead = try await client.createTenant(state: "TX", entityType: "state-agency", name: "Lead Agency")
            let agreement = try await Fixtures.agreement(lead: lead, ceilingCents: 100_000_000)
            let agency = try await client.createTenant(state: "TX", entityType: "city", name: "Buyer City")
            try await Fixtures.participation(tenant: agency)
            let buyer = try await client.token(for: agency, role: "agency-buyer")
            let finance = try await client.token(for: agency, role: "agency-finance")
            let stranger = try await client.token(
                for: try await client.createTenant(state: "TX", entityType: "city", name: "Other City"),
                role: "agency-admin"
            )

            // The agreement: any role; an unknown id is a 404.
            let agreementExport = try await client.send(.get, "/v1/exports/ocds/agreements/\(agreement)", token: buyer)
            #expect(agreementExport.status == .ok, "\(agreementExport.text)")
            #expect(agreementExport.headers[.contentType] == "application/json")
            let agreementRelease = try #require((agreementExport.json["releases"] as? [[String: Any]])?.first)
            let agreementOCID = try #require(agreementRelease["ocid"] as? String)
            #expect(agreementOCID.hasPrefix("ocds-cooperage-MA-MA-"))
            #expect(agreementRelease["tag"] as? [String] == ["award"])
            let unknown = try await client.send(.get, "/v1/exports/ocds/agreements/\(UUID())", token: buyer)
            #expect(unknown.status == .notFound)

            // An approved authorization, an order under it, and a partial reversal.
            let authorization = try await client.send(
                .post,
                "/v1/authorizations",
                token: buyer,
                json: [
                    "agreementId": agreement, "amountCents": 500_000, "purchaseDate": "2026-12-01", "category": "43211507",
                    "purpose": "Laptops for the building department",
                ]
            )
            #expect(authorization.string("outcome") == "approved", "\(authorization.text)")
            let authorizationID = try #require(authorization.string("id"))
            let order = try await client.send(
                .post,
                "/v1/usage",
                token: buyer,
                json: [
                    "authorizationId": authorizationID, "poNumber": "PO 2026/77", "orderDate": "2026-12-01",
                    "amountCents": 329_997,
                    "lines": [
                        ["description": "Laptop, 14 inch", "unspsc": "43211507", "quantity": 3, "unitPriceCents": 99_999],
                        [
                            "description": "Docking station", "unspsc": "43211602", "quantity": 1, "unitPriceCents": 30_000,
                            "listPriceCents": 35_000,
                        ],
                    ],
                ],
                headers: [HTTPField.Name("Idempotency-Key")!: UUID().uuidString]
            )
            #expect(order.status == .created, "\(order.text)")
            let orderID = try #require(order.string("id"))
            let reversal = try await client.send(
                .post,
                "/v1/usage/\(orderID)/reversal",
                token: buyer,
                json: ["amountCents": 30_000, "reason": "Docking station returned"],
                headers: [HTTPField.Name("Idempotency-Key")!: UUID().uuidString]
            )
            #expect(reversal.status == .created, "\(reversal.text)")

            // The purchase: the agency's roles, and the cooperative naming the agency.
            let purchase = try await client.send(.get, "/v1/exports/ocds/usage/\(orderID)", token: finance)
            #expect(purchase.status == .ok, "\(purchase.text)")
            #expect(purchase.headers[.contentType] == "application/json")
            let release = try #require((purchase.json["releases"] as? [[String: Any]])?.first)
            #expect((release["ocid"] as? String)?.hasPrefix("ocds-cooperage-PO-t-") == true)
            #expect(release["tag"] as? [String] == ["award", "contract"])
            let related = try #require((release["relatedProcesses"] as? [[String: Any]])?.first)
            #expect(related["relationship"] as? [String] == ["framework"])
            #expect(related["identifier"] as? String == agreementOCID)
            let tender = try #require(release["tender"] as? [String: Any])
            #expect(tender["competitive"] as? Bool == false)
            #expect((tender["procurementMethodRationale"] as? String)?.contains(authorizationID.lowercased()) == true)
            let award = try #require((release["awards"] as? [[String: Any]])?.first)
            #expect((award["value"] as? [String: Any])?["amount"] as? Double == 3_299.97)
            #expect((award["items"] as? [Any])?.count == 2)
            let contract = try #require((release["contracts"] as? [[String: Any]])?.first)
            #expect((contract["value"] as? [String: Any])?["amount"] as? Double == 2_999.97)
            #expect((contract["amendments"] as? [[String: Any]])?.first?["rationale"] as? String == "Docking station returned")

            let byCooperative = try await client.send(.get, "/v1/exports/ocds/usage/\(orderID)?tenantId=\(agency)")
            #expect(byCooperative.status == .ok)
            #expect(byCooperative.json["releases"] as? [[String: Any]] != nil)
            let withoutTenant = try await client.send(.get, "/v1/exports/ocds/usage/\(orderID)")
            #expect(withoutTenant.status == .badRequest)
            let reversalID = try #require(reversal.string("id"))
            let viaReversal = try await client.send(.get, "/v1/exports/ocds/usage/\(reversalID)", token: buyer)
            #expect(
                (viaReversal.json["releases"] as? [[String: Any]])?.first?["ocid"] as? String == release["ocid"] as? String
            )

            // Another agency learns nothing, with or without naming the owner.
            let foreign = try await client.send(.get, "/v1/exports/ocds/usage/\(orderID)", token: stranger)
            #expect(foreign.status == .notFound)
            let foreignNamed = try await client.send(
                .get,
                "/v1/exports/ocds/usage/\(orderID)?tenantId=\(agency)",
                token: stranger
            )
            #expect(foreignNamed.status == .notFound)
            let unauthenticated = try await client.send(.get, "/v1/exports/ocds/usage/\(orderID)", token: nil)
            #expect(unauthenticated.status == .unauthorized)

            // Both bodies, exactly as served, pass the offline validator.
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ocds-api-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let agreementFile = folder.appendingPathComponent("agreement.json")
            let purchaseFile = folder.appendingPathComponent("purchase.json")
            try agreementExport.body.write(to: agreementFile)
            try purchase.body.write(to: purchaseFile)
            let result = try OCDSValidator.run([agreementFile.path, purchaseFile.path])
            print(result.output)
            #expect(result.status == 0, "validator output:\n\(result.output)")
            #expect(result.output.contains("ocds: 2 passed, 0 failed"), "validator output:\n\(result.output)")
        }
    }
}

/// Runs the repository's offline OCDS validator (`Tests/OCDSValidator/check`, found from this file's
/// path); a missing script fails the test. Its first run creates the validator's virtual environment
/// under a lock, so parallel runs wait for it.
enum OCDSValidator {
    struct Result {
        let status: Int32
        let output: String
    }

    static func run(_ files: [String]) throws -> Result {
        let check = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("OCDSValidator/check").standardizedFileURL.path
        try #require(
            FileManager.default.fileExists(atPath: check),
            "The OCDS validator is missing: expected \(check) in the repository."
        )
        // ProcessRunner, not Foundation's Process: the validator must not hold the sockets of the servers under test.
        let run = try ProcessRunner.run(["/bin/bash", check] + files)
        return Result(status: run.status, output: run.output)
    }
}
