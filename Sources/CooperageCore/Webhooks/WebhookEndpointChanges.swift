/// A JSON merge patch (RFC 7396) of a webhook endpoint: absent members stay as they are.
///
/// `enabled: true` re-enables an endpoint that was disabled (by its administrator or after failures) and clears its
/// failure state; `enabled: false` stops its deliveries. `description: null` clears the description.
public struct WebhookEndpointChanges: Hashable, Sendable, JSONRequestBody {
    public var url: String?
    public var events: [String]?
    public var description: String??
    public var enabled: Bool?

    /// The members a patch may carry (``JSONRequestBody``).
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case url, events, description, enabled
    }

    public init(url: String? = nil, events: [String]? = nil, description: String?? = nil, enabled: Bool? = nil) {
        self.url = url
        self.events = events
        self.description = description
        self.enabled = enabled
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        url = try CatalogPatch.value(String.self, .url, in: container)
        events = try CatalogPatch.value([String].self, .events, in: container)
        description = try CatalogPatch.nullable(String.self, .description, in: container)
        enabled = try CatalogPatch.value(Bool.self, .enabled, in: container)
    }

    public var isEmpty: Bool { url == nil && events == nil && description == nil && enabled == nil }

    public var issues: [FieldIssue] {
        var issues: [FieldIssue] = []
        if let url { issues += WebhookValidation.urlIssues(url) }
        if let events { issues += WebhookValidation.eventIssues(events) }
        if let description { issues += WebhookValidation.descriptionIssues(description) }
        if isEmpty {
            issues.append(FieldIssue(pointer: "", detail: "must change at least one of url, events, description, enabled"))
        }
        return issues
    }
}
