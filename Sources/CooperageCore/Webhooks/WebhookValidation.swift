public import Foundation

/// The checks a webhook endpoint's fields share between creation and change. They are about the text only; whether
/// the URL's host may be reached (not a private, loopback or link-local address) is decided where it is resolved.
public enum WebhookValidation {
    public static let maximumURLLength = 2048
    public static let maximumDescriptionLength = 500
    public static let maximumEvents = 100

    /// Problems with `url`: an absolute `http` or `https` URL with a host, no user name or password (credentials
    /// would be logged and shown), no fragment, at most 2,048 characters.
    public static func urlIssues(_ url: String, pointer: String = "/url") -> [FieldIssue] {
        func issue(_ detail: String) -> [FieldIssue] { [FieldIssue(pointer: pointer, detail: detail)] }
        guard !url.isEmpty, url.count <= maximumURLLength else {
            return issue("must be 1 to \(maximumURLLength) characters")
        }
        guard url.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value != 0x7F }) else {
            return issue("must be an absolute URL of printable ASCII characters without spaces (percent-encode the rest)")
        }
        guard let parsed = URLComponents(string: url), let scheme = parsed.scheme?.lowercased() else {
            return issue("is not an absolute URL")
        }
        guard scheme == "http" || scheme == "https" else { return issue("must use http or https, not \(scheme)") }
        guard let host = parsed.host, !host.isEmpty else { return issue("must name a host") }
        if parsed.user != nil || parsed.password != nil {
            return issue("must not carry a user name or password; authenticate the receiver with the webhook signature")
        }
        if parsed.fragment != nil { return issue("must not have a fragment (#...)") }
        if let port = parsed.port, !(1...65535).contains(port) { return issue("has a port out of range") }
        return []
    }

    /// Problems with a list of event types: 1 to 100 known types, each once.
    public static func eventIssues(_ events: [String], pointer: String = "/events") -> [FieldIssue] {
        guard !events.isEmpty, events.count <= maximumEvents else {
            return [FieldIssue(pointer: pointer, detail: "must list 1 to \(maximumEvents) event types")]
        }
        var issues: [FieldIssue] = []
        var seen: Set<String> = []
        for (index, name) in events.enumerated() {
            if EventType(rawValue: name) == nil {
                let known = EventType.allCases.map(\.rawValue).joined(separator: ", ")
                issues.append(
                    FieldIssue(pointer: "\(pointer)/\(index)", detail: "\"\(name)\" is not a known event type (\(known))")
                )
            } else if !seen.insert(name).inserted {
                issues.append(FieldIssue(pointer: "\(pointer)/\(index)", detail: "\"\(name)\" is listed twice"))
            }
        }
        return issues
    }

    public static func descriptionIssues(_ description: String?, pointer: String = "/description") -> [FieldIssue] {
        guard let description, description.count > maximumDescriptionLength else { return [] }
        return [FieldIssue(pointer: pointer, detail: "must be at most \(maximumDescriptionLength) characters")]
    }
}
