import ArgumentParser
import CooperageStore

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

    /// ArgumentParser's own `main`, but a database error is told as ``DatabaseFailure`` (what PostgreSQL said)
    /// instead of the driver's placeholder text.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: DatabaseFailure(error) ?? error)
        }
    }
}

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "YAML configuration file (default: config/cooperage.yaml if present, or $COOPERAGE_CONFIG).")
    var config: String?
}
