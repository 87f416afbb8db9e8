import CooperageCore
import Foundation

/// What the cooperative's staff see first: how big the program is, and what needs attention.
public struct AdminOverview: Sendable {
    public var agencies: Int
    public var activeAgencies: Int
    public var suppliers: Int
    public var agreements: Int
    public var activeAgreements: Int
    /// Usage registered with an order date in the current calendar quarter, net of reversals.
    public var usageThisQuarterCents: Int
    public var quarterStart: LocalDate

    /// Active agreements whose term ends within the window.
    public var expiringAgreements: [AgreementItem]
    /// Active agreements whose committed amount is at or above the share of their ceiling.
    public var agreementsNearCeiling: [AgreementItem]
    /// Agencies' participation instruments whose last day in force is within the window.
    public var expiringInstruments: [InstrumentItem]
    /// Quarters of active fee-bearing agreements that ended more than the grace period ago with no sales report.
    public var overdueReports: [OverdueReport]
    /// Lists are cut at ``AdminOverviewStore/listLimit``; true when one was cut.
    public var truncated: Bool

    public struct AgreementItem: Sendable {
        public var id: UUID
        public var number: String
        public var title: String
        public var supplierName: String
        public var expiresOn: LocalDate
        public var ceilingCents: Int?
        public var committedCents: Int
    }

    public struct InstrumentItem: Sendable {
        public var tenantID: UUID
        public var agencyName: String
        public var kind: String
        public var expiresOn: LocalDate
    }

    public struct OverdueReport: Sendable {
        public var agreementID: UUID
        public var number: String
        public var supplierName: String
        public var year: Int
        public var quarter: Int
        public var quarterEndsOn: LocalDate
    }
}
