import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// Supplier tokens (sql/0024): one supplier each, issued, listed and revoked by the cooperative, audited on the
/// cooperative chain.
extension TokenStore {
    /// The principal of a `cps_` token: one statement reads the token and its supplier. A suspended or debarred
    /// supplier (the status in effect today, UTC) has its tokens refused until the cooperative makes it active again.
    func authenticateSupplier(_ supplierID: UUID, _ token: TokenSecret) async throws -> Principal {
        let row = try await database.statement(
            """
            SELECT t.id, t.name, t.role, s.status,
                   (t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())) AS usable,
                   (s.status <> 'active'
                    AND (s.status_effective_on IS NULL OR s.status_effective_on <= (now() AT TIME ZONE 'UTC')::date))
                       AS blocked
            FROM supplier_token t JOIN supplier s ON s.id = t.supplier_id
            WHERE t.supplier_id = \(supplierID) AND t.secret_hash = \(token.hash)
            """
        ).first.map(NamedRow.init)
        guard let row, try row["usable"] as Bool, let role = Role(rawValue: try row["role"]), role.isSupplierRole else {
            throw Rejection.invalid
        }
        if try row["blocked"] as Bool {
            let status = AuthorizationContext.SupplierStatus(rawValue: try row["status"]) ?? .suspended
            throw Rejection.supplierNotActive(status)
        }
        return Principal(tokenID: try row["id"], tokenName: try row["name"], role: role, tenantID: nil, supplierID: supplierID)
    }

    /// Issues a supplier-reporter token for `supplierID`; the returned secret is shown once and never stored.
    public func createSupplierToken(supplierID: UUID, name: String, expiresAt: Date?, by actor: Actor) async throws -> (
        TokenInfo, TokenSecret
    ) {
        let secret = TokenSecret.generate(supplierID: supplierID)
        let token = try await database.withTransaction { connection in
            let exists =
                try await connection.query(
                    "SELECT count(*) FROM supplier WHERE id = \(supplierID)",
                    logger: database.logger
                ).decode(Int.self).array().first ?? 0
            guard exists > 0 else { throw StoreError.notFound("supplier") }
            guard
                let token = try await Self.decode(
                    connection.query(
                        """
                        INSERT INTO supplier_token (supplier_id, name, role, secret_hash, expires_at)
                        VALUES (\(supplierID), \(name), \(Role.supplierReporter.rawValue), \(secret.hash), \(expiresAt))
                        RETURNING id, name, role, NULL::uuid AS tenant_id, supplier_id, created_at, expires_at, revoked_at
                        """,
                        logger: database.logger
                    )
                ).first
            else { throw StoreError.notFound("supplier") }
            try await AuditLog.append(
                on: connection,
                tenant: nil,
                actor: actor,
                action: .tokenIssued,
                subject: .token(token.id),
                payload: token,
                logger: database.logger
            )
            return token
        }
        return (token, secret)
    }

    /// The supplier's tokens, never their secrets.
    public func listSupplierTokens(supplierID: UUID) async throws -> [TokenInfo] {
        try await database.withTransaction { connection in
            try await Self.decode(
                connection.query(
                    """
                    SELECT \(unescaped: Self.supplierTokenColumns) FROM supplier_token
                    WHERE supplier_id = \(supplierID) ORDER BY created_at, id
                    """,
                    logger: database.logger
                )
            )
        }
    }

    /// Throws not-found unless a supplier has this id.
    @discardableResult
    public func supplierExists(_ supplierID: UUID) async throws -> Bool {
        let count =
            try await database.statement("SELECT count(*) FROM supplier WHERE id = \(supplierID)").first?
            .decode(Int.self) ?? 0
        guard count > 0 else { throw StoreError.notFound("supplier") }
        return true
    }

    /// Revokes the supplier token `id` when there is one (the first revocation time is kept); nil when no supplier
    /// token has this id.
    func revokeSupplierToken(_ id: UUID, by actor: Actor) async throws -> TokenInfo? {
        try await database.withTransaction { connection in
            guard
                let token = try await Self.decode(
                    connection.query(
                        """
                        UPDATE supplier_token SET revoked_at = COALESCE(revoked_at, now()) WHERE id = \(id)
                        RETURNING id, name, role, NULL::uuid AS tenant_id, supplier_id, created_at, expires_at, revoked_at
                        """,
                        logger: database.logger
                    )
                ).first
            else { return nil }
            try await AuditLog.append(
                on: connection,
                tenant: nil,
                actor: actor,
                action: .tokenRevoked,
                subject: .token(token.id),
                payload: token,
                logger: database.logger
            )
            return token
        }
    }

    /// The columns ``decode(_:)`` reads. Writes spell them out in full, which CitusShapeTests can read.
    static let supplierTokenColumns =
        "id, name, role, NULL::uuid AS tenant_id, supplier_id, created_at, expires_at, revoked_at"
}
