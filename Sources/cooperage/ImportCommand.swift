import ArgumentParser
import CooperageCore
import CooperageStore
import Foundation

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import bulk files.",
        subcommands: [Usage.self]
    )

    struct Usage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a CSV file of purchase orders for an agency: all of it or nothing, once per file.",
            discussion: """
                Columns (header row, any order): \(UsageCSV.requiredColumns.joined(separator: ", ")), and optionally \
                \(UsageCSV.optionalColumns.joined(separator: ", ")). Rows with the same po_number form one order. \
                Importing the same file again counts nothing twice. When a row is bad nothing is imported: every bad \
                row is printed with its line and the command exits 1.
                """
        )

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The CSV file.")
        var file: String

        @Option(help: "The agency's tenant id.")
        var tenant: String

        @Option(help: "The name recorded with the import (default: the file's name).")
        var name: String?

        func validate() throws {
            if UUID(uuidString: tenant) == nil { throw ValidationError("--tenant must be a UUID.") }
            if let name, !(1...255).contains(name.count) { throw ValidationError("--name must be 1 to 255 characters.") }
        }

        enum Outcome: Sendable {
            case imported(UsageImport, created: Bool)
            case refused([UsageCSV.Issue])
            case noTenant
        }

        func run() async throws {
            let bytes: [UInt8]
            do {
                bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
            } catch {
                throw ValidationError("cannot read \(file): \(error.localizedDescription)")
            }
            // A file that cannot be read as usage is reported before any database is started.
            let parsed: UsageCSV.Parsed
            do {
                parsed = try UsageCSV.parse(bytes)
            } catch {
                Self.report(error.issues, file: file)
                throw ExitCode(1)
            }
            let settings = try await CooperageSettings.load(configFile: options.config)
            guard let tenantID = UUID(uuidString: tenant) else { throw ValidationError("--tenant must be a UUID.") }
            let fileName = name ?? URL(fileURLWithPath: file).lastPathComponent
            let outcome = try await withDatabase(settings) { database -> Outcome in
                do {
                    _ = try await TenantStore(database: database).get(tenantID)
                } catch StoreError.notFound {
                    return .noTenant
                }
                do {
                    let (record, created) = try await UsageImportStore(database: database).importCSV(
                        bytes,
                        parsed: parsed,
                        fileName: fileName,
                        tenantID: tenantID,
                        by: .system
                    )
                    return .imported(record, created: created)
                } catch let failure as UsageCSV.Failure {
                    return .refused(failure.issues)
                }
            }
            switch outcome {
            case .noTenant:
                printError("no tenant has the id \(tenant)")
                throw ExitCode(1)
            case .refused(let issues):
                Self.report(issues, file: file)
                throw ExitCode(1)
            case .imported(let record, let created):
                let summary = """
                    \(record.orderCount) order\(record.orderCount == 1 ? "" : "s"), \(record.lineCount) line\(record.lineCount == 1 ? "" : "s"), \
                    \(MoneyFormatter.dollars(cents: record.totalCents))
                    """
                if created {
                    print("imported \(file): \(summary)")
                } else {
                    print(
                        "already imported \(file) on \(record.createdAt.formatted(.iso8601)); nothing counted twice: \(summary)"
                    )
                }
                print("import \(record.id.uuidString.lowercased()) (sha256 \(record.fileDigest))")
            }
        }

        static func report(_ issues: [UsageCSV.Issue], file: String) {
            let lines = Set(issues.map(\.line)).count
            printError(
                "\(file): nothing imported; \(issues.count) problem\(issues.count == 1 ? "" : "s") on \(lines) line\(lines == 1 ? "" : "s"):"
            )
            for issue in issues { printError("  \(issue.detail)") }
        }
    }
}

private func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
