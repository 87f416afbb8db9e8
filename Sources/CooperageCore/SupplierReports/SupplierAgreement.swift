public import Foundation

/// A Master Agreement as its own supplier sees it (`GET /v1/supplier/agreements`): what it reports against, without
/// the agencies' commitments (`committedCents` sums their decisions) or anything else of theirs.
public struct SupplierAgreement: Codable, Hashable, Sendable {
    public var id: UUID
    public var number: String
    public var title: String
    public var leadTenantId: UUID
    /// The lead agency's legal name: the award is public.
    public var leadAgencyName: String
    public var categories: [String]
    public var effectiveOn: LocalDate
    public var expiresOn: LocalDate
    public var status: AuthorizationContext.AgreementStatus
    /// The cooperative's administrative fee on sales, in basis points.
    public var adminFeeBasisPoints: Int
    /// A quarter's report is due this many days after the quarter ends.
    public var supplierReportDueDays: Int

    public init(
        id: UUID,
        number: String,
        title: String,
        leadTenantId: UUID,
        leadAgencyName: String,
        categories: [String],
        effectiveOn: LocalDate,
        expiresOn: LocalDate,
        status: AuthorizationContext.AgreementStatus,
        adminFeeBasisPoints: Int,
        supplierReportDueDays: Int
    ) {
        self.id = id
        self.number = number
        self.title = title
        self.leadTenantId = leadTenantId
        self.leadAgencyName = leadAgencyName
        self.categories = categories
        self.effectiveOn = effectiveOn
        self.expiresOn = expiresOn
        self.status = status
        self.adminFeeBasisPoints = adminFeeBasisPoints
        self.supplierReportDueDays = supplierReportDueDays
    }
}
