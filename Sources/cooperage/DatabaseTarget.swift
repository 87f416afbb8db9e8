import CooperageStore
import Foundation
import Logging

/// The database a command works on: the configured URL, or the embedded cluster when none is set.
struct DatabaseTarget {
    let adminURL: DatabaseURL
    /// The embedded cluster when this process started it (and so stops it).
    let embedded: EmbeddedPostgres?

    /// How a command uses the embedded cluster.
    enum Use {
        /// The server: owns the cluster for its lifetime; a second server on the same folder is refused.
        case own
        /// Command-line tools: use the running server's cluster, or start one for the command's duration.
        case attach
    }

    static func resolve(_ settings: CooperageSettings, use: Use, logger: Logger) throws -> DatabaseTarget {
        if !settings.databaseURL.isEmpty {
            return DatabaseTarget(adminURL: try DatabaseURL(parsing: settings.databaseURL), embedded: nil)
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
        return DatabaseTarget(adminURL: try DatabaseURL(parsing: embedded.url), embedded: started ? embedded : nil)
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
