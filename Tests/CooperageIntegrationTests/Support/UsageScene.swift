import CooperageStore
import Foundation
import HTTPTypes
import Testing

/// An agency with an approved authorization on a fresh agreement, ready to register usage.
struct UsageScene {
    let agreement: String
    let agency: String
    let buyer: String
    let authorization: String
    let validFrom: String
    let validUntil: String

    /// - Parameter url: the database the server under test uses, when it is not the shared one.
    static func make(_ client: TestClient, authorizedCents: Int = 1_000_000, on url: DatabaseURL? = nil) async throws
        -> UsageScene
    {
        let lead = try await client.createTenant(state: "TX", entityType: "state-agency", name: "Lead Agency")
        let agreement = try await Fixtures.agreement(lead: lead, on: url)
        let agency = try await client.createTenant(state: "TX", entityType: "city", name: "Buyer City")
        try await Fixtures.participation(tenant: agency, on: url)
        let buyer = try await client.token(for: agency, role: "agency-buyer")
        let reply = try await client.send(
            .post,
            "/v1/authorizations",
            token: buyer,
            json: [
                "agreementId": agreement, "amountCents": authorizedCents, "purchaseDate": "2026-12-01", "category": "43211507",
                "purpose": "Laptops",
            ]
        )
        try #require(reply.string("outcome") == "approved", "authorization: \(reply.text)")
        return UsageScene(
            agreement: agreement,
            agency: agency,
            buyer: buyer,
            authorization: try #require(reply.string("id")),
            validFrom: try #require(reply.string("validFrom")),
            validUntil: try #require(reply.string("validUntil"))
        )
    }

    /// An order body whose lines add up: `quantity` units at `unitPriceCents`, with an optional list price.
    func order(
        po: String,
        quantity: Int = 2,
        unitPriceCents: Int = 100_000,
        listPriceCents: Int? = nil,
        date: String = "2026-12-02"
    )
        -> [String: Any]
    {
        var line: [String: Any] = [
            "description": "Laptop", "unspsc": "43211503", "quantity": quantity, "unitPriceCents": unitPriceCents,
        ]
        if let listPriceCents { line["listPriceCents"] = listPriceCents }
        return [
            "authorizationId": authorization, "poNumber": po, "orderDate": date, "amountCents": quantity * unitPriceCents,
            "lines": [line],
        ]
    }

    static func key(_ value: String = UUID().uuidString) -> HTTPFields {
        [HTTPField.Name("Idempotency-Key")!: value]
    }
}
