import CooperageStore
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

/// A supplier's token sees its own supplier's data and nothing else, and PostgreSQL enforces it: the supplier's
/// requests run as `cooperage_supplier`, whose row-level security shows one supplier's rows (sql/0024).
@Suite struct SupplierIsolationTests {
    // MARK: Over HTTP

    @Test func aSupplierTokenGets404ForAnotherSuppliersData() async throws {
        try await withApp { client in
            let scene = try await SupplierScene.make(client)
            // The cooperative files supplier 2's report.
            let filed = try await client.send(
                .post,
                "/v1/supplier-reports",
                json: SupplierScene.report(scene.a2, quarter: 4, lines: [("Buyer", scene.agencies.bNumber, 120_000)])
            )
            #expect(filed.status == .created, "\(filed.text)")
            let theirs = try #require(filed.string("id"))

            for (method, path, body) in [
                (HTTPRequest.Method.get, "/v1/supplier-reports/\(theirs)", nil),
                (.post, "/v1/supplier-reports/\(theirs)/amendments", SupplierScene.report(scene.a2, quarter: 4, lines: [])),
                (.get, "/v1/supplier/agreements/\(scene.a2)", nil),
                (.get, "/v1/supplier-usage?agreementId=\(scene.a2)", nil),
                (.post, "/v1/supplier-reports", SupplierScene.report(scene.a2, quarter: 3, lines: [])),
            ] as [(HTTPRequest.Method, String, [String: Any]?)] {
                let reply = try await client.send(method, path, token: scene.token1, json: body)
                expectProblem(reply, .notFound)
                #expect(!reply.text.contains(scene.a2), "\(path) names the agreement: \(reply.text)")
            }
            // Lists filtered to another supplier's agreement are empty, not an error that says it exists.
            for path in [
                "/v1/supplier-reports?agreementId=\(scene.a2)", "/v1/supplier-reports/overdue?agreementId=\(scene.a2)",
            ] {
                let reply = try await client.send(.get, path, token: scene.token1)
                #expect(reply.status == .ok, "\(path): \(reply.text)")
                #expect((reply.json["items"] as? [Any])?.isEmpty == true, "\(path): \(reply.text)")
            }
            // Its own report of the same quarter is unaffected, and supplier 2 still reads its report.
            #expect(try await client.send(.get, "/v1/supplier-reports/\(theirs)", token: scene.token2).status == .ok)
            // Nothing was written by the refused requests.
            let versions = try await client.send(.get, "/v1/supplier-reports?agreementId=\(scene.a2)")
            #expect((versions.json["items"] as? [Any])?.count == 1)
        }
    }

    @Test func aSupplierTokenGets403OnAgencyAndCooperativeRoutes() async throws {
        try await withApp { client in
            let scene = try await SupplierScene.make(client)
            let agency = scene.agencies.b
            let buyer = try await client.token(for: agency, role: "agency-buyer")
            let authorization = try await scene.agencies.authorize(
                client,
                buyer: buyer,
                agreement: scene.a1,
                category: "43211507"
            )
            let usage = try await client.send(.get, "/v1/usage?tenantId=\(agency)")
            let usageID = try #require((usage.json["items"] as? [[String: Any]])?.first?["id"] as? String)
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: UUID().uuidString]
            let order: [String: Any] = [
                "authorizationId": authorization, "poNumber": "PO-S", "orderDate": "2026-12-02", "amountCents": 100,
                "lines": [["description": "x", "unspsc": "43211503", "quantity": 1, "unitPriceCents": 100]],
            ]
            let decision: [String: Any] = [
                "agreementId": scene.a1, "amountCents": 100, "purchaseDate": "2026-12-01", "category": "43211507", "purpose": "x",
            ]
            let routes: [(HTTPRequest.Method, String, [String: Any]?, HTTPFields)] = [
                // Agencies' authorizations and decisions.
                (.get, "/v1/authorizations?tenantId=\(agency)", nil, [:]),
                (.get, "/v1/authorizations/\(authorization)?tenantId=\(agency)", nil, [:]),
                (.post, "/v1/authorizations", decision, [:]),
                (.post, "/v1/authorizations/\(authorization)/approvals", ["ruleType": "approval-threshold"], [:]),
                // Usage: reads of raw usage and every write.
                (.get, "/v1/usage?tenantId=\(agency)", nil, [:]),
                (.get, "/v1/usage/\(usageID)?tenantId=\(agency)", nil, [:]),
                (.post, "/v1/usage", order, key),
                (.post, "/v1/usage/\(usageID)/reversal", ["reason": "x"], key),
                // Policies, tenants, participations, tokens, audit.
                (.get, "/v1/tenants/\(agency)/policy", nil, [:]),
                (.put, "/v1/tenants/\(agency)/policy", ["fromTemplate": "tx-school-district"], [:]),
                (.get, "/v1/tenants/\(agency)/policy/versions", nil, [:]),
                (.get, "/v1/tenants", nil, [:]),
                (.get, "/v1/tenants/\(agency)", nil, [:]),
                (.get, "/v1/tenants/\(agency)/participations", nil, [:]),
                (.get, "/v1/audit", nil, [:]),
                // The event outbox: agencies' events and the cooperative's alerts.
                (.get, "/v1/events", nil, [:]),
                (.get, "/v1/alerts", nil, [:]),
                (.get, "/v1/audit?tenantId=\(agency)", nil, [:]),
                (.post, "/v1/tokens", ["role": "cooperative-admin", "name": "x"], [:]),
                (.post, "/v1/suppliers/\(scene.supplier1)/tokens", ["role": "supplier-reporter", "name": "x"], [:]),
                (.get, "/v1/suppliers/\(scene.supplier1)/tokens", nil, [:]),
                // Finance reports and the catalogue as staff and agencies read it.
                (.get, "/v1/reports/reconciliation?agreementId=\(scene.a1)", nil, [:]),
                (.get, "/v1/reports/statement?tenantId=\(agency)", nil, [:]),
                (.get, "/v1/agreements", nil, [:]),
                (.get, "/v1/agreements/\(scene.a1)", nil, [:]),
                (.get, "/v1/suppliers", nil, [:]),
                (.get, "/v1/suppliers/\(scene.supplier2)", nil, [:]),
                (.get, "/v1/exports/ocds/agreements/\(scene.a1)", nil, [:]),
            ]
            for (method, path, body, headers) in routes {
                let reply = try await client.send(method, path, token: scene.token1, json: body, headers: headers)
                expectProblem(reply, .forbidden)
                #expect(reply.string("detail")?.contains("supplier-reporter") == true, "\(method) \(path): \(reply.text)")
            }
            let imported = try await client.send(
                .post,
                "/v1/usage/imports",
                token: scene.token1,
                raw: "po_number\n",
                headers: [.contentType: "text/csv"]
            )
            expectProblem(imported, .forbidden)
            // Nothing was registered under its name.
            let after = try await client.send(.get, "/v1/usage?tenantId=\(agency)")
            #expect((after.json["items"] as? [Any])?.count == (usage.json["items"] as? [Any])?.count)
            // Revoking tokens is the cooperative's, its own included.
            let own = try await SupplierScene.token(client, supplier: scene.supplier1, name: "second")
            expectProblem(try await client.send(.delete, "/v1/tokens/\(own.id)", token: scene.token1), .forbidden)

            // The console is not for suppliers: no session is opened.
            let form = "token=\(scene.token1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            let signIn = try await client.send(
                .post,
                "/console/sign-in",
                token: nil,
                raw: form,
                headers: [.contentType: "application/x-www-form-urlencoded"]
            )
            #expect(signIn.status == .unauthorized, "\(signIn.text)")
            #expect(signIn.headers[.setCookie] == nil)
            #expect(signIn.text.contains("Supplier tokens are for the API"))
        }
    }

    // MARK: In PostgreSQL

    /// One transaction as the supplier's role for `supplier`, as `Database.withSupplier` opens it.
    func asSupplier<T: Sendable>(_ supplier: String?, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await TestDatabase.adminURL().with(user: "cooperage_app", password: nil).connect(
            logger: TestDatabase.logger
        )
        do {
            let result = try await connection.withTransaction(logger: TestDatabase.logger) { connection in
                try await connection.query(
                    "SELECT set_config('app.supplier_id', \(supplier ?? ""), true)",
                    logger: TestDatabase.logger
                )
                try await connection.query("SET LOCAL ROLE cooperage_supplier", logger: TestDatabase.logger)
                return try await body(connection)
            }
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    func count(_ sql: PostgresQuery, _ connection: PostgresConnection) async throws -> Int {
        try await connection.query(sql, logger: TestDatabase.logger).decode(Int.self).array().first ?? -1
    }

    /// The SQLSTATE a statement fails with in a transaction of its own, nil when it succeeds.
    func failure(_ supplier: String, _ sql: PostgresQuery) async -> String? {
        do {
            _ = try await asSupplier(supplier) { try await $0.query(sql, logger: TestDatabase.logger).collect().count }
            return nil
        } catch {
            let cause = (error as? PostgresTransactionError)?.closureError ?? error
            return (cause as? PSQLError)?.serverInfo?[.sqlState] ?? "\(String(reflecting: error))"
        }
    }

    @Test func asTheSupplierRoleAnotherSuppliersRowsAreInvisible() async throws {
        try await withApp { client in
            let scene = try await SupplierScene.make(client)
            for (token, agreement, cents) in [(scene.token1, scene.a1, 150_000), (scene.token2, scene.a2, 120_000)] {
                let reply = try await client.send(
                    .post,
                    "/v1/supplier-reports",
                    token: token,
                    json: SupplierScene.report(agreement, quarter: 4, lines: [("Buyer", scene.agencies.bNumber, cents)])
                )
                try #require(reply.status == .created, "\(reply.text)")
            }
            let one = try #require(UUID(uuidString: scene.supplier1))
            let two = try #require(UUID(uuidString: scene.supplier2))
            let a2 = try #require(UUID(uuidString: scene.a2))

            try await asSupplier(scene.supplier1) { connection in
                for table in ["supplier_report", "supplier_report_line", "supplier_report_latest", "usage_record"] {
                    let suppliers = try await connection.query(
                        PostgresQuery(unsafeSQL: "SELECT DISTINCT supplier_id FROM \(table)"),
                        logger: TestDatabase.logger
                    ).decode(UUID.self).array()
                    #expect(suppliers == [one], "\(table): \(suppliers)")
                }
                #expect(try await count("SELECT count(*) FROM supplier_report WHERE supplier_id = \(two)", connection) == 0)
                #expect(try await count("SELECT count(*) FROM agreement WHERE id = \(a2)", connection) == 0)
                #expect(try await count("SELECT count(*) FROM agreement WHERE supplier_id <> \(one)", connection) == 0)
                #expect(try await count("SELECT count(*) FROM supplier WHERE id <> \(one)", connection) == 0)
                #expect(try await count("SELECT count(*) FROM supplier WHERE id = \(one)", connection) == 1)
                // Its usage: A1's four orders and two reversals (B and C), nothing of A2.
                #expect(try await count("SELECT count(*) FROM usage_record WHERE agreement_id = \(a2)", connection) == 0)
                #expect(try await count("SELECT count(*) FROM usage_record", connection) == 6)
            }

            // No supplier set: nothing.
            try await asSupplier(nil) { connection in
                for table in ["supplier_report", "supplier_report_line", "agreement", "supplier", "usage_record"] {
                    let rows = try await count(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"), connection)
                    #expect(rows == 0, "\(table)")
                }
            }

            // Writing for another supplier, or changing anything, is refused by PostgreSQL.
            let agreement2 = scene.a2
            #expect(
                await failure(
                    scene.supplier1,
                    """
                    INSERT INTO supplier_report (agreement_id, supplier_id, year, quarter, total_cents, fee_cents, line_count)
                    VALUES (\(a2), \(two), 2027, 1, 0, 0, 0)
                    """
                ) == "42501",
                "a report for \(agreement2)"
            )
            for statement: PostgresQuery in [
                "UPDATE supplier_report SET total_cents = 0",
                "DELETE FROM supplier_report_line",
                "UPDATE agreement SET supplier_report_due_days = 365",
                "INSERT INTO supplier (name) VALUES ('forged')",
            ] {
                #expect(await failure(scene.supplier1, statement) == "42501", "\(statement.sql)")
            }
            // Agencies' data and every credential are out of the role's reach altogether.
            for table in [
                "authorization_request", "authorization_decision", "policy_version", "participation", "audit_event",
                "cooperative_audit_event", "agency_token", "cooperative_token", "supplier_token", "usage_monthly",
                "usage_import", "agreement_rollup", "agreement_agency_period", "console_session", "solicitation", "event",
            ] {
                #expect(
                    await failure(scene.supplier1, PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)")) == "42501",
                    "\(table)"
                )
            }
            // Of usage and agencies, only the columns its pages show.
            for column in ["po_number", "lines", "authorization_id", "recorded_by"] {
                #expect(
                    await failure(scene.supplier1, PostgresQuery(unsafeSQL: "SELECT \(column) FROM usage_record")) == "42501",
                    "usage_record.\(column)"
                )
            }
            for column in ["ein", "status", "slug"] {
                #expect(
                    await failure(scene.supplier1, PostgresQuery(unsafeSQL: "SELECT \(column) FROM tenant")) == "42501",
                    "tenant.\(column)"
                )
            }
            #expect(await failure(scene.supplier1, "SELECT committed_cents FROM agreement_commitment") == "42501")

            // Every version is kept: the server's role may not change one, and the trigger holds any other role too.
            let appConnection = try await TestDatabase.adminURL().with(user: "cooperage_app", password: nil).connect(
                logger: TestDatabase.logger
            )
            defer { Task { try? await appConnection.close() } }
            await #expect(throws: PSQLError.self) {
                try await appConnection.query(
                    "UPDATE supplier_report SET total_cents = 0 WHERE supplier_id = \(one)",
                    logger: TestDatabase.logger
                ).collect()
            }
            for statement: PostgresQuery in [
                "UPDATE supplier_report SET total_cents = 0 WHERE supplier_id = \(one)",
                "DELETE FROM supplier_report_line WHERE supplier_id = \(one)",
            ] {
                let refused = await #expect(throws: PSQLError.self) {
                    try await Fixtures.admin { try await $0.query(statement, logger: TestDatabase.logger).collect() }
                }
                #expect(refused?.serverInfo?[.message]?.contains("append-only") == true, "\(statement.sql)")
            }
        }
    }

    @Test func theSupplierRoleHoldsExactlyItsGrantsAndPolicies() async throws {
        try await Fixtures.admin { connection in
            let flags = try await connection.query(
                "SELECT rolcanlogin, rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = 'cooperage_supplier'",
                logger: TestDatabase.logger
            ).decode((Bool, Bool, Bool, Bool).self).array()
            #expect(flags.count == 1)
            #expect(flags.first.map { !$0.0 && !$0.1 && !$0.2 && !$0.3 } == true)

            // Whole tables: its reports only.
            let tables = try await connection.query(
                """
                SELECT table_name::text, string_agg(privilege_type::text, ',' ORDER BY privilege_type)
                FROM information_schema.role_table_grants
                WHERE grantee = 'cooperage_supplier' AND table_schema = 'cooperage' GROUP BY 1 ORDER BY 1
                """,
                logger: TestDatabase.logger
            ).decode((String, String).self).array()
            #expect(
                tables.map { "\($0.0): \($0.1)" } == [
                    "supplier_report: INSERT,SELECT", "supplier_report_latest: SELECT", "supplier_report_line: INSERT,SELECT",
                ]
            )
            // Columns of the other tables it reads.
            let columns = try await connection.query(
                """
                SELECT table_name::text, string_agg(column_name::text, ',' ORDER BY column_name)
                FROM information_schema.column_privileges
                WHERE grantee = 'cooperage_supplier' AND table_schema = 'cooperage'
                  AND table_name NOT IN ('supplier_report', 'supplier_report_line', 'supplier_report_latest')
                GROUP BY 1 ORDER BY 1
                """,
                logger: TestDatabase.logger
            ).decode((String, String).self).array()
            #expect(
                columns.map { "\($0.0): \($0.1)" } == [
                    "agreement: admin_fee_basis_points,categories,effective_on,expires_on,id,lead_tenant_id,number,seq,status,"
                        + "supplier_id,supplier_report_due_days,title",
                    "supplier: id,name,status,status_effective_on",
                    "tenant: cooperative_number,id,legal_name",
                    "usage_record: agreement_id,amount_cents,kind,order_date,supplier_id,tenant_id",
                ]
            )
            // Every table it reads but tenant (the member directory: names and numbers) holds rows for it only through
            // a policy of its own.
            let policies = try await connection.query(
                """
                SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'cooperage'
                WHERE c.relrowsecurity AND EXISTS (
                    SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid
                      AND (SELECT oid FROM pg_roles WHERE rolname = 'cooperage_supplier') = ANY (p.polroles))
                ORDER BY 1
                """,
                logger: TestDatabase.logger
            ).decode(String.self).array()
            #expect(policies == ["agreement", "supplier", "supplier_report", "supplier_report_line", "usage_record"])
            // The supplier's policies compare a column with current_supplier_id(), never a subquery.
            let expressions = try await connection.query(
                """
                SELECT pg_get_expr(p.polqual, p.polrelid) FROM pg_policy p
                WHERE (SELECT oid FROM pg_roles WHERE rolname = 'cooperage_supplier') = ANY (p.polroles)
                """,
                logger: TestDatabase.logger
            ).decode(String.self).array()
            #expect(expressions.count == 5)
            #expect(expressions.allSatisfy { $0.contains("current_supplier_id()") && !$0.lowercased().contains("select") })
        }
    }
}
