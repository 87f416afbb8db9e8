import Foundation
import Testing

/// ``ReportScene``'s two agreements, each of its own supplier, with a supplier-reporter token for each supplier.
struct SupplierScene {
    let agencies: ReportScene
    /// The supplier of `agencies.a1`, and its token.
    let supplier1: String
    let token1: String
    /// The supplier of `agencies.a2`, and its token.
    let supplier2: String
    let token2: String

    var a1: String { agencies.a1 }
    var a2: String { agencies.a2 }

    static func make(_ client: TestClient) async throws -> SupplierScene {
        let agencies = try await ReportScene.make(client)
        let supplier1 = try await supplier(of: agencies.a1, client)
        let supplier2 = try await supplier(of: agencies.a2, client)
        return SupplierScene(
            agencies: agencies,
            supplier1: supplier1,
            token1: try await token(client, supplier: supplier1).token,
            supplier2: supplier2,
            token2: try await token(client, supplier: supplier2).token
        )
    }

    /// The supplier an agreement was awarded to.
    static func supplier(of agreement: String, _ client: TestClient) async throws -> String {
        let reply = try await client.send(.get, "/v1/agreements/\(agreement)")
        try #require(reply.status == .ok, "agreement: \(reply.text)")
        return try #require(reply.string("supplierId")).lowercased()
    }

    /// Issues a supplier-reporter token as the bootstrap admin.
    static func token(_ client: TestClient, supplier: String, name: String = "sales office") async throws -> (
        id: String, token: String
    ) {
        let reply = try await client.send(
            .post,
            "/v1/suppliers/\(supplier)/tokens",
            json: ["role": "supplier-reporter", "name": name]
        )
        try #require(reply.status == .created, "supplier token: \(reply.text)")
        return (try #require(reply.string("id")).lowercased(), try #require(reply.string("token")))
    }

    /// A JSON report body for `agreement` and a quarter of 2026, one line per `(tenant number, cents)`.
    static func report(_ agreement: String, year: Int = 2026, quarter: Int, lines: [(String, String, Int)]) -> [String: Any] {
        let day = String(format: "%04d-%02d-15", year, quarter * 3 - 1)
        return [
            "agreementId": agreement, "year": year, "quarter": quarter,
            "lines": lines.map { name, number, cents in
                [
                    "agencyName": name, "cooperativeNumber": number, "invoiceDate": day, "amountCents": cents,
                    "feeCents": cents / 100,
                ]
                    as [String: Any]
            },
        ]
    }
}
