import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// Console sessions (sql/0020): created at sign-in, found on every page, ended at sign-out.
///
/// A session is found only while it is within its idle timeout and absolute lifetime, its token is usable
/// (not revoked, not expired) and, for an agency, the agency is active: revoking the token or suspending the
/// agency ends its sessions at once.
public struct ConsoleSessionStore: Sendable {
    public let database: Database
    /// A session unused this long is over.
    public var idleTimeout: Duration
    /// A session is over this long after sign-in, however busy.
    public var lifetime: Duration

    public static let defaultIdleTimeout: Duration = .seconds(30 * 60)
    public static let defaultLifetime: Duration = .seconds(12 * 3600)

    public init(database: Database, idleTimeout: Duration = Self.defaultIdleTimeout, lifetime: Duration = Self.defaultLifetime) {
        self.database = database
        self.idleTimeout = idleTimeout
        self.lifetime = lifetime
    }

    /// A new session acting as `principal` (a token just checked): cooperative staff or an agency; supplier tokens
    /// are for the API only.
    public func create(for principal: Principal) async throws -> ConsoleSession {
        guard !principal.role.isSupplierRole else {
            throw StoreError.invalid(pointer: "/token", detail: "supplier tokens do not open console sessions")
        }
        let secret = TokenSecret.generate(tenantID: principal.tenantID)
        if let tenant = principal.tenantID {
            try await database.withTenant(tenant) { connection in
                try await connection.run(
                    """
                    INSERT INTO console_session (tenant_id, id_hash, token_id)
                    VALUES (\(tenant), \(secret.hash), \(principal.tokenID))
                    """,
                    logger: database.logger
                )
            }
        } else {
            try await database.withTransaction { connection in
                try await connection.run(
                    "INSERT INTO cooperative_console_session (id_hash, token_id) VALUES (\(secret.hash), \(principal.tokenID))",
                    logger: database.logger
                )
            }
        }
        return ConsoleSession(principal: principal, secret: secret)
    }

    /// The session whose cookie is `secret`, if it is still on; marks it used now.
    public func find(_ secret: TokenSecret) async throws -> ConsoleSession? {
        let idle = Double(idleTimeout.components.seconds)
        let life = Double(lifetime.components.seconds)
        let rows: [PostgresRow]
        if let tenant = secret.tenantID {
            rows = try await database.withTenant(tenant) { connection in
                try await connection.query(
                    """
                    WITH used AS (
                        UPDATE console_session SET last_seen_at = now()
                        WHERE tenant_id = \(tenant) AND id_hash = \(secret.hash) AND ended_at IS NULL
                          AND created_at > now() - make_interval(secs => \(life))
                          AND last_seen_at > now() - make_interval(secs => \(idle))
                        RETURNING token_id)
                    SELECT t.id, t.name, t.role FROM used
                    JOIN agency_token t ON t.tenant_id = \(tenant) AND t.id = used.token_id
                    JOIN tenant a ON a.id = t.tenant_id
                    WHERE t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()) AND a.status = 'active'
                    """,
                    logger: database.logger
                ).array()
            }
        } else {
            rows = try await database.withTransaction { connection in
                try await connection.query(
                    """
                    WITH used AS (
                        UPDATE cooperative_console_session SET last_seen_at = now()
                        WHERE id_hash = \(secret.hash) AND ended_at IS NULL
                          AND created_at > now() - make_interval(secs => \(life))
                          AND last_seen_at > now() - make_interval(secs => \(idle))
                        RETURNING token_id)
                    SELECT t.id, t.name, t.role FROM used JOIN cooperative_token t ON t.id = used.token_id
                    WHERE t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
                    """,
                    logger: database.logger
                ).array()
            }
        }
        guard let row = rows.first.map(NamedRow.init) else { return nil }
        let principal = Principal(
            tokenID: try row["id"],
            tokenName: try row["name"],
            role: try row.enumValue("role", Role.self),
            tenantID: secret.tenantID
        )
        return ConsoleSession(principal: principal, secret: secret)
    }

    /// Ends the session (sign-out); a cookie presented after this opens nothing.
    public func end(_ secret: TokenSecret) async throws {
        if let tenant = secret.tenantID {
            try await database.withTenant(tenant) { connection in
                try await connection.run(
                    """
                    UPDATE console_session SET ended_at = now()
                    WHERE tenant_id = \(tenant) AND id_hash = \(secret.hash) AND ended_at IS NULL
                    """,
                    logger: database.logger
                )
            }
        } else {
            try await database.withTransaction { connection in
                try await connection.run(
                    "UPDATE cooperative_console_session SET ended_at = now() WHERE id_hash = \(secret.hash) AND ended_at IS NULL",
                    logger: database.logger
                )
            }
        }
    }
}
