public import Foundation

extension AuthorizationContext {
    /// The kind of entity-level instrument that lets an agency use a cooperative's agreements.
    public enum ParticipationInstrumentKind: String, Codable, CaseIterable, Hashable, Sendable {
        /// OMNIA Partners' Master Intergovernmental Cooperative Purchasing Agreement.
        case masterIntergovernmentalAgreement = "master-intergovernmental-agreement"
        /// An interlocal agreement or contract (HGACBuy, TIPS, BuyBoard; Tex. Gov't Code ch. 791).
        case interlocalAgreement = "interlocal-agreement"
        /// A registration (Sourcewell).
        case registration
        /// A NASPO ValuePoint participating addendum, per Master Agreement per state.
        case participatingAddendum = "participating-addendum"
    }

    /// One of the tenant's participation instruments.
    public struct ParticipationInstrument: Codable, Hashable, Sendable {
        public var kind: ParticipationInstrumentKind
        /// The agreement it is limited to; nil when it covers the whole program.
        public var agreementId: UUID?
        /// The state it covers (participating addenda); nil when not state-specific.
        public var state: USState?
        public var effectiveOn: LocalDate
        /// Last day in force (inclusive); nil when open-ended.
        public var expiresOn: LocalDate?
        /// The governing body's authorizing resolution.
        public var resolutionNumber: String?
        public var resolutionDate: LocalDate?

        public init(
            kind: ParticipationInstrumentKind,
            agreementId: UUID? = nil,
            state: USState? = nil,
            effectiveOn: LocalDate,
            expiresOn: LocalDate? = nil,
            resolutionNumber: String? = nil,
            resolutionDate: LocalDate? = nil
        ) {
            self.kind = kind
            self.agreementId = agreementId
            self.state = state
            self.effectiveOn = effectiveOn
            self.expiresOn = expiresOn
            self.resolutionNumber = resolutionNumber
            self.resolutionDate = resolutionDate
        }

        /// Whether `date` is within `effectiveOn...expiresOn`.
        public func isInForce(on date: LocalDate) -> Bool {
            date >= effectiveOn && (expiresOn.map { date <= $0 } ?? true)
        }
    }
}
