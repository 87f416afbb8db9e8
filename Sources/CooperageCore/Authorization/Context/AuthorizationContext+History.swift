public import Foundation

extension AuthorizationContext {
    /// One of the tenant's earlier orders (approved authorization or registered usage).
    public struct PriorOrder: Codable, Hashable, Sendable {
        public var date: LocalDate
        public var amountCents: Int
        /// UNSPSC code, 8 digits.
        public var category: String
        public var supplierId: UUID
        public var agreementId: UUID

        public init(date: LocalDate, amountCents: Int, category: String, supplierId: UUID, agreementId: UUID) {
            self.date = date
            self.amountCents = amountCents
            self.category = category
            self.supplierId = supplierId
            self.agreementId = agreementId
        }
    }

    /// The class of source an agreement comes from, seen from the buying tenant.
    public enum AgreementSource: String, Codable, CaseIterable, Hashable, Sendable {
        /// Awarded by a state agency of the tenant's own state.
        case stateContract = "state-contract"
        /// Awarded by another public agency in the tenant's state.
        case inState = "in-state"
        /// Awarded by a public agency of another state (national cooperatives usually are).
        case outOfState = "out-of-state"
        /// Awarded by a federal agency (GSA schedules).
        case federal
    }

    /// The lead agency's jurisdiction relative to the buying tenant, as statutes distinguish it.
    public enum LeadJurisdiction: String, Codable, CaseIterable, Hashable, Sendable {
        case inState = "in-state"
        case outOfState = "out-of-state"
        case federal
    }
}
