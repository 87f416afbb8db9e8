public import Foundation

/// How a lead agency solicited and awarded the contract that became a Master Agreement.
public struct Solicitation: Codable, Hashable, Sendable {
    public var id: UUID
    /// The tenant (lead agency) that ran the solicitation.
    public var leadTenantId: UUID
    /// The lead agency's legal name, for convenience.
    public var leadAgencyName: String
    public var number: String
    public var title: String
    public var method: AuthorizationContext.SolicitationMethod
    /// Where it was advertised (a newspaper, a bid portal's URL).
    public var advertisedWhere: String?
    public var advertisedOn: LocalDate?
    /// The solicitation said other public agencies may use the resulting contract.
    public var cooperativeLanguageInSolicitation: Bool
    /// The contract says other public agencies may use it.
    public var cooperativeLanguageInContract: Bool
    public var awardBasis: AuthorizationContext.AwardBasis
    public var awardDate: LocalDate?
    public var createdAt: Date

    public init(
        id: UUID,
        leadTenantId: UUID,
        leadAgencyName: String,
        number: String,
        title: String,
        method: AuthorizationContext.SolicitationMethod,
        advertisedWhere: String?,
        advertisedOn: LocalDate?,
        cooperativeLanguageInSolicitation: Bool,
        cooperativeLanguageInContract: Bool,
        awardBasis: AuthorizationContext.AwardBasis,
        awardDate: LocalDate?,
        createdAt: Date
    ) {
        self.id = id
        self.leadTenantId = leadTenantId
        self.leadAgencyName = leadAgencyName
        self.number = number
        self.title = title
        self.method = method
        self.advertisedWhere = advertisedWhere
        self.advertisedOn = advertisedOn
        self.cooperativeLanguageInSolicitation = cooperativeLanguageInSolicitation
        self.cooperativeLanguageInContract = cooperativeLanguageInContract
        self.awardBasis = awardBasis
        self.awardDate = awardDate
        self.createdAt = createdAt
    }
}
