public import Foundation

/// The outcome of one bulk file: recorded once per file digest.
public struct UsageImport: Codable, Hashable, Sendable {
    public var id: UUID
    public var tenantId: UUID
    public var fileDigest: String
    public var fileName: String?
    public var orderCount: Int
    public var lineCount: Int
    public var totalCents: Int
    public var createdAt: Date
}
