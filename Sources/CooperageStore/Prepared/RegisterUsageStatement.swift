import CooperageCore
import Foundation
import PostgresNIO

/// `usage_register_presented` (sql/schema.sql), prepared once per connection: the whole registration of a purchase
/// order, the check of the agency token that asks for it included. JSON travels as text (as the driver encodes
/// it) and is cast in the statement; the order's day is a `date` parameter (``DateBinding``).
struct RegisterUsageStatement: PostgresPreparedStatement {
    static let name = "cooperage_usage_register_presented"
    static let sql = """
        SELECT * FROM usage_register_presented($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14)
        """
    static let bindingDataTypes: [PostgresDataType] = [
        .uuid, .bytea, .textArray, .text, .text, .uuid, .uuid, .text, .date, .int8, .int8, .int8, .text, .text,
    ]
    typealias Row = PostgresRow

    var tenantID: UUID
    var secretHash: Data
    /// `token` or `console-session` (``PresentedCredential``).
    var credential: String
    var roles: [Role]
    var idempotencyKey: String
    var requestDigest: String
    var id: UUID
    var order: NewUsage

    func makeBindings() throws -> PostgresBindings {
        let listed = order.listedTotals
        var bindings = PostgresBindings(capacity: 14)
        bindings.append(tenantID)
        try bindings.append(secretHash)
        bindings.append(roles.map(\.rawValue))
        bindings.append(idempotencyKey)
        bindings.append(requestDigest)
        bindings.append(id)
        bindings.append(order.authorizationId)
        bindings.append(order.poNumber)
        bindings.append(DateBinding(order.orderDate))
        bindings.append(order.amountCents)
        bindings.append(listed.listCents)
        bindings.append(listed.paidCents)
        bindings.append(UsageLine.jsonText(order.lines))
        bindings.append(credential)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { row }
}
