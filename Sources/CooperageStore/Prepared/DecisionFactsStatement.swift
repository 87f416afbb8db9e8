import Foundation
import PostgresNIO

/// `authorization_decision_facts` (sql/schema.sql), prepared once per connection: everything a decision reads.
/// Approvals use it, after the authentication middleware has checked their token; a new request's facts are read
/// with its token's check (``PresentedDecisionFactsStatement``).
struct DecisionFactsStatement: PostgresPreparedStatement {
    static let name = "cooperage_authorization_decision_facts"
    static let sql = "SELECT * FROM authorization_decision_facts($1, $2, $3, $4::date, $5, $6::integer, $7)"
    static let bindingDataTypes: [PostgresDataType] = [.uuid, .text, .uuid, .text, .text, .int8, .uuid]
    typealias Row = PostgresRow

    var tenantID: UUID
    var idempotencyKey: String?
    var agreementID: UUID
    var purchaseDate: String
    var category: String
    var policyVersion: Int?
    var excluding: UUID?

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 7)
        bindings.append(tenantID)
        bindings.append(idempotencyKey)
        bindings.append(agreementID)
        bindings.append(purchaseDate)
        bindings.append(category)
        bindings.append(policyVersion)
        bindings.append(excluding)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { row }
}
