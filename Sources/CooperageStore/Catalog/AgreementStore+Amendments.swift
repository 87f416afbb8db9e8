import CooperageCore
import Foundation
import PostgresNIO

// Renewals and versioned terms (sql/0025): every write happens under the agreement's locks (``fetch(_:on:forUpdate:)``:
// its commitment row, which a decision locks before reading its facts, then its own row), in the transaction that
// changes the row, so a decision sees one version whole.
extension AgreementStore {
    /// The agreement's renewals and amendments of its terms, oldest first.
    public func amendments(of id: UUID) async throws -> [AgreementAmendment] {
        try await database.withTransaction { connection in
            _ = try await fetch(id, on: connection)
            return try await amendments(of: id, on: connection)
        }
    }

    /// Every version of the agreement's terms, oldest first.
    public func termsVersions(of id: UUID) async throws -> [AgreementTermsVersion] {
        try await database.withTransaction { connection in
            _ = try await fetch(id, on: connection)
            let rows = try await connection.query(
                """
                SELECT version, ceiling_cents, price_tiers::text AS price_tiers, eligible_entity_types, eligible_states,
                       admin_fee_basis_points, to_char(effective_on, 'YYYY-MM-DD') AS effective_on, recorded_at
                FROM agreement_terms WHERE agreement_id = \(id) ORDER BY version
                """,
                logger: database.logger
            )
            var versions: [AgreementTermsVersion] = []
            for try await row in rows {
                let row = NamedRow(row)
                versions.append(
                    AgreementTermsVersion(
                        version: try row["version"],
                        terms: AgreementTerms(
                            ceilingCents: try row["ceiling_cents"],
                            priceTiers: try CatalogSQL.decodeJSON(
                                [PriceTier].self,
                                try (row["price_tiers"] as String),
                                column: "price_tiers"
                            ),
                            eligibleEntityTypes: try Self.entityTypes(row),
                            eligibleStates: try Self.states(row),
                            adminFeeBasisPoints: try row["admin_fee_basis_points"]
                        ),
                        effectiveOn: try row.date("effective_on"),
                        recordedAt: try row["recorded_at"]
                    )
                )
            }
            return versions
        }
    }

    /// Exercises the agreement's next renewal option (``AgreementRenewal/exercise(on:)``) under the row's lock:
    /// extends `expiresOn`, marks the option exercised, records the amendment (effective `today`) and audits it.
    /// - Throws: ``StoreError/conflict(pointer:detail:)`` when no option can be exercised.
    public func renew(
        _ id: UUID,
        with renewal: AgreementRenewal,
        by actor: Actor,
        today: LocalDate = .today()
    ) async throws -> MasterAgreement {
        try await database.withTransaction { connection in
            let current = try await fetch(id, on: connection, forUpdate: true)
            let outcome: AgreementRenewal.Outcome
            switch renewal.exercise(on: current) {
            case .failure(let refusal): throw StoreError.conflict(pointer: refusal.pointer, detail: refusal.detail)
            case .success(let exercised): outcome = exercised
            }
            try await connection.query(
                """
                UPDATE agreement SET
                    expires_on = \(outcome.renewed.expiresOn.description)::date,
                    renewal_options = \(try CatalogSQL.json(outcome.renewed.renewalOptions))::jsonb,
                    updated_at = now()
                WHERE id = \(id)
                """,
                logger: database.logger
            )
            try await insertAmendment(
                of: id,
                kind: .renewal,
                effectiveOn: today,
                rationale: renewal.rationale,
                changes: outcome.changes,
                renewal: (option: outcome.option, years: outcome.years),
                by: actor,
                on: connection
            )
            var renewed = try await fetch(id, on: connection)
            renewed.amendments = try await amendments(of: id, on: connection)
            try await AuditLog.append(
                on: connection,
                tenant: nil,
                actor: actor,
                action: .agreementRenewed,
                subject: .agreement(id),
                payload: renewed,
                logger: database.logger
            )
            return renewed
        }
    }

    // MARK: Terms and amendments

    /// The day a change of terms takes effect: `requested`, or today, or the current version's day when that is
    /// later (an agreement not yet started). Never before the current version's day: versions take effect in order,
    /// so "the version in force on a day" is the latest one that took effect by then. Never after today (or that
    /// later day): the agreement carries its current terms, which decisions use from the moment they are recorded.
    func effectiveDay(
        of requested: LocalDate?,
        amending current: MasterAgreement,
        today: LocalDate,
        on connection: PostgresConnection
    ) async throws -> LocalDate {
        let latest = try await connection.query(
            """
            SELECT to_char(effective_on, 'YYYY-MM-DD') FROM agreement_terms
            WHERE agreement_id = \(current.id) ORDER BY version DESC LIMIT 1
            """,
            logger: database.logger
        ).decode(String.self).array().first.map { try CatalogSQL.requiredDate($0, column: "effective_on") }
        let earliest = latest ?? current.effectiveOn
        let last = max(today, earliest)
        guard let requested else { return last }
        if requested < earliest {
            throw StoreError.invalid(
                pointer: "/amendmentEffectiveOn",
                detail:
                    "must be on or after \(earliest), when terms version \(current.termsVersion) took effect: versions take effect in order"
            )
        }
        if last < requested {
            throw StoreError.invalid(
                pointer: "/amendmentEffectiveOn",
                detail: "must not be after \(last): record an amendment of the terms on the day it takes effect or later"
            )
        }
        return requested
    }

    /// Appends the agreement's terms as `version`.
    func insertTerms(
        of agreement: MasterAgreement,
        version: Int,
        effectiveOn: LocalDate,
        by actor: Actor,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO agreement_terms (agreement_id, version, ceiling_cents, price_tiers, eligible_entity_types,
                                         eligible_states, admin_fee_basis_points, effective_on, recorded_by, recorded_role)
            VALUES (\(agreement.id), \(version), \(agreement.ceilingCents),
                    \(try CatalogSQL.json(agreement.priceTiers))::jsonb, \(agreement.eligibleEntityTypes.map(\.rawValue)),
                    \(agreement.eligibleStates.map(\.code)), \(agreement.adminFeeBasisPoints),
                    \(effectiveOn.description)::date, \(actor.tokenID), \(actor.role))
            """,
            logger: database.logger
        )
    }

    /// Appends an amendment, numbered after the agreement's last (the caller holds the agreement's locks).
    func insertAmendment(
        of id: UUID,
        kind: AgreementAmendment.Kind,
        effectiveOn: LocalDate,
        rationale: String?,
        changes: [String: AgreementAmendment.Change],
        renewal: (option: Int, years: Int)? = nil,
        termsVersion: Int? = nil,
        by actor: Actor,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO agreement_amendment (agreement_id, seq, kind, effective_on, rationale, changes, renewal_option,
                                             renewal_years, terms_version, recorded_by, recorded_role)
            SELECT \(id), coalesce(max(seq), 0) + 1, \(kind.rawValue), \(effectiveOn.description)::date, \(rationale),
                   \(try CatalogSQL.json(changes))::jsonb, \(renewal?.option), \(renewal?.years), \(termsVersion),
                   \(actor.tokenID), \(actor.role)
            FROM agreement_amendment WHERE agreement_id = \(id)
            """,
            logger: database.logger
        )
    }

    func amendments(of id: UUID, on connection: PostgresConnection) async throws -> [AgreementAmendment] {
        let rows = try await connection.query(
            """
            SELECT id, seq, kind, to_char(effective_on, 'YYYY-MM-DD') AS effective_on, rationale, changes::text AS changes,
                   renewal_option, renewal_years, terms_version, recorded_at
            FROM agreement_amendment WHERE agreement_id = \(id) ORDER BY seq
            """,
            logger: database.logger
        )
        var amendments: [AgreementAmendment] = []
        for try await row in rows {
            let row = NamedRow(row)
            amendments.append(
                AgreementAmendment(
                    id: try row["id"],
                    seq: try row["seq"],
                    kind: try CatalogSQL.enumValue(AgreementAmendment.Kind.self, try (row["kind"] as String), column: "kind"),
                    effectiveOn: try row.date("effective_on"),
                    rationale: try row["rationale"],
                    renewalOption: try row["renewal_option"],
                    renewalYears: try row["renewal_years"],
                    termsVersion: try row["terms_version"],
                    changes: try CatalogSQL.decodeJSON(
                        [String: AgreementAmendment.Change].self,
                        try (row["changes"] as String),
                        column: "changes"
                    ),
                    recordedAt: try row["recorded_at"]
                )
            )
        }
        return amendments
    }
}
