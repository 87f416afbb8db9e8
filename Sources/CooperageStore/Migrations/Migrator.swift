import Foundation
import Logging
import PostgresNIO

/// Applies the numbered migrations in order, each in its own transaction, recorded with its checksum.
///
/// A session advisory lock serializes concurrent runners (two servers starting together), so the URL must lead
/// straight to PostgreSQL, not through a transaction pooler (refused: ``MigrationNeedsDirectConnection``). The first
/// migration creates the roles and runs as the connecting administrative user; every later one runs
/// as `cooperage_owner`, which owns the schema and is not a superuser.
/// ```swift
/// let applied = try await Migrator(url: adminURL, logger: logger).migrate()
/// ```
public struct Migrator: Sendable {
    public let url: DatabaseURL
    public let migrations: [Migration]
    public let logger: Logger

    /// Arbitrary constant naming Cooperage's advisory lock ("Cooperag" in ASCII).
    static let advisoryLockKey: Int64 = 0x436F_6F70_6572_6167

    public init(url: DatabaseURL, migrations: [Migration]? = nil, logger: Logger) throws {
        self.url = url
        self.migrations = try migrations ?? Migration.bundled()
        self.logger = logger
    }

    /// The highest migration number this build knows.
    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Applies what is missing and returns the migrations applied now.
    /// - Parameter appPassword: when set, becomes the password of the server's role (for servers reached over TCP).
    /// - Throws: ``MigrationNeedsDirectConnection`` when the URL leads to PgBouncer, before anything is run.
    @discardableResult
    public func migrate(appPassword: String? = nil) async throws -> [Migration] {
        let connection: PostgresConnection
        do {
            connection = try await url.connect(logger: logger, startupParameters: [DatabaseURL.directConnectionProbe])
        } catch  where DatabaseURL.isPoolerRefusal(error) {
            throw MigrationNeedsDirectConnection(url: url.redacted)
        }
        do {
            let applied = try await migrate(on: connection, appPassword: appPassword)
            // The lock is released here rather than by the close: a concurrent runner waiting for it must not
            // depend on how soon the server notices a closed connection.
            try await connection.run("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
            await close(connection)
            return applied
        } catch {
            // Released here too: a failed migration's rollback keeps the session lock, and a close that does not
            // complete (seen under load) would otherwise hold it, so the next runner waited for ever.
            try? await connection.run("SELECT pg_advisory_unlock_all()", logger: logger)
            await close(connection)
            throw error
        }
    }

    /// Closes without waiting more than a few seconds: the migration is committed and its lock released, and a
    /// close that does not complete (seen once under heavy load) must not hold up the caller.
    private func close(_ connection: PostgresConnection) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resume = ResumeOnce(continuation)
            Task {
                try? await connection.close()
                resume()
            }
            Task {
                try? await Task.sleep(for: .seconds(5))
                resume()
            }
        }
    }

    private func migrate(on connection: PostgresConnection, appPassword: String?) async throws -> [Migration] {
        // Session-level: held until this connection closes, which `migrate()` always does.
        try await connection.run("SELECT pg_advisory_lock(\(Self.advisoryLockKey))", logger: logger)
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS public.cooperage_schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """,
            logger: logger
        )
        var recorded: [Int: (name: String, checksum: String)] = [:]
        for try await (version, name, checksum) in try await connection.query(
            "SELECT version, name, checksum FROM public.cooperage_schema_migrations",
            logger: logger
        ).decode((Int, String, String).self) {
            recorded[version] = (name, checksum)
        }
        let known = Set(migrations.map(\.version))
        if let unknown = recorded.keys.filter({ !known.contains($0) }).max() {
            throw MigrationError(
                "The database has migration \(unknown) (\(recorded[unknown]?.name ?? "unnamed")), which this build does not know: it was migrated by a newer Cooperage. Upgrade this server."
            )
        }
        var appliedNow: [Migration] = []
        for migration in migrations {
            if let existing = recorded[migration.version] {
                guard existing.checksum == migration.checksum else {
                    throw MigrationError(
                        """
                        Migration \(migration.fileName) was changed after it was applied \
                        (recorded checksum \(existing.checksum.prefix(12))…, file now \(migration.checksum.prefix(12))…). \
                        Applied migrations must never be edited: restore the file and add a new migration instead.
                        """
                    )
                }
                continue
            }
            try await applyRetrying(migration, on: connection)
            appliedNow.append(migration)
            logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
        }
        try await connection.query("GRANT SELECT ON public.cooperage_schema_migrations TO cooperage_app", logger: logger)
        if let appPassword, !appPassword.isEmpty {
            // ALTER ROLE cannot take a bind parameter; quote the literal as PostgreSQL's quote_literal does.
            let literal = "'" + appPassword.replacingOccurrences(of: "'", with: "''") + "'"
            try await connection.query(PostgresQuery(unsafeSQL: "ALTER ROLE cooperage_app PASSWORD \(literal)"), logger: logger)
        }
        return appliedNow
    }

    /// Role changes touch catalogs shared by every database of the cluster, which the per-database advisory
    /// lock does not cover: two databases migrating at once can collide ("tuple concurrently updated").
    /// The migration rolled back whole, so running it again is safe. The pauses are random, so runners that
    /// collided once do not retry in step and collide again (several test databases migrate at once: a full test
    /// run once used up twelve attempts).
    private func applyRetrying(_ migration: Migration, on connection: PostgresConnection) async throws {
        var attempt = 1
        while true {
            do {
                return try await apply(migration, on: connection)
            } catch let error as MigrationError where error.isTransientConflict && attempt < 30 {
                logger.warning(
                    "migration collided with another database's; retrying",
                    metadata: ["version": "\(migration.version)", "attempt": "\(attempt)"]
                )
                try await Task.sleep(for: .milliseconds(Int.random(in: 10...min(100 * attempt, 2_000))))
                attempt += 1
            }
        }
    }

    private func apply(_ migration: Migration, on connection: PostgresConnection) async throws {
        let statements = SQLScript.statements(in: migration.sql)
        do {
            try await connection.withTransaction(logger: logger) { connection in
                if migration.version > 1 {
                    try await connection.query("SET LOCAL ROLE cooperage_owner", logger: logger)
                }
                try await connection.query("SET LOCAL search_path = cooperage, public", logger: logger)
                for statement in statements {
                    try await connection.run(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("RESET ROLE", logger: logger)
                try await connection.query(
                    """
                    INSERT INTO public.cooperage_schema_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                    """,
                    logger: logger
                )
            }
        } catch let error as PostgresTransactionError {
            let cause = error.closureError ?? error.commitError ?? error.beginError ?? error
            let state = (cause as? PSQLError)?.sqlState
            throw MigrationError(
                transient: state == .serializationFailure || state == .deadlockDetected
                    || (state == .internalError && (cause as? PSQLError)?.serverInfo?[.message] == "tuple concurrently updated"),
                "Migration \(migration.fileName) failed and was rolled back: \(String(reflecting: cause))"
            )
        }
    }
}

/// Resumes a continuation the first time it is called, whichever of several racing tasks calls first.
private final class ResumeOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Void, Never>?

    init(_ continuation: CheckedContinuation<Void, Never>) {
        self.continuation = continuation
    }

    func callAsFunction() {
        lock.lock()
        let pending = continuation
        continuation = nil
        lock.unlock()
        pending?.resume()
    }
}
