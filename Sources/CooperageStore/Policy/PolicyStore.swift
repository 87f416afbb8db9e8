import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// A tenant's local policy as a series of immutable versions (`policy_version` is INSERT-only).
///
/// ```swift
/// let created = try await policies.createVersion(rules: rules, templateID: nil, tenantID: tenantID, by: actor)
/// // Inside the authorization gate's own tenant transaction:
/// let (version, rules) = try await policies.current(tenantID: tenantID, on: connection)
/// ```
public struct PolicyStore: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    static let columns = "version, rules::text, template_id, created_at, created_by"

    /// The latest version's number and rules, or `(0, [])` when the tenant has none yet, read inside the
    /// caller's tenant transaction so a decision and the policy it used are one snapshot.
    public func current(tenantID: UUID, on connection: PostgresConnection) async throws -> (version: Int, rules: [PolicyRule]) {
        let latest = try await latestVersion(tenantID: tenantID, on: connection)
        return (latest.version, latest.rules)
    }

    /// The latest version, or ``PolicyVersion/initial`` when the tenant has none yet.
    /// - Throws: ``StoreError/notFound(_:)`` for an unknown tenant.
    public func current(tenantID: UUID) async throws -> PolicyVersion {
        try await database.withTenant(tenantID) { connection in
            try await PolicyQueries.requireTenant(tenantID, on: connection, logger: database.logger)
            return try await latestVersion(tenantID: tenantID, on: connection)
        }
    }

    /// One stored version.
    /// - Throws: ``StoreError/notFound(_:)`` for an unknown tenant or version.
    public func version(_ number: Int, tenantID: UUID) async throws -> PolicyVersion {
        try await database.withTenant(tenantID) { connection in
            try await PolicyQueries.requireTenant(tenantID, on: connection, logger: database.logger)
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM policy_version
                WHERE tenant_id = \(tenantID) AND version = \(number)
                """,
                logger: database.logger
            )
            guard let found = try await Self.decode(rows).first else { throw StoreError.notFound("policy version") }
            return found
        }
    }

    /// Versions in ascending order after version `after`, at most `limit`, and whether more follow.
    /// - Throws: ``StoreError/notFound(_:)`` for an unknown tenant.
    public func versions(tenantID: UUID, after: Int, limit: Int) async throws -> (
        [PolicyVersionSummary], hasMore: Bool
    ) {
        try await database.withTenant(tenantID) { connection in
            try await PolicyQueries.requireTenant(tenantID, on: connection, logger: database.logger)
            let rows = try await connection.query(
                """
                SELECT version, jsonb_array_length(rules), template_id, created_at, created_by FROM policy_version
                WHERE tenant_id = \(tenantID) AND version > \(after)
                ORDER BY version LIMIT \(limit + 1)
                """,
                logger: database.logger
            )
            var summaries: [PolicyVersionSummary] = []
            for try await (version, ruleCount, templateID, createdAt, createdBy) in rows.decode(
                (Int, Int, String?, Date, UUID).self
            ) {
                summaries.append(
                    PolicyVersionSummary(
                        version: version,
                        ruleCount: ruleCount,
                        templateId: templateID,
                        createdAt: createdAt,
                        createdBy: createdBy
                    )
                )
            }
            return (Array(summaries.prefix(limit)), summaries.count > limit)
        }
    }

    /// Appends version n+1 with `rules` and its audit event (`policy.version-created`) in one tenant transaction.
    ///
    /// Concurrent calls for one tenant queue on the tenant's `policy-version` lock row (`tenant_lock`), so each gets the next
    /// number; the primary key stays the last line of defence and surfaces as a conflict.
    /// - Throws: ``StoreError/notFound(_:)`` for an unknown tenant.
    public func createVersion(rules: [PolicyRule], templateID: String?, tenantID: UUID, by actor: Actor) async throws
        -> PolicyVersion
    {
        guard let createdBy = actor.tokenID else {
            throw StoreError.invalid(pointer: "", detail: "a policy version needs an API token as its author")
        }
        let encoded = String(decoding: try JSONEncoder().encode(rules), as: UTF8.self)
        return try await database.withTenant(tenantID) { connection in
            try await PolicyQueries.requireTenant(tenantID, on: connection, logger: database.logger)
            try await connection.run(
                "SELECT tenant_lock(\(tenantID), 'policy-version')",
                logger: database.logger
            )
            let created: PolicyVersion
            do {
                let rows = try await connection.query(
                    """
                    INSERT INTO policy_version (tenant_id, version, rules, template_id, created_by)
                    SELECT \(tenantID), COALESCE(max(version), 0) + 1, \(encoded)::jsonb, \(templateID), \(createdBy)
                    FROM policy_version WHERE tenant_id = \(tenantID)
                    RETURNING \(unescaped: Self.columns)
                    """,
                    logger: database.logger
                )
                // Rows stream lazily: a unique violation surfaces while reading them.
                created = try await Self.decode(rows)[0]
            } catch let error as PSQLError where error.sqlState == .uniqueViolation {
                throw StoreError.conflict(
                    pointer: "",
                    detail: "another policy version was created at the same moment; send the change again"
                )
            }
            try await AuditLog.append(
                on: connection,
                tenant: tenantID,
                actor: actor,
                action: .policyVersionCreated,
                subject: .policyVersion(created.version),
                payload: created,
                logger: database.logger
            )
            return created
        }
    }

    private func latestVersion(tenantID: UUID, on connection: PostgresConnection) async throws -> PolicyVersion {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM policy_version
            WHERE tenant_id = \(tenantID)
            ORDER BY version DESC LIMIT 1
            """,
            logger: database.logger
        )
        return try await Self.decode(rows).first ?? .initial
    }

    static func decode(_ rows: PostgresRowSequence) async throws -> [PolicyVersion] {
        var versions: [PolicyVersion] = []
        for try await (version, rules, templateID, createdAt, createdBy) in rows.decode(
            (Int, String, String?, Date, UUID).self
        ) {
            versions.append(
                PolicyVersion(
                    version: version,
                    rules: try JSONDecoder().decode([PolicyRule].self, from: Data(rules.utf8)),
                    templateId: templateID,
                    createdAt: createdAt,
                    createdBy: createdBy
                )
            )
        }
        return versions
    }
}
