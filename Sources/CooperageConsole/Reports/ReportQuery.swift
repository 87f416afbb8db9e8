import Foundation
import Hummingbird

/// A report page's query turned into the API's: what a filter form sends (`from=` left empty, one `groupBy` per
/// ticked box) becomes the query `GET /v1/reports/{name}` takes, so the page, its CSV and the API read the same
/// parameters through the same `ReportParameters.parse`.
struct ReportQuery: Sendable {
    /// The parameters in the order given: empty values dropped, list parameters joined with commas, `format` left
    /// out (the page is HTML, its download CSV).
    let pairs: [(String, String)]
    /// The first row the page shows (`rowsFrom`, the console's own paging; not a report parameter), from 0.
    let rowsFrom: Int

    /// Parameters the API takes as comma-separated lists, which a form sends as repeated fields.
    static let lists: Set<String> = ["groupBy", "agreementId"]

    init(_ request: Request) {
        self.init(request.uri.queryParameters.map { (String($0.key), String($0.value)) })
    }

    init(_ query: [(String, String)]) {
        var pairs: [(String, String)] = []
        var rowsFrom = 0
        for (key, raw) in query {
            let value = raw.trimmingCharacters(in: .whitespaces)
            if key == "rowsFrom" {
                rowsFrom = Int(value).map { max(0, $0) } ?? 0
                continue
            }
            guard !value.isEmpty, key != "format" else { continue }
            if Self.lists.contains(key), let index = pairs.firstIndex(where: { $0.0 == key }) {
                pairs[index].1 += "," + value
            } else {
                // Any other parameter given twice stays twice, so the parser names it.
                pairs.append((key, value))
            }
        }
        self.pairs = pairs
        self.rowsFrom = rowsFrom
    }

    /// The value of `key`, if given.
    subscript(key: String) -> String? { pairs.first { $0.0 == key }?.1 }

    /// `?groupBy=agreement&from=2026-01`, or "" when there is nothing to say.
    var queryString: String {
        guard !pairs.isEmpty else { return "" }
        return "?" + pairs.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
    }

    private static let unreserved = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~,"
    )

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
