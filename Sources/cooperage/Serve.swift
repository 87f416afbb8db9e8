import ArgumentParser
import CooperageAPI
import CooperageConsole
import CooperageStore
import Hummingbird
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Migrate the database and serve the HTTP API (starts the embedded PostgreSQL when no database.url is set)."
    )

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let settings = try await CooperageSettings.load(configFile: options.config)
        let logger = settings.logger()
        let target = try DatabaseTarget.resolve(settings, use: .own, logger: logger)
        defer { target.stop(logger: logger) }

        let (migrator, _) = try await target.migrate(appPassword: settings.appPassword, logger: logger)
        let database = target.database(settings, logger: logger)
        // The standby logs in as cooperage_app with the same password: roles replicate with everything else.
        let replica = settings.replica.map { replica in
            ReadReplica(
                database: Database(
                    url: replica.url,
                    appPassword: settings.appPassword,
                    maximumConnections: replica.poolSize,
                    timeouts: settings.databaseTimeouts,
                    preparedStatements: settings.preparedStatements,
                    citus: settings.citus,
                    logger: logger
                ),
                maxLag: replica.maxLag,
                whenUnusable: replica.fallback
            )
        }
        if let replica = settings.replica {
            logger.info(
                "reports are read from the read replica",
                metadata: [
                    "replica": "\(replica.url.with(user: "cooperage_app", password: nil).redacted)",
                    "maxLag": "\(replica.maxLag)",
                    "fallback": "\(replica.fallback.rawValue)",
                ]
            )
        }
        if settings.preparedStatements, target.embedded == nil, await target.poolURL.leadsToPgBouncer(logger: logger) == true {
            if let refusal = await database.startupParametersRefusal() {
                // Every connection of the pool would be refused: say why now rather than answer 503 for ever.
                throw ValidationFailure(
                    """
                    database.url (DATABASE_URL) leads to PgBouncer, which refuses the session settings a server sends \
                    when it connects with database.preparedStatements on (\(refusal)). Behind PgBouncer in transaction \
                    pooling mode set database.preparedStatements to false (DATABASE_PREPARED_STATEMENTS=false)
                    """
                )
            }
            // PgBouncer was told to ignore them: named statements still work in session mode, and from PgBouncer 1.21
            // with max_prepared_statements, so this is not refused.
            logger.warning(
                """
                database.url leads to PgBouncer while database.preparedStatements is true: in transaction pooling mode \
                (PgBouncer 1.18, as Debian packages it) named prepared statements fail (answered 500, logged); set \
                DATABASE_PREPARED_STATEMENTS=false unless PgBouncer pools sessions or keeps prepared statements
                """
            )
        }
        let app = CooperageServer.application(
            settings: settings.server,
            database: database,
            expectedMigration: migrator.latestVersion,
            replica: replica,
            bootstrapAdminToken: settings.bootstrapAdminToken,
            additionalRoutes: [try ConsoleRoutes(settings: settings.console)],
            logger: logger
        )
        // SIGTERM/SIGINT: stop accepting, drain in-flight requests, close the pool, then stop PostgreSQL (defer).
        if let supervisor = target.supervisor(logger: logger) {
            // The embedded cluster is started again if its postmaster dies; the server carries on meanwhile.
            try await supervisor.run(alongside: app)
        } else {
            try await app.runService()
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply the pending database migrations and exit.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let settings = try await CooperageSettings.load(configFile: options.config)
        let logger = settings.logger()
        let target = try DatabaseTarget.resolve(settings, use: .attach, logger: logger)
        defer { target.stop(logger: logger) }
        let (_, applied) = try await target.migrate(appPassword: settings.appPassword, logger: logger)
        print(
            applied.isEmpty
                ? "The database is up to date." : "Applied \(applied.map { "\($0.version)_\($0.name)" }.joined(separator: ", "))."
        )
    }
}
