import CooperageStore
import Foundation
import Logging

/// The database a command works on: the configured URL, or the embedded cluster when none is set.
struct DatabaseTarget {
    let adminURL: DatabaseURL
    let embedded: EmbeddedPostgres?

    /// Resolves the target; with `start`, creates and starts the embedded cluster when it is the target.
    static func resolve(_ settings: CooperageSettings, start: Bool, logger: Logger) throws -> DatabaseTarget {
        if !settings.databaseURL.isEmpty {
            return DatabaseTarget(adminURL: try DatabaseURL(parsing: settings.databaseURL), embedded: nil)
        }
        let embedded = try EmbeddedPostgres(directory: settings.embeddedDirectory)
        if start {
            logger.info("starting embedded PostgreSQL", metadata: ["directory": "\(embedded.directory)"])
            try embedded.start()
        }
        return DatabaseTarget(adminURL: try DatabaseURL(parsing: embedded.url), embedded: embedded)
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
