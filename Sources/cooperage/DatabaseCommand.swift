import ArgumentParser
import CooperageStore

struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "The database Cooperage uses.",
        subcommands: [URLCommand.self]
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
}
