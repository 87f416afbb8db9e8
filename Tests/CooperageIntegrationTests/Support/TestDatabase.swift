import CooperageStore
import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL of this test run: `TEST_DATABASE_URL` when set, otherwise one throwaway embedded
/// cluster per test process (the same launcher `cooperage serve` uses), migrated once.
enum TestDatabase {
    static let logger: Logger = {
        var logger = Logger(label: "cooperage-tests")
        logger.logLevel = ProcessInfo.processInfo.environment["TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        return logger
    }()

    /// The administrative URL (migrations, catalog checks). Started and migrated on first use.
    static func adminURL() async throws -> DatabaseURL {
        try await shared.value
    }

    private static let shared = Task<DatabaseURL, any Error> {
        let url: DatabaseURL
        if let text = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"], !text.isEmpty {
            url = try DatabaseURL(parsing: text)
        } else {
            // /tmp is reachable by the postgres user when the tests run as root, and keeps the socket path short.
            let directory = "/tmp/cooperage-test-\(getpid())"
            let embedded = try EmbeddedPostgres(directory: directory, durable: false)
            try embedded.start()
            try embedded.removeWhenProcessExits()
            url = try DatabaseURL(parsing: embedded.url)
        }
        try await Migrator(url: url, logger: logger).migrate()
        return url
    }

    /// A new pool as the server's role; the caller runs it (`app.test` does, as a service).
    static func database(maximumConnections: Int = 4) async throws -> Database {
        Database(url: try await adminURL(), appPassword: nil, maximumConnections: maximumConnections, logger: logger)
    }
}

extension TestDatabase {
    /// A new, migrated database in the test cluster, for tests that must not disturb the shared one (tampering,
    /// a first start).
    static func fresh(prefix: String, migrated: Bool = true) async throws -> DatabaseURL {
        let name = "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
        try await Fixtures.admin { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
        var url = try await adminURL()
        url.database = name
        if migrated { try await Migrator(url: url, logger: logger).migrate() }
        return url
    }
}
