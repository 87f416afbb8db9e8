import ArgumentParser
import CooperageCore
import CooperageStore
import Foundation

/// `cooperage report NAME`: the reports of `GET /v1/reports/{name}`, as a cooperative caller sees them
/// (every agency, or one with `--tenant`), printed exactly as the API would send them.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print a report (\(ReportName.allCases.map(\.rawValue).joined(separator: ", "))) as JSON or CSV.",
        discussion: """
            Examples:
              cooperage report buying-power --group-by agreement,state --period quarter --from 2026-01 --to 2026-12
              cooperage report admin-fees --format csv > admin-fees.csv
              cooperage report statement --tenant 6f1c0d2e-0000-4000-8000-000000000001
            """
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The report: \(ReportName.allCases.map(\.rawValue).joined(separator: ", ")).")
    var name: String

    @Option(
        name: .customLong("group-by"),
        help: "buying-power: comma list of \(ReportDimension.allCases.map(\.rawValue).joined(separator: ", "))."
    )
    var groupBy: String?

    @Option(
        name: .customLong("category-digits"),
        help: "buying-power: UNSPSC digits kept when grouping by category (2, 4, 6, 8)."
    )
    var categoryDigits: String?

    @Option(help: "buying-power: month, quarter, fiscal-year or none.")
    var period: String?

    @Option(name: .customLong("fiscal-year-start-month"), help: "buying-power: the month fiscal years start (default 7).")
    var fiscalYearStartMonth: String?

    @Option(help: "First month (yyyy-MM).")
    var from: String?

    @Option(help: "Last month (yyyy-MM).")
    var to: String?

    @Option(help: "Only this agreement (an id, or several separated by commas).")
    var agreement: String?

    @Option(help: "Only this agency (tenant id); required for the statement.")
    var tenant: String?

    @Option(help: "json or csv.")
    var format: String = "json"

    /// The same parameters the API parses, named as its query parameters.
    var query: [(String, String)] {
        let pairs: [(String, String?)] = [
            ("format", format), ("groupBy", groupBy), ("categoryDigits", categoryDigits), ("period", period),
            ("fiscalYearStartMonth", fiscalYearStartMonth), ("from", from), ("to", to), ("agreementId", agreement),
            ("tenantId", tenant),
        ]
        return pairs.compactMap { key, value in value.map { (key, $0) } }
    }

    static let optionNames = [
        "format": "--format", "groupBy": "--group-by", "categoryDigits": "--category-digits", "period": "--period",
        "fiscalYearStartMonth": "--fiscal-year-start-month", "from": "--from", "to": "--to", "agreementId": "--agreement",
        "tenantId": "--tenant", "name": "NAME",
    ]

    func parameters() throws -> ReportParameters {
        do {
            let parameters = try ReportParameters.parse(name: name, query: query)
            if parameters.name == .statement && parameters.tenantId == nil {
                throw ValidationError("--tenant is required for the statement (it is one agency's).")
            }
            return parameters
        } catch let error as ReportParameterError {
            let option = Self.optionNames[error.parameter] ?? error.parameter
            throw ValidationError("\(option) \(error.detail)")
        }
    }

    func validate() throws {
        _ = try parameters()
    }

    func run() async throws {
        let parameters = try parameters()
        let settings = try await CooperageSettings.load(configFile: options.config)
        let rendered: RenderedReport
        do {
            rendered = try await withDatabase(settings) { database in
                let document = try await ReportStore(database: database).build(
                    parameters,
                    scope: .cooperative(tenant: parameters.tenantId)
                )
                return try ReportRenderer.render(document, format: parameters.format, day: LocalDate.today())
            }
        } catch StoreError.notFound(let what) {
            FileHandle.standardError.write(Data("cooperage report: no \(what) has this id.\n".utf8))
            throw ExitCode(1)
        }
        FileHandle.standardOutput.write(Data(rendered.body.utf8))
        // Byte for byte what the API sends; a terminal gets a final line break after JSON.
        if parameters.format == .json && isatty(STDOUT_FILENO) != 0 { FileHandle.standardOutput.write(Data("\n".utf8)) }
    }
}
