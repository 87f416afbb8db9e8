import CooperageStore
import Foundation
import PostgresNIO

/// Catalogue and tenant rows written straight into the database as the administrative user, so tests of
/// one feature do not depend on the endpoints of another.
enum Fixtures {
    @discardableResult
    static func admin<T: Sendable>(
        on url: DatabaseURL? = nil,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let target = if let url { url } else { try await TestDatabase.adminURL() }
        let connection = try await target.connect(logger: TestDatabase.logger)
        do {
            try await connection.query("SET search_path = cooperage, public", logger: TestDatabase.logger)
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Runs `body` as the server's role (`cooperage_app`, row-level security applies) in one transaction of
    /// `tenant`, as the server's own statements run.
    @discardableResult
    static func asAgency<T: Sendable>(_ tenant: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await TestDatabase.adminURL().with(user: "cooperage_app", password: nil).connect(
            logger: TestDatabase.logger
        )
        do {
            let result = try await connection.withTransaction(logger: TestDatabase.logger) { connection in
                try await connection.query(
                    "SELECT set_config('app.tenant_id', \(tenant), true)",
                    logger: TestDatabase.logger
                )
                return try await body(connection)
            }
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// A supplier, a solicitation by `lead` and an active Master Agreement covering UNSPSC 4321xxxx; returns its id.
    static func agreement(
        lead: String,
        ceilingCents: Int? = nil,
        status: String = "active",
        effectiveOn: String = "2026-01-01",
        expiresOn: String = "2028-12-31",
        eligibleStates: [String] = [],
        eligibleEntityTypes: [String] = [],
        supplierStatus: String = "active",
        complianceLetter: Bool = true,
        telecomAttestation: Bool = true,
        on url: DatabaseURL? = nil
    ) async throws -> String {
        try await admin(on: url) { connection in
            let supplier = try await connection.query(
                "INSERT INTO supplier (name, status) VALUES ('Acme Computing', \(supplierStatus)) RETURNING id",
                logger: TestDatabase.logger
            ).decode(UUID.self).array().first!
            let solicitation = try await connection.query(
                """
                INSERT INTO solicitation (lead_tenant_id, number, title, method, advertised_where, advertised_on,
                    cooperative_language_in_solicitation, cooperative_language_in_contract, award_basis, award_date)
                VALUES (\(UUID(uuidString: lead)!), \("RFP-" + UUID().uuidString.prefix(8)), 'Technology products', 'rfp',
                        'State procurement portal', '2025-09-01', true, true, 'best-value', '2025-12-01')
                RETURNING id
                """,
                logger: TestDatabase.logger
            ).decode(UUID.self).array().first!
            return try await connection.query(
                """
                INSERT INTO agreement (number, title, lead_tenant_id, solicitation_id, supplier_id, categories, effective_on,
                    expires_on, status, ceiling_cents, eligible_entity_types, eligible_states, compliance_letter_on_file,
                    telecom_attestation_200216, admin_fee_basis_points)
                VALUES (\("MA-" + UUID().uuidString.prefix(12)), 'Computers and peripherals', \(UUID(uuidString: lead)!),
                        \(solicitation), \(supplier), ARRAY['43210000'], \(effectiveOn)::date, \(expiresOn)::date, \(status),
                        \(ceilingCents), \(eligibleEntityTypes), \(eligibleStates), \(complianceLetter), \(telecomAttestation), 200)
                RETURNING id
                """,
                logger: TestDatabase.logger
            ).decode(UUID.self).array().first!.uuidString.lowercased()
        }
    }

    /// A master intergovernmental agreement in force from 2026-01-01, covering every agreement.
    static func participation(
        tenant: String,
        kind: String = "master-intergovernmental-agreement",
        on url: DatabaseURL? = nil
    ) async throws {
        try await admin(on: url) { connection in
            try await connection.query(
                """
                INSERT INTO participation (tenant_id, kind, resolution_number, resolution_date, effective_on)
                VALUES (\(UUID(uuidString: tenant)!), \(kind), 'R-2026-01', '2026-01-05', '2026-01-01')
                """,
                logger: TestDatabase.logger
            )
        }
    }

    /// Makes `rules` (a JSON array of policy rules) the tenant's policy, as the next version.
    static func policy(tenant: String, rules: String) async throws {
        try await admin { connection in
            try await connection.query(
                """
                INSERT INTO policy_version (tenant_id, version, rules, created_by)
                SELECT \(UUID(uuidString: tenant)!), coalesce(max(version), 0) + 1, \(rules)::jsonb, gen_random_uuid()
                FROM policy_version WHERE tenant_id = \(UUID(uuidString: tenant)!)
                """,
                logger: TestDatabase.logger
            )
        }
    }

    static func setSupplierStatus(ofAgreement agreement: String, to status: String) async throws {
        try await admin { connection in
            try await connection.query(
                "UPDATE supplier SET status = \(status) WHERE id = (SELECT supplier_id FROM agreement WHERE id = \(UUID(uuidString: agreement)!))",
                logger: TestDatabase.logger
            )
        }
    }
}
