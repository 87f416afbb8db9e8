import Foundation

/// A report ready to hand out: encodable as JSON, and flattenable into one CSV table.
public protocol ReportDocument: Encodable, Sendable {
    var report: ReportName { get }
    /// The same rows as the JSON, one table with a header.
    var csvTable: CSVTable { get }
    /// The JSON written without `JSONEncoder`, for reports whose size makes the encoder slow; nil: encode. With a
    /// freshness, its `asOf` and `readFrom` members are written in their sorted places.
    func jsonText(freshness: ReportFreshness?) -> String?
}

extension ReportDocument {
    public func jsonText(freshness: ReportFreshness?) -> String? { nil }
}

/// A report rendered for the wire (the API's body, the command line's output): the same bytes for both.
public struct RenderedReport: Hashable, Sendable {
    public var contentType: String
    public var body: String
    /// `buying-power-2026-11-28.csv`; nil for JSON (shown inline).
    public var filename: String?

    /// The `Content-Disposition` header for a download, when there is a filename.
    public var contentDisposition: String? { filename.map { "attachment; filename=\"\($0)\"" } }
}

public enum ReportRenderer {
    /// Renders `document` as JSON (sorted keys, like every API response) or RFC 4180 CSV named after the
    /// report and `day` (the day it was generated). A `freshness` adds the JSON members `asOf` and `readFrom`; the
    /// CSV is the same either way (the caller sends the freshness as headers).
    public static func render(
        _ document: some ReportDocument,
        format: ReportFormat,
        day: LocalDate,
        freshness: ReportFreshness? = nil
    ) throws -> RenderedReport {
        switch format {
        case .json:
            if let text = document.jsonText(freshness: freshness) {
                return RenderedReport(contentType: "application/json; charset=utf-8", body: text, filename: nil)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let data =
                try freshness.map { try encoder.encode(FreshReportJSON(document: document, freshness: $0)) }
                ?? encoder.encode(document)
            return RenderedReport(
                contentType: "application/json; charset=utf-8",
                body: String(decoding: data, as: UTF8.self),
                filename: nil
            )
        case .csv:
            return RenderedReport(
                contentType: "text/csv; charset=utf-8",
                body: document.csvTable.text,
                filename: "\(document.report.rawValue)-\(day).csv"
            )
        }
    }
}

/// CSV cell helpers: plain integers, lowercase UUIDs, ISO dates, empty for nil.
enum Cell {
    static func text(_ value: String?) -> String { value ?? "" }
    static func int(_ value: Int?) -> String { value.map(String.init) ?? "" }
    static func id(_ value: UUID?) -> String { value?.uuidString.lowercased() ?? "" }
    static func date(_ value: LocalDate?) -> String { value?.description ?? "" }
}
