import ArgumentParser
import CooperageStore
import Foundation

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The hash-chained audit trail.",
        subcommands: [Verify.self, Anchor.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every chain; exit 1 and name the first broken link when a row was altered or removed.",
            discussion: """
                A chain shows an event altered or removed in its middle, but not events removed from its end. With \
                --anchor, every chain must also still reach the head that a file of `cooperage audit anchor` \
                recorded; the heads the cooperative chain recorded (audit.anchorInterval) are always checked.
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(
            name: .customLong("anchor"),
            help: ArgumentHelp("A file written by `cooperage audit anchor` (repeatable).", valueName: "file")
        )
        var anchorFiles: [String] = []

        func run() async throws {
            // A bad anchor file is told before any database starts.
            let anchors = try anchorFiles.map(Self.readAnchor)
            let settings = try await CooperageSettings.load(configFile: options.config)
            var logger = settings.logger()
            logger.logLevel = max(logger.logLevel, .warning)
            let target = try DatabaseTarget.resolve(settings, use: .attach, logger: logger)
            defer { target.stop(logger: logger) }
            let report = try await target.direct { try await AuditVerifier(url: $0, logger: logger).verify(anchors: anchors) }
            if let broken = report.firstBreak {
                print("audit: BROKEN after checking \(report.eventsChecked) events in \(report.chainsChecked) chains")
                print("first broken link: \(broken)")
                throw ExitCode(1)
            }
            var reached: [String] = []
            if !anchors.isEmpty { reached.append("\(report.anchoredHeadsChecked) anchored heads") }
            if report.recordedHeadsChecked > 0 { reached.append("\(report.recordedHeadsChecked) recorded heads") }
            print(
                "audit: ok, \(report.eventsChecked) events in \(report.chainsChecked) chains verified"
                    + (reached.isEmpty ? "" : "; \(reached.joined(separator: " and ")) reached")
            )
        }

        static func readAnchor(_ path: String) throws -> AuditAnchor {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw ValidationFailure("anchor file \(path) does not exist or cannot be read")
            }
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw ValidationFailure("anchor file \(path) cannot be read: \(error.localizedDescription)")
            }
            return try AuditAnchor(json: data, source: "anchor file \(path)")
        }
    }

    struct Anchor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the head of every audit chain as JSON, to keep outside the database.",
            discussion: """
                Format cooperage-audit-anchor/1: {"format", "createdAt", "chains": [{"tenantId" (null for the \
                cooperative's chain), "seq", "hash", "at"}]}. `cooperage audit verify --anchor FILE` later fails, naming \
                the chain, when a chain no longer reaches its anchored head (events removed from its end, or rewritten).
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
        var output: String?

        func run() async throws {
            let settings = try await CooperageSettings.load(configFile: options.config)
            var logger = settings.logger()
            logger.logLevel = max(logger.logLevel, .warning)
            let target = try DatabaseTarget.resolve(settings, use: .attach, logger: logger)
            defer { target.stop(logger: logger) }
            let anchor = try await target.direct { try await AuditAnchor.current(url: $0, logger: logger) }
            guard let output else {
                print(anchor.json, terminator: "")
                return
            }
            do {
                try Data(anchor.json.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw ValidationFailure("cannot write \(output): \(error.localizedDescription)")
            }
            FileHandle.standardError.write(Data("audit: anchored \(anchor.chains.count) chains in \(output)\n".utf8))
        }
    }
}
