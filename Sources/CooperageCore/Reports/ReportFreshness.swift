public import Foundation

/// Where a report's figures were read, and the instant they are current as of.
///
/// The primary is always current: its reports are as of the moment they were read. A read replica (a streaming
/// standby) may be behind: every transaction the primary committed up to ``asOf`` is in the report, and later ones
/// may be too. The API sends it as the `As-Of` and `Read-From` headers and, in JSON, as the members `asOf` and
/// `readFrom`; a CSV body carries no metadata (RFC 4180 has no place for it), so its freshness is in the headers only.
public struct ReportFreshness: Hashable, Sendable {
    /// Which server the report was read from.
    public enum Source: String, Hashable, Sendable, Codable {
        case primary
        case replica
    }

    public var source: Source
    /// ``asOf`` in whole milliseconds since 1970, rounded down, so the text never claims more than the figures hold.
    public var asOfMilliseconds: Int64

    public init(source: Source, asOf: Date) {
        self.source = source
        // Clamped to PostgreSQL's own range of timestamps (years 4713 BC to 294276 AD), so no date can trap it.
        let milliseconds = (asOf.timeIntervalSince1970 * 1000).rounded(.down)
        asOfMilliseconds = milliseconds.isNaN ? 0 : Int64(min(max(milliseconds, -2.1e14), 9.2e15))
    }

    /// Every transaction committed on the primary up to this instant is in the report.
    public var asOf: Date { Date(timeIntervalSince1970: Double(asOfMilliseconds) / 1000) }

    /// RFC 3339 in UTC with milliseconds (`2026-11-28T14:03:07.120Z`), as every timestamp of the API.
    public var asOfText: String {
        let (seconds, milliseconds) = (asOfMilliseconds.quotientAndRemainder(dividingBy: 1000))
        // A negative remainder (before 1970) borrows a second, so the fraction is always 0 to 999.
        let (whole, fraction) = milliseconds < 0 ? (seconds - 1, milliseconds + 1000) : (seconds, milliseconds)
        let text = Date(timeIntervalSince1970: Double(whole)).formatted(
            Date.ISO8601FormatStyle(includingFractionalSeconds: false, timeZone: .gmt)
        )
        let digits = String(fraction)
        return text.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }
}

/// A report's own JSON members followed by `asOf` and `readFrom` (`JSONEncoder` merges the two containers, and
/// sorts the keys of both).
struct FreshReportJSON<Document: Encodable>: Encodable {
    let document: Document
    let freshness: ReportFreshness

    enum CodingKeys: String, CodingKey {
        case asOf, readFrom
    }

    func encode(to encoder: any Encoder) throws {
        try document.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(freshness.asOfText, forKey: .asOf)
        try container.encode(freshness.source, forKey: .readFrom)
    }
}
