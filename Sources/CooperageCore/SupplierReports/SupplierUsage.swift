public import Foundation

/// What agencies registered under a supplier's agreements in one quarter (`GET /v1/supplier-usage`), per agreement
/// and agency: the figures the supplier's own report should agree with.
public struct SupplierUsage: Codable, Hashable, Sendable {
    public var agreementId: UUID
    public var agreementNumber: String
    public var tenantId: UUID
    /// The agency's legal name.
    public var agencyName: String
    /// The number to quote on the report's lines, when the cooperative assigned one.
    public var cooperativeNumber: String?
    public var year: Int
    public var quarter: Int
    /// `2026-Q4`.
    public var period: String
    /// Purchase orders dated in the quarter (reversals are not orders).
    public var orderCount: Int
    /// Orders minus reversals dated in the quarter, in cents.
    public var amountCents: Int

    public init(
        agreementId: UUID,
        agreementNumber: String,
        tenantId: UUID,
        agencyName: String,
        cooperativeNumber: String?,
        year: Int,
        quarter: Int,
        orderCount: Int,
        amountCents: Int
    ) {
        self.agreementId = agreementId
        self.agreementNumber = agreementNumber
        self.tenantId = tenantId
        self.agencyName = agencyName
        self.cooperativeNumber = cooperativeNumber
        self.year = year
        self.quarter = quarter
        self.period = "\(year)-Q\(quarter)"
        self.orderCount = orderCount
        self.amountCents = amountCents
    }
}
