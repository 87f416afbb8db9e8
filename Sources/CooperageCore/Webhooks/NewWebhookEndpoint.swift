/// What an administrator sends to subscribe an endpoint: `{"url", "events": [...], "description"}`.
public struct NewWebhookEndpoint: Codable, Hashable, Sendable, JSONRequestBody {
    public var url: String
    public var events: [String]
    public var description: String?

    /// The members a body may carry (``JSONRequestBody``).
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case url, events, description
    }

    public init(url: String, events: [String], description: String? = nil) {
        self.url = url
        self.events = events
        self.description = description
    }

    public var issues: [FieldIssue] {
        WebhookValidation.urlIssues(url) + WebhookValidation.eventIssues(events)
            + WebhookValidation.descriptionIssues(description)
    }
}
