import Foundation

/// What an audit event is about: a kind of object and its id, as the trail stores them.
public struct AuditSubject: Hashable, Sendable {
    public var type: Kind
    public var id: String

    /// The kinds of subject. The raw value is stored and hashed: never rename a case's value.
    public enum Kind: String, CaseIterable, Sendable {
        case tenant
        case token
        case supplier
        case solicitation
        case agreement
        case participation
        case policyVersion = "policy-version"
        case authorization
        case usage
        case usageImport = "usage-import"
        case supplierReport = "supplier-report"
        /// An alert of the event outbox; the id is the event's.
        case alert
        /// The cooperative chain's record of every tenant chain's head; the id is the number of chains.
        case auditChainHeads = "audit-chain-heads"
        case webhookEndpoint = "webhook-endpoint"
        case webhookDelivery = "webhook-delivery"
    }

    public init(_ type: Kind, id: String) {
        self.type = type
        self.id = id
    }

    public init(_ type: Kind, _ id: UUID) {
        self.init(type, id: id.uuidString.lowercased())
    }

    public static func tenant(_ id: UUID) -> Self { Self(.tenant, id) }
    public static func token(_ id: UUID) -> Self { Self(.token, id) }
    public static func supplier(_ id: UUID) -> Self { Self(.supplier, id) }
    public static func solicitation(_ id: UUID) -> Self { Self(.solicitation, id) }
    public static func agreement(_ id: UUID) -> Self { Self(.agreement, id) }
    public static func participation(_ id: UUID) -> Self { Self(.participation, id) }
    public static func policyVersion(_ version: Int) -> Self { Self(.policyVersion, id: String(version)) }
    public static func authorization(_ id: UUID) -> Self { Self(.authorization, id) }
    public static func usage(_ id: UUID) -> Self { Self(.usage, id) }
    public static func usageImport(_ id: UUID) -> Self { Self(.usageImport, id) }
    public static func supplierReport(_ id: UUID) -> Self { Self(.supplierReport, id) }
    public static func alert(_ id: UUID) -> Self { Self(.alert, id) }
    public static func webhookEndpoint(_ id: UUID) -> Self { Self(.webhookEndpoint, id) }
    public static func webhookDelivery(_ id: UUID) -> Self { Self(.webhookDelivery, id) }
}
