import Foundation
import PostgresNIO

/// `authenticate_agency_token` (sql/schema.sql), prepared once per connection: every agency request runs it.
struct AuthenticateAgencyTokenStatement: PostgresPreparedStatement {
    static let name = "cooperage_authenticate_agency_token"
    static let sql = "SELECT token_id, token_name, token_role, tenant_status, usable FROM authenticate_agency_token($1, $2)"
    static let bindingDataTypes: [PostgresDataType] = [.uuid, .bytea]
    typealias Row = (UUID, String, String, String, Bool)

    var tenantID: UUID
    var hash: Data

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(tenantID)
        try bindings.append(hash)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}
