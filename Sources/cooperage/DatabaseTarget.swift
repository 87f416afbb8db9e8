import CooperageStore
import Foundation
import Logging

/// The database a command works on: the configured URL, or the embedded cluster when none is set.
struct DatabaseTarget {
    /// Migrations and the tools that hold a session (audit verify and anchor): `database.migrationURL`, else the
    /// database URL. Always a direct connection to PostgreSQL.
    let adminURL: DatabaseURL
    /// The server's pool (as `cooperage_app`): `database.url`, which may lead to a transaction pooler.
    let poolURL: DatabaseURL
    /// The embedded cluster when this process started it (and so stops it).
    let embedded: EmbeddedPostgres?
    /// What to change when ``adminURL`` leads to PgBouncer, naming the setting.
    let directFix: String

    /// How a command uses the embedded cluster.
    enum Use {
        /// The server: owns the cluster for its lifetime; a second server on the same folder is refused.
        case own
        /// Command-line tools: use the running server's cluster, or start one for the command's duration.
        case attach
    }

    static func resolve(_ settings: CooperageSettings, use: Use, logger: Logger) throws -> DatabaseTarget {
        if !settings.databaseURL.isEmpty {
            let poolURL = try DatabaseURL(parsing: settings.databaseURL)
            guard !settings.migrationURL.isEmpty else {
                return DatabaseTarget(
                    adminURL: poolURL,
                    poolURL: poolURL,
                    embedded: nil,
                    directFix: """
                        Set database.migrationURL (DATABASE_MIGRATION_URL) to PostgreSQL itself: while it is empty, database.url \
                        (DATABASE_URL) serves for both, and database.url may stay on PgBouncer.
                        """
                )
            }
            return DatabaseTarget(
                adminURL: try DatabaseURL(parsing: settings.migrationURL),
                poolURL: poolURL,
                embedded: nil,
                directFix:
                    "Point database.migrationURL (DATABASE_MIGRATION_URL) at PostgreSQL itself; database.url may stay on PgBouncer."
            )
        }
        guard settings.migrationURL.isEmpty else {
            throw ValidationFailure(
                "database.migrationURL (DATABASE_MIGRATION_URL) is set but database.url (DATABASE_URL) is empty: the embedded cluster needs neither; set both, or neither"
            )
        }
        let embedded = try EmbeddedPostgres(directory: settings.embeddedDirectory)
        logger.info("starting embedded PostgreSQL", metadata: ["directory": "\(embedded.directory)"])
        let started: Bool
        switch use {
        case .own:
            try embedded.start()
            started = true
        case .attach:
            started = try embedded.attachOrStart()
        }
        let url = try DatabaseURL(parsing: embedded.url)
        return DatabaseTarget(
            adminURL: url,
            poolURL: url,
            embedded: started ? embedded : nil,
            directFix: "The embedded cluster is never behind PgBouncer."
        )
    }

    /// Applies the pending migrations over ``adminURL``; a URL that leads to PgBouncer is refused, naming the setting.
    @discardableResult
    func migrate(appPassword: String?, logger: Logger) async throws -> (Migrator, applied: [Migration]) {
        let migrator = try Migrator(url: adminURL, logger: logger)
        do {
            return (migrator, try await migrator.migrate(appPassword: appPassword))
        } catch let error as MigrationNeedsDirectConnection {
            throw ValidationFailure("\(error.description). \(directFix)")
        }
    }

    /// Runs `body` with ``adminURL`` for work that holds a session (the audit commands set their search path once);
    /// a URL that leads to PgBouncer is refused, naming the setting.
    func direct<T>(_ body: (DatabaseURL) async throws -> T) async throws -> T {
        do {
            return try await body(adminURL)
        } catch  where DatabaseURL.isPoolerRefusal(error) {
            throw ValidationFailure(
                "\(adminURL.redacted) leads to PgBouncer, and this command needs a session of its own. \(directFix)"
            )
        }
    }

    /// The server's pool over ``poolURL``, as the settings say.
    func database(_ settings: CooperageSettings, maximumConnections: Int? = nil, logger: Logger) -> Database {
        Database(
            url: poolURL,
            appPassword: settings.appPassword,
            maximumConnections: maximumConnections ?? settings.poolSize,
            timeouts: settings.databaseTimeouts,
            preparedStatements: settings.preparedStatements,
            citus: settings.citus,
            logger: logger
        )
    }

    /// Restarts the embedded cluster this process started if its postmaster dies; nil for a URL database.
    func supervisor(logger: Logger) -> EmbeddedPostgresSupervisor? {
        embedded.map { EmbeddedPostgresSupervisor(embedded: $0, logger: logger) }
    }

    func stop(logger: Logger) {
        guard let embedded else { return }
        do {
            try embedded.stop()
            logger.info("stopped embedded PostgreSQL")
        } catch {
            logger.error("stopping embedded PostgreSQL failed", metadata: ["error": "\(error)"])
        }
    }
}
