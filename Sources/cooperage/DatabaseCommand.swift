import ArgumentParser
import CooperageStore
import Foundation
import Logging

struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "The database Cooperage uses.",
        subcommands: [URLCommand.self, SchemaCommand.self]
    )

    struct URLCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "url",
            abstract: "Print a connection URL for psql: the configured database.url, or the embedded cluster's (while it runs)."
        )

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let settings = try await CooperageSettings.load(configFile: options.config)
            if !settings.databaseURL.isEmpty {
                print(settings.databaseURL)
            } else {
                print(try EmbeddedPostgres(directory: settings.embeddedDirectory).url)
            }
        }
    }

    struct SchemaCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "schema",
            abstract: "Print the live schema (sql/schema.sql): pg_dump of a new database migrated in a throwaway cluster.",
            discussion: "Uses neither database.url nor the embedded cluster: only the migrations shape what it prints."
        )

        @Option(name: .long, help: "Write the schema to this file instead of standard output.")
        var output: String?

        func run() async throws {
            var logger = Logger(label: "cooperage")
            // A line per applied migration would only hide the result.
            logger.logLevel = .warning
            let schema = try await SchemaDump.ofFreshDatabase(logger: logger)
            if let output {
                try schema.write(toFile: output, atomically: true, encoding: .utf8)
            } else {
                print(schema, terminator: "")
            }
        }
    }
}
