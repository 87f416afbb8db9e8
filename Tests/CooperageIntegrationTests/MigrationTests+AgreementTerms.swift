import CooperageStore
import Foundation
import Testing

extension MigrationTests {
    /// sql/0025 makes the terms of every agreement already published its version 1, in force from its first day, and
    /// leaves earlier decisions without a version (which one they saw is not known).
    @Test func agreementsPublishedBeforeTermsVersionsGetTheirVersionOne() async throws {
        try await withFreshDatabase { url in
            let bundled = try Migration.bundled()
            let before = Array(bundled.prefix { $0.version < 25 })
            try await Migrator(url: url, migrations: before, logger: logger).migrate()
            let lead = UUID().uuidString.lowercased()
            let agreement = UUID().uuidString.lowercased()
            for statement in [
                """
                INSERT INTO cooperage.tenant (id, legal_name, slug, entity_type, state) VALUES
                    ('\(lead)', 'Lead', 'lead-\(lead)', 'state-agency', 'TX')
                """,
                "INSERT INTO cooperage.supplier (id, name) VALUES ('\(agreement)', 'Supplier')",
                """
                INSERT INTO cooperage.solicitation (id, lead_tenant_id, number, title, method,
                    cooperative_language_in_solicitation, cooperative_language_in_contract, award_basis)
                VALUES ('\(agreement)', '\(lead)', 'RFP-1', 'Solicitation', 'rfp', true, true, 'best-value')
                """,
                """
                INSERT INTO cooperage.agreement (id, number, title, lead_tenant_id, solicitation_id, supplier_id, categories,
                    effective_on, expires_on, ceiling_cents, eligible_states, admin_fee_basis_points, price_tiers)
                VALUES ('\(agreement)', 'MA-1', 'Agreement', '\(lead)', '\(agreement)', '\(agreement)', '{43210000}',
                    '2025-03-01', '2028-12-31', 5000000, '{TX,OK}', 175,
                    '[{"minVolumeCents": 0, "discountBasisPoints": 0}]')
                """,
            ] {
                try await execute(statement, on: url)
            }
            try await Migrator(url: url, logger: logger).migrate()
            let versions = try await query(
                """
                SELECT version, ceiling_cents, eligible_states::text, admin_fee_basis_points, price_tiers::text,
                       effective_on::text, recorded_role
                FROM cooperage.agreement_terms WHERE agreement_id = '\(agreement)'
                """,
                on: url,
                as: (Int, Int, String, Int, String, String, String).self
            )
            #expect(versions.count == 1)
            let version = try #require(versions.first)
            #expect(version.0 == 1)
            #expect(version.1 == 5_000_000)
            #expect(version.2 == "{TX,OK}")
            #expect(version.3 == 175)
            #expect(version.4 == #"[{"minVolumeCents": 0, "discountBasisPoints": 0}]"#)
            #expect(version.5 == "2025-03-01")
            #expect(version.6 == "system")
            let current = try await query(
                "SELECT terms_version FROM cooperage.agreement WHERE id = '\(agreement)'",
                on: url,
                as: Int.self
            )
            #expect(current == [1])
            // The versions and the amendments are append-only, even for their owner.
            await #expect(throws: (any Error).self) {
                try await execute("UPDATE cooperage.agreement_terms SET admin_fee_basis_points = 0", on: url)
            }
            await #expect(throws: (any Error).self) {
                try await execute("DELETE FROM cooperage.agreement_terms", on: url)
            }
        }
    }
}
