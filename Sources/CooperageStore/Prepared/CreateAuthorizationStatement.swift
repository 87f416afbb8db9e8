import CooperageCore
import Foundation
import PostgresNIO

/// `authorization_create` (sql/schema.sql), prepared once per connection: a request with its first decision and
/// their audit events. Dates and JSON travel as text and are cast in the statement.
struct CreateAuthorizationStatement: PostgresPreparedStatement {
    static let name = "cooperage_authorization_create"
    static let sql = """
        SELECT id, seq, created_at, decided_at FROM authorization_create(
            $1, $2, $3, $4, $5::date, $6, $7::jsonb, $8, $9::jsonb, $10, $11, $12, $13::jsonb, $14::integer, $15::jsonb, $16,
            $17::date, $18::date, $19, $20, $21, $22::integer)
        """
    static let bindingDataTypes: [PostgresDataType] = [
        .uuid, .uuid, .uuid, .int8, .text, .text, .text, .text, .text, .text, .text, .text, .text, .int8, .text, .int8,
        .text, .text, .uuid, .text, .text, .int8,
    ]
    typealias Row = (UUID, Int64, Date, Date)

    var tenantID: UUID
    var agreementID: UUID
    var supplierID: UUID
    var request: AuthorizationContext.Request
    var idempotencyKey: String?
    var requestDigest: String
    var decision: Decision
    /// The decision's results as JSON.
    var results: String
    var policyVersion: Int
    /// The decision's inputs (the whole context) as JSON.
    var inputs: String
    var actor: Actor
    var decisionDigest: String
    /// The version of the agreement's terms the decision was made under (``DecisionContextLoader/Loaded``).
    var agreementTermsVersion: Int

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 22)
        bindings.append(tenantID)
        bindings.append(agreementID)
        bindings.append(supplierID)
        bindings.append(request.amountCents)
        bindings.append(request.purchaseDate.description)
        bindings.append(request.category)
        bindings.append(try JSONColumn.text(request.fundingLines))
        bindings.append(request.purpose)
        bindings.append(try JSONColumn.text(request.evidence))
        bindings.append(idempotencyKey)
        bindings.append(requestDigest)
        bindings.append(decision.outcome.rawValue)
        bindings.append(results)
        bindings.append(policyVersion)
        bindings.append(inputs)
        bindings.append(decision.authorizedAmountCents)
        bindings.append(decision.validFrom?.description)
        bindings.append(decision.validUntil?.description)
        bindings.append(actor.tokenID)
        bindings.append(actor.role)
        bindings.append(decisionDigest)
        bindings.append(agreementTermsVersion)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}
