public import Foundation

/// An authorization request with its latest decision, as the API returns it.
public struct AuthorizationRecord: Codable, Hashable, Sendable {
    public var id: UUID
    public var tenantId: UUID
    public var agreementId: UUID
    public var supplierId: UUID
    public var amountCents: Int
    public var purchaseDate: LocalDate
    public var category: String
    public var fundingLines: [AuthorizationContext.FundingLine]
    public var purpose: String
    public var evidence: AuthorizationContext.Evidence
    public var outcome: DecisionOutcome
    public var authorizedAmountCents: Int
    public var validFrom: LocalDate?
    public var validUntil: LocalDate?
    public var policyVersion: Int
    public var createdAt: Date
    /// The latest decision.
    public var decision: DecisionRecord
    /// Every decision, oldest first (only when one authorization is read).
    public var decisions: [DecisionRecord]?
    /// Approvals recorded, oldest first (only when one authorization is read).
    public var approvals: [ApprovalRecord]?

    public init(
        id: UUID,
        tenantId: UUID,
        agreementId: UUID,
        supplierId: UUID,
        amountCents: Int,
        purchaseDate: LocalDate,
        category: String,
        fundingLines: [AuthorizationContext.FundingLine],
        purpose: String,
        evidence: AuthorizationContext.Evidence,
        outcome: DecisionOutcome,
        authorizedAmountCents: Int,
        validFrom: LocalDate?,
        validUntil: LocalDate?,
        policyVersion: Int,
        createdAt: Date,
        decision: DecisionRecord,
        decisions: [DecisionRecord]? = nil,
        approvals: [ApprovalRecord]? = nil
    ) {
        self.id = id
        self.tenantId = tenantId
        self.agreementId = agreementId
        self.supplierId = supplierId
        self.amountCents = amountCents
        self.purchaseDate = purchaseDate
        self.category = category
        self.fundingLines = fundingLines
        self.purpose = purpose
        self.evidence = evidence
        self.outcome = outcome
        self.authorizedAmountCents = authorizedAmountCents
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.policyVersion = policyVersion
        self.createdAt = createdAt
        self.decision = decision
        self.decisions = decisions
        self.approvals = approvals
    }
}

/// One decision of an authorization: immutable once written.
public struct DecisionRecord: Codable, Hashable, Sendable {
    public var seq: Int
    public var outcome: DecisionOutcome
    /// One result per system gate, then per policy rule.
    public var results: [RuleResult]
    public var policyVersion: Int
    public var authorizedAmountCents: Int
    public var validFrom: LocalDate?
    public var validUntil: LocalDate?
    /// `request` for the first decision, `approval` for re-evaluations after an approval.
    public var trigger: String
    public var decidedAt: Date
    /// The version of the agreement's terms (ceiling, eligibility, ...) the decision was made under; nil for
    /// decisions recorded before versions were kept.
    public var agreementTermsVersion: Int?

    public init(
        seq: Int,
        outcome: DecisionOutcome,
        results: [RuleResult],
        policyVersion: Int,
        authorizedAmountCents: Int,
        validFrom: LocalDate?,
        validUntil: LocalDate?,
        trigger: String,
        decidedAt: Date,
        agreementTermsVersion: Int? = nil
    ) {
        self.seq = seq
        self.outcome = outcome
        self.results = results
        self.policyVersion = policyVersion
        self.authorizedAmountCents = authorizedAmountCents
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.trigger = trigger
        self.decidedAt = decidedAt
        self.agreementTermsVersion = agreementTermsVersion
    }
}

/// Who approved what on an authorization.
public struct ApprovalRecord: Codable, Hashable, Sendable {
    public var seq: Int
    public var ruleType: String?
    public var ruleIndex: Int?
    public var approverRole: String
    public var approverTokenId: UUID
    public var resolutionNumber: String?
    public var resolutionDate: LocalDate?
    public var evidence: AuthorizationContext.Evidence
    public var note: String?
    public var createdAt: Date

    public init(
        seq: Int,
        ruleType: String?,
        ruleIndex: Int?,
        approverRole: String,
        approverTokenId: UUID,
        resolutionNumber: String?,
        resolutionDate: LocalDate?,
        evidence: AuthorizationContext.Evidence,
        note: String?,
        createdAt: Date
    ) {
        self.seq = seq
        self.ruleType = ruleType
        self.ruleIndex = ruleIndex
        self.approverRole = approverRole
        self.approverTokenId = approverTokenId
        self.resolutionNumber = resolutionNumber
        self.resolutionDate = resolutionDate
        self.evidence = evidence
        self.note = note
        self.createdAt = createdAt
    }
}
