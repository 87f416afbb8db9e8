import ArgumentParser

@main
struct Cooperage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cooperage",
        abstract: "Cooperage: local authorization and usage records for cooperative purchasing.",
        subcommands: [
            Serve.self, Migrate.self, TokenCommand.self, DatabaseCommand.self, AuditCommand.self, ImportCommand.self,
            ReportCommand.self,
        ],
        defaultSubcommand: Serve.self
    )
}

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "YAML configuration file (default: config/cooperage.yaml if present, or $COOPERAGE_CONFIG).")
    var config: String?
}
