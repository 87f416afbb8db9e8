public import Foundation

extension AuthorizationContext {
    /// The Master Agreement, with what the gates and rules need to know about it.
    public struct Agreement: Codable, Hashable, Sendable {
        public var id: UUID
        /// The number printed on the agreement (for example `R191902`).
        public var number: String
        /// Only `active` agreements may be used (the agreement-in-term gate).
        public var status: AgreementStatus
        /// First day of the term.
        public var effectiveOn: LocalDate
        /// Last day of the current term (including renewals exercised so far).
        public var expiresOn: LocalDate
        /// UNSPSC codes in scope; a code ending in `00` pairs covers everything below it (`43210000`).
        public var categories: [String]
        /// Optional NIGP codes, informational.
        public var nigpCodes: [String]
        /// Entity types that may use the agreement; empty means all.
        public var eligibleEntityTypes: [EntityType]
        /// States whose agencies may use the agreement; empty means all.
        public var eligibleStates: [USState]
        /// Not-to-exceed for all agencies together; nil when the agreement has none.
        public var ceilingCents: Int?
        /// The cooperative's 2 CFR 200 (EDGAR / Uniform Guidance) compliance letter is on file.
        public var complianceLetterOnFile: Bool
        /// The supplier attested it provides no covered telecommunications equipment (2 CFR 200.216).
        public var telecomAttestation200216: Bool
        public var leadAgency: LeadAgency
        public var solicitation: Solicitation
        public var supplier: Supplier

        public init(
            id: UUID,
            number: String,
            status: AgreementStatus,
            effectiveOn: LocalDate,
            expiresOn: LocalDate,
            categories: [String],
            nigpCodes: [String] = [],
            eligibleEntityTypes: [EntityType] = [],
            eligibleStates: [USState] = [],
            ceilingCents: Int? = nil,
            complianceLetterOnFile: Bool = false,
            telecomAttestation200216: Bool = false,
            leadAgency: LeadAgency,
            solicitation: Solicitation,
            supplier: Supplier
        ) {
            self.id = id
            self.number = number
            self.status = status
            self.effectiveOn = effectiveOn
            self.expiresOn = expiresOn
            self.categories = categories
            self.nigpCodes = nigpCodes
            self.eligibleEntityTypes = eligibleEntityTypes
            self.eligibleStates = eligibleStates
            self.ceilingCents = ceilingCents
            self.complianceLetterOnFile = complianceLetterOnFile
            self.telecomAttestation200216 = telecomAttestation200216
            self.leadAgency = leadAgency
            self.solicitation = solicitation
            self.supplier = supplier
        }

        /// Whether `category` falls under one of the agreement's UNSPSC codes.
        public func covers(category: String) -> Bool {
            categories.contains { UNSPSC.code(category, isUnder: $0) }
        }
    }

    /// The agreement's lifecycle status as the cooperative publishes it.
    public enum AgreementStatus: String, Codable, CaseIterable, Hashable, Sendable {
        case active
        case suspended
        case expired
        case terminated
    }

    /// The public body that ran the solicitation and awarded the agreement.
    public struct LeadAgency: Codable, Hashable, Sendable {
        public var name: String
        /// The lead's state; nil for a federal lead (or when not recorded).
        public var state: USState?
        /// The lead's entity type; nil for a federal lead or a cooperative organization.
        public var entityType: EntityType?
        /// The lead is a public agency (not the cooperative's management company).
        public var isPublic: Bool
        /// The lead is a federal agency (for example GSA).
        public var isFederal: Bool

        public init(
            name: String,
            state: USState?,
            entityType: EntityType?,
            isPublic: Bool = true,
            isFederal: Bool = false
        ) {
            self.name = name
            self.state = state
            self.entityType = entityType
            self.isPublic = isPublic
            self.isFederal = isFederal
        }
    }

    /// How the lead agency solicited offers.
    public enum SolicitationMethod: String, Codable, CaseIterable, Hashable, Sendable {
        /// Invitation for bids (sealed bids).
        case ifb
        /// Request for proposals.
        case rfp
        /// Competitive sealed proposals (Texas).
        case csp
    }

    /// How the lead agency chose the winning offer.
    public enum AwardBasis: String, Codable, CaseIterable, Hashable, Sendable {
        case lowestResponsibleBidder = "lowest-responsible-bidder"
        case bestValue = "best-value"
    }

    /// How the lead agency solicited and awarded the agreement.
    public struct Solicitation: Codable, Hashable, Sendable {
        public var number: String?
        public var method: SolicitationMethod
        /// The solicitation was publicly advertised.
        public var advertised: Bool
        /// Where it was advertised (newspaper, web portal URL).
        public var advertisedWhere: String?
        public var advertisedOn: LocalDate?
        /// The solicitation said other public agencies may use the resulting contract.
        public var cooperativeLanguageInSolicitation: Bool
        /// The contract says other public agencies may use it.
        public var cooperativeLanguageInContract: Bool
        public var awardBasis: AwardBasis

        public init(
            number: String? = nil,
            method: SolicitationMethod,
            advertised: Bool,
            advertisedWhere: String? = nil,
            advertisedOn: LocalDate? = nil,
            cooperativeLanguageInSolicitation: Bool,
            cooperativeLanguageInContract: Bool,
            awardBasis: AwardBasis
        ) {
            self.number = number
            self.method = method
            self.advertised = advertised
            self.advertisedWhere = advertisedWhere
            self.advertisedOn = advertisedOn
            self.cooperativeLanguageInSolicitation = cooperativeLanguageInSolicitation
            self.cooperativeLanguageInContract = cooperativeLanguageInContract
            self.awardBasis = awardBasis
        }
    }

    /// The supplier's standing; suspended and debarred suppliers cannot be used.
    public enum SupplierStatus: String, Codable, CaseIterable, Hashable, Sendable {
        case active
        case suspended
        case debarred
    }

    /// The supplier awarded the agreement.
    public struct Supplier: Codable, Hashable, Sendable {
        public var id: UUID
        public var name: String
        public var status: SupplierStatus
        /// The day the current status took (or takes) effect; nil when unknown.
        public var statusEffectiveOn: LocalDate?

        public init(id: UUID, name: String, status: SupplierStatus, statusEffectiveOn: LocalDate? = nil) {
            self.id = id
            self.name = name
            self.status = status
            self.statusEffectiveOn = statusEffectiveOn
        }
    }
}
