import Hummingbird

/// One page to render: its template (in `Templates/`), its title and the values the template reads.
struct ConsolePage: Sendable {
    var template: String
    var title: String
    /// What the template reads, besides what every page has (``ConsoleRenderer``). Values are shown escaped:
    /// the templates use `{{name}}`, never the unescaped `{{{name}}}`.
    var values: [String: any Sendable]
    var status: HTTPResponse.Status

    init(_ template: String, title: String, status: HTTPResponse.Status = .ok, _ values: [String: any Sendable] = [:]) {
        self.template = template
        self.title = title
        self.status = status
        self.values = values
    }
}
