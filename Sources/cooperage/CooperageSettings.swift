import Configuration
import CooperageAPI
import CooperageConsole
import CooperageStore
import CooperageWebhooks
import Foundation
import Logging
import SystemPackage

/// Every configuration key, read from (first wins) environment variables, the YAML file, then defaults.
/// `config/cooperage.yaml` documents each key; `http.port` is overridden by `HTTP_PORT` and so on.
struct CooperageSettings {
    var server: ServerSettings
    var databaseURL: String
    /// `database.migrationURL`: where migrations (and the audit commands, which hold a session) connect; empty: the
    /// database URL. Set when `database.url` leads to a transaction pooler.
    var migrationURL: String
    /// `database.preparedStatements`: false behind a transaction pooler (``Database/preparedStatements``).
    var preparedStatements: Bool
    /// `database.citus`: the database is a Citus coordinator (``Database/citus``).
    var citus: Bool
    var embeddedDirectory: String
    var appPassword: String?
    var poolSize: Int
    var databaseTimeouts: Database.Timeouts
    var replica: ReplicaSettings?
    var bootstrapAdminToken: String?
    var logLevel: Logger.Level
    var console: ConsoleSettings

    static func load(configFile: String?) async throws -> CooperageSettings {
        let path = configFile ?? ProcessInfo.processInfo.environment["COOPERAGE_CONFIG"] ?? "config/cooperage.yaml"
        let reader = ConfigReader(providers: [
            EnvironmentVariablesProvider(
                secretsSpecifier: .specific([
                    "BOOTSTRAP_ADMIN_TOKEN", "DATABASE_URL", "DATABASE_MIGRATION_URL", "DATABASE_APP_PASSWORD",
                    "DATABASE_REPLICA_URL",
                ])
            ),
            try await FileProvider<YAMLSnapshot>(filePath: FilePath(path), allowMissing: configFile == nil),
        ])
        let levelText = reader.string(forKey: "log.level", default: "info")
        guard let level = Logger.Level(rawValue: levelText) else {
            throw ValidationFailure(
                "log.level must be one of trace, debug, info, notice, warning, error, critical; got \(levelText)"
            )
        }
        let port = reader.int(forKey: "http.port", default: 8080)
        guard (0...65535).contains(port) else { throw ValidationFailure("http.port must be 0 to 65535; got \(port)") }
        let imports = reader.int(forKey: "imports.maxConcurrent", default: ImportSlots.defaultLimit)
        guard imports >= 1 else { throw ValidationFailure("imports.maxConcurrent must be at least 1; got \(imports)") }
        let anchorText = reader.string(forKey: "audit.anchorInterval", default: "24h")
        guard let anchorInterval = AuditHeadRecorder.interval(parsing: anchorText) else {
            throw ValidationFailure(
                "audit.anchorInterval must be a whole number of s, m, h or d from 1s to 366d, such as 24h; got \(anchorText)"
            )
        }
        func seconds(_ key: String, default value: Int, range: ClosedRange<Int>) throws -> Duration {
            let number = reader.int(forKey: ConfigKey(key), default: value)
            guard range.contains(number) else {
                throw ValidationFailure("\(key) must be \(range.lowerBound) to \(range.upperBound) seconds; got \(number)")
            }
            return .seconds(number)
        }
        let idleTimeout = try seconds("http.idleTimeoutSeconds", default: 60, range: 1...3600)
        let headerTimeout = try seconds("http.headerTimeoutSeconds", default: 10, range: 1...600)
        let uploadGrace = try seconds("http.uploadGraceSeconds", default: 10, range: 1...600)
        let minimumRate = reader.int(forKey: "http.minimumUploadBytesPerSecond", default: 10_240)
        guard minimumRate >= 0 else {
            throw ValidationFailure("http.minimumUploadBytesPerSecond must be 0 or more; got \(minimumRate)")
        }
        let trustedProxies = reader.stringArray(forKey: "http.trustedProxies", default: [])
            .flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let publicBaseText = reader.string(forKey: "http.publicBaseURL", default: "")
        var publicBaseURL: String?
        if !publicBaseText.isEmpty {
            guard let url = URL(string: publicBaseText), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
                url.query == nil
            else {
                throw ValidationFailure(
                    "http.publicBaseURL must be an http or https origin such as https://coop.example.org; got \(publicBaseText)"
                )
            }
            publicBaseURL = publicBaseText.hasSuffix("/") ? String(publicBaseText.dropLast()) : publicBaseText
        }
        let host = reader.string(forKey: "http.host", default: "127.0.0.1")
        let bootstrapAdminToken = reader.string(forKey: "bootstrap.adminToken", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        if let bootstrapAdminToken, !Self.isLoopback(host), bootstrapAdminToken.count < 32 {
            throw ValidationFailure(
                "bootstrap.adminToken (BOOTSTRAP_ADMIN_TOKEN) must be at least 32 characters when http.host (\(host)) is reachable from other machines; got \(bootstrapAdminToken.count). Generate one with: openssl rand -hex 24"
            )
        }
        var server = ServerSettings(
            host: host,
            port: port,
            concurrentImports: imports,
            auditAnchorInterval: anchorInterval
        )
        server.idleTimeout = idleTimeout
        server.headerTimeout = headerTimeout
        server.bodyGracePeriod = uploadGrace
        server.minimumBodyBytesPerSecond = minimumRate
        server.trustedProxies = trustedProxies
        server.publicBaseURL = publicBaseURL
        let alertText = reader.string(forKey: "alerts.interval", default: "24h")
        if alertText != "off" {
            guard let alertInterval = AuditHeadRecorder.interval(parsing: alertText) else {
                throw ValidationFailure(
                    "alerts.interval must be off or a whole number of s, m, h or d from 1s to 366d, such as 24h; got \(alertText)"
                )
            }
            server.alertInterval = alertInterval
        } else {
            server.alertInterval = nil
        }
        server.webhooks = try Self.webhookSettings(reader)
        let databaseTimeouts = try Self.databaseTimeouts(reader)
        let idleMinutes = reader.int(forKey: "console.idleTimeoutMinutes", default: 30)
        guard (1...1440).contains(idleMinutes) else {
            throw ValidationFailure("console.idleTimeoutMinutes must be 1 to 1440; got \(idleMinutes)")
        }
        let lifetimeHours = reader.int(forKey: "console.lifetimeHours", default: 12)
        guard (1...720).contains(lifetimeHours) else {
            throw ValidationFailure("console.lifetimeHours must be 1 to 720; got \(lifetimeHours)")
        }
        let console = ConsoleSettings(
            idleTimeout: .seconds(idleMinutes * 60),
            lifetime: .seconds(lifetimeHours * 3600),
            secureCookies: reader.bool(forKey: "console.secureCookies", default: false)
        )
        return CooperageSettings(
            server: server,
            databaseURL: reader.string(forKey: "database.url", isSecret: true, default: ""),
            migrationURL: reader.string(forKey: "database.migrationURL", isSecret: true, default: ""),
            preparedStatements: reader.bool(forKey: "database.preparedStatements", default: true),
            citus: reader.bool(forKey: "database.citus", default: false),
            embeddedDirectory: reader.string(forKey: "database.embedded.directory", default: ".cooperage/postgres"),
            appPassword: reader.string(forKey: "database.appPassword", isSecret: true).flatMap { $0.isEmpty ? nil : $0 },
            poolSize: reader.int(forKey: "database.pool.maxConnections", default: 20),
            databaseTimeouts: databaseTimeouts,
            replica: try Self.replica(reader),
            bootstrapAdminToken: bootstrapAdminToken,
            logLevel: level,
            console: console
        )
    }

    /// `127.0.0.1`, `::1`, `localhost` and the rest of 127/8: reachable from this machine only.
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    /// `database.timeouts.*`: whole seconds; 0 turns a PostgreSQL timeout off.
    static func databaseTimeouts(_ reader: ConfigReader) throws -> Database.Timeouts {
        let wait = reader.int(forKey: "database.timeouts.waitSeconds", default: 5)
        guard (1...600).contains(wait) else {
            throw ValidationFailure("database.timeouts.waitSeconds must be 1 to 600; got \(wait)")
        }
        let statement = reader.int(forKey: "database.timeouts.statementSeconds", default: 30)
        guard (0...86_400).contains(statement) else {
            throw ValidationFailure("database.timeouts.statementSeconds must be 0 (none) to 86400; got \(statement)")
        }
        let idle = reader.int(forKey: "database.timeouts.idleInTransactionSeconds", default: 60)
        guard (0...86_400).contains(idle) else {
            throw ValidationFailure("database.timeouts.idleInTransactionSeconds must be 0 (none) to 86400; got \(idle)")
        }
        return Database.Timeouts(
            wait: .seconds(wait),
            statement: statement == 0 ? nil : .seconds(statement),
            idleInTransaction: idle == 0 ? nil : .seconds(idle)
        )
    }

    /// `database.replicaURL` and its companions; nil when no replica is configured.
    static func replica(_ reader: ConfigReader) throws -> ReplicaSettings? {
        let text = reader.string(forKey: "database.replicaURL", isSecret: true, default: "")
        guard !text.isEmpty else { return nil }
        let url: DatabaseURL
        do {
            url = try DatabaseURL(parsing: text)
        } catch let error as DatabaseURLError {
            throw ValidationFailure("database.replicaURL (DATABASE_REPLICA_URL): \(error.reason)")
        }
        let lag = reader.int(forKey: "database.replicaMaxLagSeconds", default: 30)
        guard (0...86_400).contains(lag) else {
            throw ValidationFailure("database.replicaMaxLagSeconds must be 0 to 86400; got \(lag)")
        }
        let pool = reader.int(forKey: "database.replicaPoolMaxConnections", default: 10)
        guard (1...1000).contains(pool) else {
            throw ValidationFailure("database.replicaPoolMaxConnections must be 1 to 1000; got \(pool)")
        }
        let fallbackText = reader.string(forKey: "database.replicaFallback", default: ReadReplica.Fallback.primary.rawValue)
        guard let fallback = ReadReplica.Fallback(rawValue: fallbackText) else {
            throw ValidationFailure(
                "database.replicaFallback must be \(ReadReplica.Fallback.allCases.map(\.rawValue).joined(separator: " or ")); got \(fallbackText)"
            )
        }
        return ReplicaSettings(url: url, maxLag: .seconds(lag), poolSize: pool, fallback: fallback)
    }

    /// `webhooks.*`: how endpoints are checked and deliveries sent (``WebhookSettings``).
    static func webhookSettings(_ reader: ConfigReader) throws -> WebhookSettings {
        func number(_ key: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
            let number = reader.int(forKey: ConfigKey(key), default: value)
            guard range.contains(number) else {
                throw ValidationFailure("\(key) must be \(range.lowerBound) to \(range.upperBound); got \(number)")
            }
            return number
        }
        let timeout = try number("webhooks.attemptTimeoutSeconds", default: 15, range: 1...300)
        let lease = try number("webhooks.claimLeaseSeconds", default: 60, range: 2...3600)
        guard lease > timeout else {
            throw ValidationFailure(
                "webhooks.claimLeaseSeconds (\(lease)) must be longer than webhooks.attemptTimeoutSeconds (\(timeout)), or a slow attempt's delivery could be sent twice at once"
            )
        }
        return WebhookSettings(
            deliver: reader.bool(forKey: "webhooks.deliver", default: true),
            allowPrivateAddresses: reader.bool(forKey: "webhooks.allowPrivateAddresses", default: false),
            attemptTimeout: .seconds(timeout),
            disableAfter: .seconds(try number("webhooks.disableAfterHours", default: 120, range: 1...8760) * 3600),
            pollInterval: .milliseconds(try number("webhooks.pollIntervalMilliseconds", default: 1000, range: 10...600_000)),
            concurrentDeliveries: try number("webhooks.concurrentDeliveries", default: 8, range: 1...256),
            claimLease: .seconds(lease),
            secretOverlap: .seconds(try number("webhooks.secretOverlapHours", default: 24, range: 0...720) * 3600)
        )
    }

    func logger(_ label: String = "cooperage") -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = logLevel
        return logger
    }
}

/// `database.replica*`: the read replica that serves reports.
struct ReplicaSettings {
    var url: DatabaseURL
    var maxLag: Duration
    var poolSize: Int
    var fallback: ReadReplica.Fallback
}

/// A configuration or usage mistake, printed as one line.
struct ValidationFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
