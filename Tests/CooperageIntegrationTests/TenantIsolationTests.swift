import CooperageStore
import Foundation
import PostgresNIO
import Testing

/// Isolation is enforced by PostgreSQL itself: these tests talk SQL as the server's role, `cooperage_app`.
@Suite struct TenantIsolationTests {
    /// Two tenants, each with one agency token row, inserted through their own tenant transactions.
    func twoTenantsWithTokens(_ connection: PostgresConnection) async throws -> (UUID, UUID) {
        var ids: [UUID] = []
        for name in ["iso-a", "iso-b"] {
            let id = try await connection.query(
                """
                INSERT INTO tenant (legal_name, slug, entity_type, state)
                VALUES (\(name), \(name + "-" + UUID().uuidString.lowercased().prefix(8)), 'city', 'TX') RETURNING id
                """,
                logger: TestDatabase.logger
            ).decode(UUID.self).array().first!
            _ = try await inTenant(id, connection) {
                try await $0.query(
                    "INSERT INTO agency_token (tenant_id, name, role, secret_hash) VALUES (\(id), 'x', 'agency-buyer', \(Data(UUID().uuidString.utf8)))",
                    logger: TestDatabase.logger
                )
            }
            ids.append(id)
        }
        return (ids[0], ids[1])
    }

    func appConnection() async throws -> PostgresConnection {
        try await TestDatabase.adminURL().with(user: "cooperage_app", password: nil).connect(logger: TestDatabase.logger)
    }

    func inTenant<T>(_ tenant: UUID, _ connection: PostgresConnection, _ body: (PostgresConnection) async throws -> T)
        async throws -> T
    {
        try await connection.withTransaction(logger: TestDatabase.logger) { connection in
            try await connection.query(
                "SELECT set_config('app.tenant_id', \(tenant.uuidString), true)",
                logger: TestDatabase.logger
            )
            return try await body(connection)
        }
    }

    func count(_ sql: PostgresQuery, _ connection: PostgresConnection) async throws -> Int {
        try await connection.query(sql, logger: TestDatabase.logger).decode(Int.self).array().first ?? -1
    }

    @Test func aTenantSeesOnlyItsOwnRows() async throws {
        let connection = try await appConnection()
        defer { Task { try? await connection.close() } }
        let (a, b) = try await twoTenantsWithTokens(connection)
        let seenByA = try await inTenant(a, connection) {
            try await $0.query("SELECT DISTINCT tenant_id FROM agency_token", logger: TestDatabase.logger).decode(UUID.self)
                .array()
        }
        #expect(seenByA == [a])
        let bRowsSeenByA = try await inTenant(a, connection) {
            try await count("SELECT count(*) FROM agency_token WHERE tenant_id = \(b)", $0)
        }
        #expect(bRowsSeenByA == 0)
    }

    @Test func aTenantCannotInsertRowsForAnother() async throws {
        let connection = try await appConnection()
        defer { Task { try? await connection.close() } }
        let (a, b) = try await twoTenantsWithTokens(connection)
        await #expect {
            try await inTenant(a, connection) {
                try await $0.query(
                    "INSERT INTO agency_token (tenant_id, name, role, secret_hash) VALUES (\(b), 'forged', 'agency-admin', '\\x00')",
                    logger: TestDatabase.logger
                )
            }
        } throws: { error in
            let cause = (error as? PostgresTransactionError)?.closureError ?? error
            return (cause as? PSQLError)?.serverInfo?[.sqlState] == "42501"
        }
        let forged = try await inTenant(b, connection) {
            try await count("SELECT count(*) FROM agency_token WHERE name = 'forged'", $0)
        }
        #expect(forged == 0)
    }

    @Test func noTenantSetSeesNothing() async throws {
        let connection = try await appConnection()
        defer { Task { try? await connection.close() } }
        _ = try await twoTenantsWithTokens(connection)
        let outside = try await count("SELECT count(*) FROM agency_token", connection)
        #expect(outside == 0)
        // After a tenant transaction ends, its setting is '' on this session: still nothing, and no error.
        let (a, _) = try await twoTenantsWithTokens(connection)
        _ = try await inTenant(a, connection) { try await count("SELECT 1", $0) }
        #expect(try await count("SELECT count(*) FROM agency_token", connection) == 0)
    }

    @Test func everyTenantTableHasForcedRowLevelSecurity() async throws {
        let connection = try await TestDatabase.adminURL().connect(logger: TestDatabase.logger)
        defer { Task { try? await connection.close() } }
        let unprotected = try await connection.query(
            """
            SELECT c.relname FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'cooperage'
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
            WHERE c.relkind IN ('r', 'p') AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
            """,
            logger: TestDatabase.logger
        ).decode(String.self).array()
        #expect(unprotected == [])
        let protected = try await count(
            """
            SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'cooperage'
            WHERE c.relkind IN ('r', 'p') AND c.relrowsecurity AND c.relforcerowsecurity
            """,
            connection
        )
        #expect(protected >= 1)
        // tenant_id leads the primary key of every tenant table.
        let badKeys = try await connection.query(
            """
            SELECT c.relname FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'cooperage'
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
            JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
            WHERE c.relkind IN ('r', 'p') AND i.indkey[0] <> a.attnum
            """,
            logger: TestDatabase.logger
        ).decode(String.self).array()
        #expect(badKeys == [])
    }

    @Test func theServerRoleCannotBypassSecurityAndOwnsNothing() async throws {
        let connection = try await TestDatabase.adminURL().connect(logger: TestDatabase.logger)
        defer { Task { try? await connection.close() } }
        let flags = try await connection.query(
            "SELECT rolsuper, rolbypassrls, rolinherit FROM pg_roles WHERE rolname = 'cooperage_app'",
            logger: TestDatabase.logger
        ).decode((Bool, Bool, Bool).self).array()
        #expect(flags.count == 1)
        #expect(flags.first.map { !$0.0 && !$0.1 && !$0.2 } == true)
        let owned = try await count(
            "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = 'cooperage_app')",
            connection
        )
        #expect(owned == 0)
        let ownerIsSuper = try await connection.query(
            "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = 'cooperage_owner'",
            logger: TestDatabase.logger
        ).decode(Bool.self).array()
        #expect(ownerIsSuper == [false])
    }

    @Test func theOneStatementAuthenticationLeavesNoTenantBehind() async throws {
        let connection = try await appConnection()
        defer { Task { try? await connection.close() } }
        let (a, b) = try await twoTenantsWithTokens(connection)
        let hash = Data(UUID().uuidString.utf8)
        _ = try await inTenant(a, connection) {
            try await $0.query(
                "INSERT INTO agency_token (tenant_id, name, role, secret_hash) VALUES (\(a), 'known', 'agency-buyer', \(hash))",
                logger: TestDatabase.logger
            )
        }
        let found = try await connection.query(
            "SELECT token_name FROM authenticate_agency_token(\(a), \(hash))",
            logger: TestDatabase.logger
        ).decode(String.self).array()
        #expect(found == ["known"])
        // The same hash under another tenant finds nothing, and afterwards the session has no tenant.
        let crossed = try await connection.query(
            "SELECT token_name FROM authenticate_agency_token(\(b), \(hash))",
            logger: TestDatabase.logger
        ).decode(String.self).array()
        #expect(crossed.isEmpty)
        #expect(try await count("SELECT count(*) FROM agency_token", connection) == 0)
    }
}
