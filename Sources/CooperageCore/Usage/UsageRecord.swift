public import Foundation

/// A usage row as the API returns it: an order, or a reversal (negative amount) of one.
public struct UsageRecord: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case order, reversal
    }

    public var id: UUID
    public var kind: Kind
    public var tenantId: UUID
    public var authorizationId: UUID
    public var agreementId: UUID
    public var supplierId: UUID
    public var category: String
    public var poNumber: String
    public var orderDate: LocalDate
    /// Positive for orders, negative for reversals.
    public var amountCents: Int
    public var lines: [UsageLine]
    public var reversesId: UUID?
    public var reason: String?
    public var source: String
    public var importId: UUID?
    public var createdAt: Date
    /// What the authorization still allows after this write (when returned by a write or read).
    public var authorizationRemainingCents: Int?

    public init(
        id: UUID,
        kind: Kind,
        tenantId: UUID,
        authorizationId: UUID,
        agreementId: UUID,
        supplierId: UUID,
        category: String,
        poNumber: String,
        orderDate: LocalDate,
        amountCents: Int,
        lines: [UsageLine],
        reversesId: UUID?,
        reason: String?,
        source: String,
        importId: UUID?,
        createdAt: Date,
        authorizationRemainingCents: Int? = nil
    ) {
        self.id = id
        self.kind = kind
        self.tenantId = tenantId
        self.authorizationId = authorizationId
        self.agreementId = agreementId
        self.supplierId = supplierId
        self.category = category
        self.poNumber = poNumber
        self.orderDate = orderDate
        self.amountCents = amountCents
        self.lines = lines
        self.reversesId = reversesId
        self.reason = reason
        self.source = source
        self.importId = importId
        self.createdAt = createdAt
        self.authorizationRemainingCents = authorizationRemainingCents
    }
}

/// A correction of an order (`POST /v1/usage/{id}/reversal`): all of what remains, or part of it.
public struct NewReversal: Codable, Hashable, Sendable, JSONRequestBody {
    /// Omitted: reverse everything not yet reversed.
    public var amountCents: Int?
    public var reason: String

    /// The members a body may carry (``JSONRequestBody``).
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case amountCents, reason
    }

    public var issues: [FieldIssue] {
        var issues: [FieldIssue] = []
        if let amountCents, let issue = Money.issue(amountCents, at: "/amountCents") { issues.append(issue) }
        if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || reason.unicodeScalars.count > 1000 {
            issues.append(FieldIssue(pointer: "/reason", detail: "must say in 1 to 1000 characters why the order is corrected"))
        }
        return issues
    }
}
