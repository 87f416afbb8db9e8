public import Foundation

/// A webhook endpoint as listed and shown: never its secret (``IssuedWebhookSecret`` carries it once).
///
/// `tenantId` is the agency whose events it receives, or nil for the cooperative's own events.
public struct WebhookEndpoint: Codable, Hashable, Sendable {
    public var id: UUID
    public var tenantId: UUID?
    public var url: String
    public var description: String
    /// Event type names as stored (a newer server's types are shown as they are).
    public var events: [String]
    public var enabled: Bool
    /// Why it stopped receiving deliveries: disabled by its administrator, or by the dispatcher after failures.
    public var disabledReason: String?
    public var disabledAt: Date?
    /// When the first failed attempt since the last delivered one was made; nil while deliveries succeed.
    public var failingSince: Date?
    public var secretRotatedAt: Date?
    /// Until when the secret replaced by the last rotation still signs beside the new one.
    public var previousSecretExpiresAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
    /// Set once the endpoint is deleted: it receives nothing, its secret is gone, its deliveries stay readable.
    public var deletedAt: Date?

    public init(
        id: UUID,
        tenantId: UUID?,
        url: String,
        description: String,
        events: [String],
        enabled: Bool,
        disabledReason: String? = nil,
        disabledAt: Date? = nil,
        failingSince: Date? = nil,
        secretRotatedAt: Date? = nil,
        previousSecretExpiresAt: Date? = nil,
        createdAt: Date,
        updatedAt: Date,
        deletedAt: Date? = nil
    ) {
        self.id = id
        self.tenantId = tenantId
        self.url = url
        self.description = description
        self.events = events
        self.enabled = enabled
        self.disabledReason = disabledReason
        self.disabledAt = disabledAt
        self.failingSince = failingSince
        self.secretRotatedAt = secretRotatedAt
        self.previousSecretExpiresAt = previousSecretExpiresAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
    }
}
