public import Foundation

extension AuthorizationContext {
    /// The requesting agency, as the gates and rules see it.
    public struct Tenant: Codable, Hashable, Sendable {
        public var id: UUID
        public var entityType: EntityType
        public var state: USState
        /// True when the tenant's status is `active` (not pending, suspended or closed).
        public var active: Bool
        /// Month (1...12) the tenant's fiscal year starts in.
        public var fiscalYearStartMonth: Int

        public init(id: UUID, entityType: EntityType, state: USState, active: Bool, fiscalYearStartMonth: Int) {
            self.id = id
            self.entityType = entityType
            self.state = state
            self.active = active
            self.fiscalYearStartMonth = fiscalYearStartMonth
        }
    }
}
