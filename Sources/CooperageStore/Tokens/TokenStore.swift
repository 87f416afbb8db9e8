import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// Issues, lists, revokes and checks API credentials.
public struct TokenStore: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Why a presented token is refused.
    public enum Rejection: Error, Equatable {
        /// Unknown, expired or revoked: the caller is not authenticated.
        case invalid
        /// A valid agency token whose tenant is not active.
        case tenantNotActive(TenantStatus)
        /// A valid supplier token whose supplier is suspended or debarred (in effect today).
        case supplierNotActive(AuthorizationContext.SupplierStatus)
        /// A valid token whose role may not do what it asked (checked here only where the check is folded into
        /// the statement that does it, as for usage registration).
        case roleNotAllowed(Role, needs: [Role])
    }

    /// The principal a bearer token stands for.
    public func authenticate(_ token: TokenSecret) async throws -> Principal {
        if let tenantID = token.tenantID {
            // One statement: the function sets the tenant for its own implicit transaction and reads under
            // row-level security (`authenticate_agency_token`, sql/schema.sql). The only tenant read that runs outside `withTenant`.
            let row = try await database.statement(AuthenticateAgencyTokenStatement(tenantID: tenantID, hash: token.hash)).first
            guard let (id, name, role, status, usable) = row, usable, let role = Role(rawValue: role) else {
                throw Rejection.invalid
            }
            let tenantStatus = TenantStatus(rawValue: status) ?? .closed
            guard tenantStatus == .active else { throw Rejection.tenantNotActive(tenantStatus) }
            return Principal(tokenID: id, tokenName: name, role: role, tenantID: tenantID)
        }
        if let supplierID = token.supplierID { return try await authenticateSupplier(supplierID, token) }
        // Cooperative credentials are cooperative-level rows: one statement, no tenant involved.
        let row = try await database.statement(
            """
            SELECT id, name, role, (revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()))
            FROM cooperative_token WHERE secret_hash = \(token.hash)
            """
        ).first?.decode((UUID, String, String, Bool).self)
        guard let (id, name, role, usable) = row, usable, let role = Role(rawValue: role) else { throw Rejection.invalid }
        return Principal(tokenID: id, tokenName: name, role: role, tenantID: nil)
    }

    /// Issues a token; the returned secret is shown once and never stored.
    public func create(role: Role, name: String, tenantID: UUID?, expiresAt: Date?, by actor: Actor) async throws -> (
        TokenInfo, TokenSecret
    ) {
        guard role.isAgencyRole == (tenantID != nil), !role.isSupplierRole else {
            throw StoreError.invalid(
                pointer: "/role",
                detail: "agency roles need a tenant, cooperative roles none; supplier tokens are issued for their supplier"
            )
        }
        let secret = TokenSecret.generate(tenantID: tenantID)
        let query: PostgresQuery =
            if let tenantID {
                try """
                INSERT INTO agency_token (tenant_id, name, role, secret_hash, expires_at)
                VALUES (\(tenantID), \(name), \(role.rawValue), \(secret.hash), \(expiresAt))
                RETURNING id, name, role, tenant_id, NULL::uuid AS supplier_id, created_at, expires_at, revoked_at
                """
            } else {
                try """
                INSERT INTO cooperative_token (name, role, secret_hash, expires_at)
                VALUES (\(name), \(role.rawValue), \(secret.hash), \(expiresAt))
                RETURNING id, name, role, NULL::uuid AS tenant_id, NULL::uuid AS supplier_id,
                    created_at, expires_at, revoked_at
                """
            }
        guard let token = try await changeAudited(query, tenant: tenantID, action: .tokenIssued, by: actor) else {
            throw StoreError.notFound("tenant")
        }
        return (token, secret)
    }

    /// What became of a bootstrap token at start.
    public enum BootstrapOutcome: Sendable, Equatable {
        /// No cooperative-admin token worked, so this one was created.
        case created
        /// This token exists and works already.
        case alreadyInPlace
        /// Ignored: it was revoked or has expired (a revoked token is never revived).
        case ignoredRevoked
        /// Ignored: another cooperative-admin token works, so this is not a first start.
        case ignoredNotFirstStart
    }

    /// The bootstrap token of a first start: created only while no cooperative-admin token works, and never
    /// brought back once revoked, so a leaked or rotated bootstrap secret stays dead across restarts.
    public func ensureBootstrapToken(_ secret: TokenSecret) async throws -> BootstrapOutcome {
        try await database.withTransaction { connection in
            // One start at a time decides, so two servers starting together create one token.
            try await connection.query(
                "SELECT pg_advisory_xact_lock(hashtext('cooperage.bootstrap-token'))",
                logger: database.logger
            )
            let existing = try await connection.query(
                """
                SELECT (revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()))
                FROM cooperative_token WHERE secret_hash = \(secret.hash)
                """,
                logger: database.logger
            ).decode(Bool.self).array().first
            if let usable = existing { return usable ? .alreadyInPlace : .ignoredRevoked }
            let adminWorks =
                try await connection.query(
                    """
                    SELECT EXISTS (SELECT 1 FROM cooperative_token WHERE role = 'cooperative-admin' AND revoked_at IS NULL
                                   AND (expires_at IS NULL OR expires_at > now()))
                    """,
                    logger: database.logger
                ).decode(Bool.self).array().first ?? false
            if adminWorks { return .ignoredNotFirstStart }
            guard
                let token = try await Self.decode(
                    connection.query(
                        """
                        INSERT INTO cooperative_token (name, role, secret_hash)
                        VALUES ('bootstrap', 'cooperative-admin', \(secret.hash))
                        RETURNING id, name, role, NULL::uuid AS tenant_id, NULL::uuid AS supplier_id,
                            created_at, expires_at, revoked_at
                        """,
                        logger: database.logger
                    )
                ).first
            else { return .alreadyInPlace }
            try await AuditLog.append(
                on: connection,
                tenant: nil,
                actor: .system,
                action: .tokenBootstrapCreated,
                subject: .token(token.id),
                payload: token,
                logger: database.logger
            )
            return .created
        }
    }

    public func listAgencyTokens(tenantID: UUID) async throws -> [TokenInfo] {
        try await database.withTenant(tenantID) { connection in
            try await Self.decode(
                connection.query(
                    """
                    SELECT id, name, role, tenant_id, NULL::uuid AS supplier_id, created_at, expires_at, revoked_at
                    FROM agency_token WHERE tenant_id = \(tenantID) ORDER BY created_at, id
                    """,
                    logger: database.logger
                )
            )
        }
    }

    public func listCooperativeTokens() async throws -> [TokenInfo] {
        try await database.withTransaction { connection in
            try await Self.decode(
                connection.query(
                    """
                    SELECT id, name, role, NULL::uuid AS tenant_id, NULL::uuid AS supplier_id,
                        created_at, expires_at, revoked_at
                    FROM cooperative_token ORDER BY created_at, id
                    """,
                    logger: database.logger
                )
            )
        }
    }

    /// Revokes a token. Agency principals reach only their own tenant's tokens; cooperative admins any, a supplier's
    /// too. Revoking twice is harmless; the first revocation time is kept.
    public func revoke(_ id: UUID, by principal: Principal) async throws -> TokenInfo {
        guard !principal.role.isSupplierRole else { throw StoreError.notFound("token") }
        var tenant = principal.tenantID
        if tenant == nil, let revoked = try await revokeSupplierToken(id, by: Actor(principal)) { return revoked }
        if tenant == nil {
            // Find the token's tenant through the cooperative read path, then revoke inside that tenant.
            tenant = try await database.withCooperativeScope { connection in
                try await connection.query("SELECT tenant_id FROM agency_token WHERE id = \(id)", logger: database.logger)
                    .decode(UUID.self).array().first
            }
        }
        let query: PostgresQuery =
            if let tenant {
                """
                UPDATE agency_token SET revoked_at = COALESCE(revoked_at, now()) WHERE tenant_id = \(tenant) AND id = \(id)
                RETURNING id, name, role, tenant_id, NULL::uuid AS supplier_id, created_at, expires_at, revoked_at
                """
            } else {
                """
                UPDATE cooperative_token SET revoked_at = COALESCE(revoked_at, now()) WHERE id = \(id)
                RETURNING id, name, role, NULL::uuid AS tenant_id, NULL::uuid AS supplier_id,
                    created_at, expires_at, revoked_at
                """
            }
        guard let token = try await changeAudited(query, tenant: tenant, action: .tokenRevoked, by: Actor(principal)) else {
            throw StoreError.notFound("token")
        }
        return token
    }

    /// Runs a statement returning one token row and records it in the tenant's (or cooperative) audit chain.
    private func changeAudited(_ query: PostgresQuery, tenant: UUID?, action: AuditAction, by actor: Actor) async throws
        -> TokenInfo?
    {
        let work: (PostgresConnection) async throws -> TokenInfo? = { connection in
            guard let token = try await Self.decode(connection.query(query, logger: database.logger)).first else { return nil }
            try await AuditLog.append(
                on: connection,
                tenant: tenant,
                actor: actor,
                action: action,
                subject: .token(token.id),
                payload: token,
                logger: database.logger
            )
            return token
        }
        if let tenant { return try await database.withTenant(tenant, work) }
        return try await database.withTransaction(work)
    }

    static func decode(_ rows: PostgresRowSequence) async throws -> [TokenInfo] {
        var tokens: [TokenInfo] = []
        for try await row in rows {
            let row = NamedRow(row)
            tokens.append(
                TokenInfo(
                    id: try row["id"],
                    name: try row["name"],
                    role: try row.enumValue("role", Role.self),
                    tenantId: try row["tenant_id"],
                    supplierId: try row["supplier_id"],
                    createdAt: try row["created_at"],
                    expiresAt: try row["expires_at"],
                    revokedAt: try row["revoked_at"]
                )
            )
        }
        return tokens
    }
}
