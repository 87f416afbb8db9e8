import ArgumentParser
import CooperageStore
import Foundation

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The hash-chained audit trail.",
        subcommands: [Verify.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every chain; exit 1 and name the first broken link when a row was altered or removed."
        )

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let settings = try await CooperageSettings.load(configFile: options.config)
            var logger = settings.logger()
            logger.logLevel = max(logger.logLevel, .warning)
            let target = try DatabaseTarget.resolve(settings, use: .attach, logger: logger)
            defer { target.stop(logger: logger) }
            let report = try await AuditVerifier(url: target.adminURL, logger: logger).verify()
            if let broken = report.firstBreak {
                print("audit: BROKEN after checking \(report.eventsChecked) events in \(report.chainsChecked) chains")
                print("first broken link: \(broken)")
                throw ExitCode(1)
            }
            print("audit: ok, \(report.eventsChecked) events in \(report.chainsChecked) chains verified")
        }
    }
}
