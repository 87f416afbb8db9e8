import CooperageCore
import Foundation
import PostgresNIO

/// `authorization_decision_facts_presented` (sql/schema.sql), prepared once per connection: a new request's facts,
/// read only when the agency token that asks for the decision is usable, its agency active and its role allowed.
struct PresentedDecisionFactsStatement: PostgresPreparedStatement {
    static let name = "cooperage_authorization_decision_facts_presented"
    static let sql = "SELECT * FROM authorization_decision_facts_presented($1, $2, $3, $4, $5, $6::date, $7)"
    static let bindingDataTypes: [PostgresDataType] = [.uuid, .bytea, .textArray, .text, .uuid, .text, .text]
    typealias Row = PostgresRow

    var tenantID: UUID
    var secretHash: Data
    var roles: [Role]
    var idempotencyKey: String?
    var agreementID: UUID
    var purchaseDate: String
    var category: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 7)
        bindings.append(tenantID)
        try bindings.append(secretHash)
        bindings.append(roles.map(\.rawValue))
        bindings.append(idempotencyKey)
        bindings.append(agreementID)
        bindings.append(purchaseDate)
        bindings.append(category)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { row }
}
