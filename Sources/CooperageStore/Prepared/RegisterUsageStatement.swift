import CooperageCore
import Foundation
import PostgresNIO

/// `usage_register` (sql/0009), prepared once per connection: the whole registration of a purchase order.
/// Dates and JSON travel as text (as the driver encodes them) and are cast in the statement.
struct RegisterUsageStatement: PostgresPreparedStatement {
    static let name = "cooperage_usage_register"
    static let sql = """
        SELECT * FROM usage_register($1, $2, $3, $4, $5, $6, $7::date, $8, $9, $10, $11::jsonb, $12, $13)
        """
    static let bindingDataTypes: [PostgresDataType] = [
        .uuid, .text, .text, .uuid, .uuid, .text, .text, .int8, .int8, .int8, .text, .uuid, .text,
    ]
    typealias Row = PostgresRow

    var tenantID: UUID
    var idempotencyKey: String
    var requestDigest: String
    var id: UUID
    var order: NewUsage
    var actor: Actor

    func makeBindings() throws -> PostgresBindings {
        let listed = order.listedTotals
        var bindings = PostgresBindings(capacity: 13)
        bindings.append(tenantID)
        bindings.append(idempotencyKey)
        bindings.append(requestDigest)
        bindings.append(id)
        bindings.append(order.authorizationId)
        bindings.append(order.poNumber)
        bindings.append(order.orderDate.description)
        bindings.append(order.amountCents)
        bindings.append(listed.listCents)
        bindings.append(listed.paidCents)
        bindings.append(UsageLine.jsonText(order.lines))
        bindings.append(actor.tokenID)
        bindings.append(actor.role)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { row }
}
