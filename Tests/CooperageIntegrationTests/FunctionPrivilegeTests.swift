import CooperageStore
import Foundation
import PostgresNIO
import Testing

/// Which functions the server's roles may execute: exactly what they call, and nothing superseded (sql/0019).
@Suite struct FunctionPrivilegeTests {
    /// The README's catalog query ("Who may execute what"), run as it is printed there.
    static let catalogQuery = """
        SELECT r.rolname AS role, p.oid::regprocedure::text AS function
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        CROSS JOIN (VALUES ('cooperage_app'), ('cooperage_coop'), ('cooperage_supplier'), ('public')) AS r(rolname)
        WHERE n.nspname = 'cooperage' AND has_function_privilege(r.rolname, p.oid, 'EXECUTE')
        ORDER BY 1, 2
        """

    /// What the server calls from Swift, what those functions call in turn (they run with the caller's rights), and
    /// `current_tenant_id()`, which every row-level security policy calls. Cooperative staff's role calls only that; the
    /// supplier's role that and `current_supplier_id()`, which its own policies call.
    static let allowlist: [String: [String]] = [
        "cooperage_app": [
            "agency_periods(date)",
            "agreement_ceiling_alerts(uuid,bigint,bigint)",
            "agreement_counter_alerts()",
            "agreement_tier_alerts(uuid,bigint,bigint)",
            "audit_append(uuid,uuid,text,text,text,text,text)",
            "authenticate_agency_token(uuid,bytea)",
            "authenticate_console_session(uuid,bytea)",
            "authorization_create(uuid,uuid,uuid,bigint,date,text,jsonb,text,jsonb,text,text,text,jsonb,integer,jsonb,bigint,"
                + "date,date,uuid,text,text,integer)",
            "authorization_decision_facts(uuid,text,uuid,date,text,integer,uuid)",
            "authorization_decision_facts_presented(uuid,bytea,text[],text,uuid,date,text)",
            "authorization_record_decision(uuid,uuid,integer,text,text,jsonb,integer,jsonb,bigint,date,date,uuid,uuid,text,text,"
                + "integer)",
            "current_tenant_id()",
            "event_publish(uuid,text,text,text,jsonb,boolean,text)",
            "event_scope()",
            "idempotency_lock(uuid,text)",
            "on_citus()",
            "tenant_lock(uuid,text)",
            "tenant_status_publish(uuid,text)",
            "usage_add(uuid,uuid,text,date,bigint,integer,bigint,bigint)",
            "usage_import_finish(uuid,uuid,text,text,text,text,text)",
            "usage_import_orders(uuid,uuid,uuid,uuid[],uuid[],text[],date[],bigint[],bigint[],bigint[],text[])",
            "usage_register_presented(uuid,bytea,text[],text,text,uuid,uuid,text,date,bigint,bigint,bigint,jsonb,text)",
        ],
        "cooperage_coop": ["current_tenant_id()", "event_scope()"],
        "cooperage_supplier": ["current_supplier_id()", "current_tenant_id()"],
    ]

    @Test func theServersRolesMayExecuteExactlyTheirAllowlist() async throws {
        let rows = try await Fixtures.admin { connection in
            try await connection.query(PostgresQuery(unsafeSQL: Self.catalogQuery), logger: TestDatabase.logger)
                .decode((String, String).self).array()
        }
        let granted = Dictionary(grouping: rows, by: \.0).mapValues { $0.map(\.1) }
        #expect(granted["public"] == nil, "PUBLIC may execute \(granted["public"] ?? [])")
        for role in ["cooperage_app", "cooperage_coop", "cooperage_supplier"] {
            let actual = Set(granted[role] ?? [])
            let allowed = Set(Self.allowlist[role] ?? [])
            #expect(
                actual == allowed,
                """
                \(role) may execute, beyond its allowlist: \(actual.subtracting(allowed).sorted()); \
                and not, though listed: \(allowed.subtracting(actual).sorted())
                """
            )
        }
    }

    /// A superseded function is dropped, not only hidden: one name, one definition.
    @Test func noFunctionNameHasTwoDefinitions() async throws {
        let overloaded = try await Fixtures.admin { connection in
            try await connection.query(
                """
                SELECT p.proname::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = 'cooperage' GROUP BY 1 HAVING count(*) > 1
                """,
                logger: TestDatabase.logger
            ).decode(String.self).array()
        }
        #expect(overloaded.isEmpty)
    }

    /// usage_register took the audited actor as a parameter; the route's path checks the token and records it.
    @Test func usageRegisterIsNotCallableByTheServersRole() async throws {
        let connection = try await TestDatabase.adminURL().with(user: "cooperage_app", password: nil).connect(
            logger: TestDatabase.logger
        )
        defer { Task { try? await connection.close() } }
        let tenant = UUID()
        let error = try await #require(throws: PSQLError.self) {
            try await connection.query(
                """
                SELECT * FROM usage_register(\(tenant), 'key', 'digest', \(UUID()), \(UUID()), 'PO-1', '2026-06-01'::date,
                    100::bigint, 0::bigint, 0::bigint, '[]'::jsonb, \(UUID()), 'agency-buyer')
                """,
                logger: TestDatabase.logger
            ).collect()
        }
        // Undefined function (dropped), or permission denied: either way nothing runs.
        #expect(["42883", "42501"].contains(error.serverInfo?[.sqlState] ?? ""), "\(String(reflecting: error))")
    }

    /// New functions start closed: the owner's default privileges grant PUBLIC nothing.
    @Test func aNewFunctionIsExecutableByNoOneButItsOwner() async throws {
        let executable = try await Fixtures.admin { connection in
            // Rolled back (or aborted when the connection closes on an error): the shared schema keeps only its own.
            try await connection.query("BEGIN", logger: TestDatabase.logger)
            try await connection.query("SET LOCAL ROLE cooperage_owner", logger: TestDatabase.logger)
            try await connection.query(
                "CREATE FUNCTION cooperage.privilege_probe() RETURNS int LANGUAGE sql AS 'SELECT 1'",
                logger: TestDatabase.logger
            )
            let roles = try await connection.query(
                """
                SELECT r.rolname FROM (VALUES ('cooperage_app'), ('cooperage_coop'), ('cooperage_supplier'), ('public')) AS r(rolname)
                WHERE has_function_privilege(r.rolname, 'cooperage.privilege_probe()', 'EXECUTE')
                """,
                logger: TestDatabase.logger
            ).decode(String.self).array()
            try await connection.query("ROLLBACK", logger: TestDatabase.logger)
            return roles
        }
        #expect(executable.isEmpty)
    }
}
