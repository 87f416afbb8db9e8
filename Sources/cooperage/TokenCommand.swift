import ArgumentParser
import CooperageCore
import CooperageStore
import Foundation

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Manage API tokens.",
        subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a token and print it (shown once; only its hash is stored)."
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: "Role: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
        var role: String

        @Option(help: "Tenant id (required for agency roles, refused for the others).")
        var tenant: String?

        @Option(help: "Supplier id (required for supplier-reporter, refused for the others).")
        var supplier: String?

        @Option(help: "A name that says what the token is for.")
        var name: String = "command-line"

        func validate() throws {
            guard let role = Role(rawValue: role) else {
                throw ValidationError("--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            if role.isAgencyRole && tenant == nil { throw ValidationError("--tenant is required for \(role.rawValue).") }
            if !role.isAgencyRole && tenant != nil { throw ValidationError("--tenant is not allowed for \(role.rawValue).") }
            if let tenant, UUID(uuidString: tenant) == nil { throw ValidationError("--tenant must be a UUID.") }
            if role.isSupplierRole && supplier == nil { throw ValidationError("--supplier is required for \(role.rawValue).") }
            if !role.isSupplierRole && supplier != nil {
                throw ValidationError("--supplier is not allowed for \(role.rawValue).")
            }
            if let supplier, UUID(uuidString: supplier) == nil { throw ValidationError("--supplier must be a UUID.") }
        }

        func run() async throws {
            let settings = try await CooperageSettings.load(configFile: options.config)
            guard let role = Role(rawValue: role) else { throw ValidationError("--role is not a known role.") }
            let tenantID = tenant.flatMap(UUID.init(uuidString:))
            let supplierID = supplier.flatMap(UUID.init(uuidString:))
            let secret = try await withDatabase(settings) { database in
                if let supplierID {
                    return try await TokenStore(database: database).createSupplierToken(
                        supplierID: supplierID,
                        name: name,
                        expiresAt: nil,
                        by: .system
                    ).1
                }
                if let tenantID { _ = try await TenantStore(database: database).get(tenantID) }
                return try await TokenStore(database: database).create(
                    role: role,
                    name: name,
                    tenantID: tenantID,
                    expiresAt: nil,
                    by: .system
                ).1
            }
            print(secret.text)
        }
    }
}

/// Runs `body` with a migrated database and a running pool, then shuts both down.
func withDatabase<T: Sendable>(_ settings: CooperageSettings, _ body: @escaping @Sendable (Database) async throws -> T)
    async throws -> T
{
    var logger = settings.logger()
    logger.logLevel = max(logger.logLevel, .warning)
    let target = try DatabaseTarget.resolve(settings, use: .attach, logger: logger)
    defer { target.stop(logger: logger) }
    try await target.migrate(appPassword: settings.appPassword, logger: logger)
    let database = target.database(settings, maximumConnections: 2, logger: logger)
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            try await database.run()
            return nil
        }
        group.addTask { try await body(database) }
        defer { group.cancelAll() }
        while let result = try await group.next() {
            if let result { return result }
        }
        throw CancellationError()
    }
}
