public import Foundation

/// `statement`: one agency's authorizations with what was authorized, used and remains, and the usage under each.
public struct StatementReport: ReportDocument, Hashable {
    public var report: ReportName { .statement }
    public var tenantId: UUID
    public var tenantName: String
    public var from: LocalDate?
    public var to: LocalDate?
    public var authorizations: [StatementAuthorization]

    public init(tenantId: UUID, tenantName: String, from: LocalDate?, to: LocalDate?, authorizations: [StatementAuthorization]) {
        self.tenantId = tenantId
        self.tenantName = tenantName
        self.from = from
        self.to = to
        self.authorizations = authorizations
    }

    public struct Totals: Codable, Hashable, Sendable {
        public var requestedCents: Int
        public var authorizedCents: Int
        public var usedCents: Int
        public var remainingCents: Int
    }

    public var totals: Totals {
        Totals(
            requestedCents: Money.clampedSum(authorizations.lazy.map(\.requestedCents)),
            authorizedCents: Money.clampedSum(authorizations.lazy.map(\.authorizedCents)),
            usedCents: Money.clampedSum(authorizations.lazy.map(\.usedCents)),
            remainingCents: Money.clampedSum(authorizations.lazy.map(\.remainingCents))
        )
    }

    enum CodingKeys: String, CodingKey { case report, tenantId, tenantName, from, to, totals, authorizations }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(report, forKey: .report)
        try container.encode(tenantId, forKey: .tenantId)
        try container.encode(tenantName, forKey: .tenantName)
        try container.encodeIfPresent(from, forKey: .from)
        try container.encodeIfPresent(to, forKey: .to)
        try container.encode(totals, forKey: .totals)
        try container.encode(authorizations, forKey: .authorizations)
    }

    /// One row per authorization (`record_type` authorization) followed by its orders and reversals.
    public var csvTable: CSVTable {
        var rows: [[String]] = []
        for authorization in authorizations {
            rows.append([
                "authorization", Cell.id(authorization.authorizationId), "", Cell.id(authorization.agreementId),
                authorization.agreementNumber, authorization.purchaseDate.description, authorization.category, "",
                authorization.outcome, String(authorization.requestedCents), String(authorization.authorizedCents),
                String(authorization.usedCents), String(authorization.remainingCents), Cell.date(authorization.validFrom),
                Cell.date(authorization.validUntil), "",
            ])
            for usage in authorization.usage {
                rows.append([
                    usage.kind, Cell.id(authorization.authorizationId), Cell.id(usage.usageId),
                    Cell.id(authorization.agreementId),
                    authorization.agreementNumber, usage.orderDate.description, authorization.category, usage.poNumber, "",
                    String(usage.amountCents), "", "", "", "", "", Cell.text(usage.reason),
                ])
            }
        }
        return CSVTable(
            header: [
                "record_type", "authorization_id", "usage_id", "agreement_id", "agreement_number", "date", "category",
                "po_number",
                "outcome", "amount_cents", "authorized_cents", "used_cents", "remaining_cents", "valid_from", "valid_until",
                "reason",
            ],
            rows: rows,
            numberColumns: ["amount_cents", "authorized_cents", "used_cents", "remaining_cents"]
        )
    }
}

public struct StatementAuthorization: Codable, Hashable, Sendable {
    public var authorizationId: UUID
    public var agreementId: UUID
    public var agreementNumber: String
    public var purchaseDate: LocalDate
    public var category: String
    public var outcome: String
    /// What the agency asked for.
    public var requestedCents: Int
    /// What the latest decision authorized (0 unless approved).
    public var authorizedCents: Int
    /// Orders minus reversals under it.
    public var usedCents: Int
    /// `authorizedCents - usedCents`.
    public var remainingCents: Int
    public var validFrom: LocalDate?
    public var validUntil: LocalDate?
    public var usage: [StatementUsage]

    public init(
        authorizationId: UUID,
        agreementId: UUID,
        agreementNumber: String,
        purchaseDate: LocalDate,
        category: String,
        outcome: String,
        requestedCents: Int,
        authorizedCents: Int,
        usedCents: Int,
        validFrom: LocalDate?,
        validUntil: LocalDate?,
        usage: [StatementUsage]
    ) {
        self.authorizationId = authorizationId
        self.agreementId = agreementId
        self.agreementNumber = agreementNumber
        self.purchaseDate = purchaseDate
        self.category = category
        self.outcome = outcome
        self.requestedCents = requestedCents
        self.authorizedCents = authorizedCents
        self.usedCents = usedCents
        self.remainingCents = Money.clampedDifference(authorizedCents, usedCents)
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.usage = usage
    }
}

/// An order (positive) or a reversal (negative) under an authorization.
public struct StatementUsage: Codable, Hashable, Sendable {
    public var usageId: UUID
    /// `order` or `reversal`.
    public var kind: String
    public var poNumber: String
    public var orderDate: LocalDate
    public var amountCents: Int
    public var reversesId: UUID?
    public var reason: String?

    public init(
        usageId: UUID,
        kind: String,
        poNumber: String,
        orderDate: LocalDate,
        amountCents: Int,
        reversesId: UUID?,
        reason: String?
    ) {
        self.usageId = usageId
        self.kind = kind
        self.poNumber = poNumber
        self.orderDate = orderDate
        self.amountCents = amountCents
        self.reversesId = reversesId
        self.reason = reason
    }
}
