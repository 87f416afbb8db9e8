import CooperageStore
import Foundation
import PostgresNIO
import Testing

/// Keeps the schema and the server's statements in the shape Citus can distribute (deploy/citus/): tenant tables
/// distributed and colocated by `tenant_id`, cooperative tables as reference tables. CI has no Citus; these checks
/// run on the migrated catalog and the sources, so a change that would break distribution fails here first.
@Suite struct CitusShapeTests {
    /// The cooperative's tables that tenant tables may point at: reference tables on Citus (copied to every node).
    static let referenceTables: Set<String> = [
        "tenant", "cooperative_token", "supplier", "solicitation", "agreement", "supplier_token", "agreement_terms",
    ]

    func names(_ sql: String) async throws -> [String] {
        try await Fixtures.admin { connection in
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: TestDatabase.logger).decode(String.self).array()
        }
    }

    /// Tables of schema cooperage with a `tenant_id` column, and that column's number.
    static let tenantTables = """
        SELECT c.oid, c.relname, a.attnum FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'cooperage'
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
        WHERE c.relkind IN ('r', 'p')
        """

    @Test func everyUniqueIndexOfATenantTableIncludesTenantID() async throws {
        let offending = try await names(
            """
            WITH t AS (\(Self.tenantTables))
            SELECT t.relname || '.' || i.relname FROM t
            JOIN pg_index x ON x.indrelid = t.oid JOIN pg_class i ON i.oid = x.indexrelid
            WHERE x.indisunique AND NOT (t.attnum = ANY (x.indkey::int2[]))
            ORDER BY 1
            """
        )
        #expect(offending == [], "unique without tenant_id (Citus cannot enforce it across shards)")
    }

    @Test func foreignKeysBetweenTenantTablesMapTenantIDToTenantID() async throws {
        let offending = try await names(
            """
            WITH t AS (\(Self.tenantTables))
            SELECT con.conname FROM pg_constraint con
            JOIN t src ON src.oid = con.conrelid JOIN t dst ON dst.oid = con.confrelid
            WHERE con.contype = 'f'
              AND NOT EXISTS (SELECT FROM unnest(con.conkey, con.confkey) AS k(s, d)
                              WHERE k.s = src.attnum AND k.d = dst.attnum)
            ORDER BY 1
            """
        )
        #expect(offending == [], "foreign keys between tenant tables must be colocated by tenant_id")
    }

    @Test func tenantTablesPointOnlyAtReferenceTablesAndNeverTheOtherWay() async throws {
        let targets = try await names(
            """
            WITH t AS (\(Self.tenantTables))
            SELECT DISTINCT dst.relname FROM pg_constraint con
            JOIN t src ON src.oid = con.conrelid JOIN pg_class dst ON dst.oid = con.confrelid
            WHERE con.contype = 'f' AND dst.oid NOT IN (SELECT oid FROM t)
            ORDER BY 1
            """
        )
        #expect(Set(targets).subtracting(Self.referenceTables).isEmpty, "not declared reference tables: \(targets)")
        let backwards = try await names(
            """
            WITH t AS (\(Self.tenantTables))
            SELECT con.conname FROM pg_constraint con
            JOIN pg_class src ON src.oid = con.conrelid JOIN pg_namespace n ON n.oid = src.relnamespace
            WHERE con.contype = 'f' AND n.nspname = 'cooperage'
              AND src.oid NOT IN (SELECT oid FROM t) AND con.confrelid IN (SELECT oid FROM t)
            ORDER BY 1
            """
        )
        #expect(backwards == [], "a reference table may not point at a distributed table")
    }

    @Test func noRowLevelSecurityPolicyHoldsASubquery() async throws {
        let offending = try await names(
            """
            SELECT c.relname || '.' || p.polname FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'cooperage'
            WHERE coalesce(pg_get_expr(p.polqual, p.polrelid), '') ~* '\\mselect\\M'
               OR coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '') ~* '\\mselect\\M'
            ORDER BY 1
            """
        )
        #expect(offending == [], "Citus cannot push a policy with a subquery down to the shards")
    }

    /// Citus refuses non-IMMUTABLE functions in RETURNING on distributed and reference tables. A review by test:
    /// every RETURNING clause of the server's Swift statements and of the SQL functions in sql/schema.sql names
    /// plain columns only (a cast to a type, `NULL::uuid AS`, `INTO` targets), never a function or an interpolated
    /// column list.
    @Test func noStatementReturnsAComputedValue() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var files = try FileManager.default.subpathsOfDirectory(atPath: root.appendingPathComponent("Sources").path)
            .filter { $0.hasSuffix(".swift") }.map { root.appendingPathComponent("Sources").appendingPathComponent($0) }
        files.append(root.appendingPathComponent("sql/schema.sql"))
        // Columns, and jsonb columns as text (jsonb output is immutable; a date's or timestamp's is not).
        let plain = try Regex(#"^[\w\s,.]*$"#)
        let jsonText = try Regex(
            #"\b(rules|lines|data|evidence|inputs|results|documents|price_tiers|renewal_options|diversity_certifications)::text"#
        )
        var offending: [String] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            // A store's shared column list, interpolated as `\(unescaped: Self.columns)`.
            let columns =
                text.firstMatch(of: try Regex(#"static let columns = (?:"""\n([^"]*)"""|"([^"\n]*)")"#))
                .flatMap { $0.output[1].substring ?? $0.output[2].substring }.map(String.init) ?? ""
            for match in text.matches(of: try Regex(#"RETURNING\s+([^;"\n]*)"#)) {
                guard let clause = match.output[1].substring else { continue }
                var returned = String(clause).replacingOccurrences(of: "\\(unescaped: Self.columns)", with: columns)
                // The clause ends at INTO (PL/pgSQL) or at the closing parenthesis of a CTE (followed by the next).
                if let into = returned.range(of: " INTO ") { returned = String(returned[..<into.lowerBound]) }
                if returned.hasSuffix("),") { returned.removeLast(2) } else if returned.hasSuffix(")") { returned.removeLast() }
                returned = returned.replacingOccurrences(of: "NULL::uuid AS", with: "")
                    .replacing(jsonText, with: "json")
                if returned.wholeMatch(of: plain) == nil {
                    offending.append("\(file.lastPathComponent): RETURNING \(returned)")
                }
            }
        }
        #expect(offending == [], "RETURNING must name columns only (format them in Swift or read them again)")
    }
}

/// `database.citus`: the tenant set with `SET LOCAL` after `citus.propagate_set_commands`, which plain PostgreSQL
/// takes as placeholder settings, so the same transactions run here as on a Citus coordinator.
@Suite struct CitusTenantSettingTests {
    @Test func aCitusPoolSetsTheTenantForOneTransactionOnly() async throws {
        try await withApp { client in
            let tenant = try await client.createTenant()
            _ = try await client.token(for: tenant, role: "agency-buyer")
            let database = Database(
                url: try await TestDatabase.adminURL(),
                appPassword: nil,
                maximumConnections: 1,
                citus: true,
                logger: TestDatabase.logger
            )
            let running = Task { try await database.run() }
            defer { running.cancel() }
            let id = try #require(UUID(uuidString: tenant))
            let inside = try await database.withTenant(id) { connection in
                try await connection.query(
                    """
                    SELECT current_setting('citus.propagate_set_commands'), current_setting('app.tenant_id'),
                           (SELECT count(*) FROM agency_token)::int
                    """,
                    logger: TestDatabase.logger
                ).decode((String, String, Int).self).array().first
            }
            #expect(inside?.0 == "local")
            #expect(inside?.1 == tenant.lowercased())
            #expect(inside?.2 == 1)
            // The same pooled connection (the pool has one) after the transaction: no tenant, no rows.
            let after = try await database.withTransaction { connection in
                try await connection.query(
                    "SELECT coalesce(current_setting('app.tenant_id', true), ''), (SELECT count(*) FROM agency_token)::int",
                    logger: TestDatabase.logger
                ).decode((String, Int).self).array().first
            }
            #expect(after?.0 == "")
            #expect(after?.1 == 0)
        }
    }
}
