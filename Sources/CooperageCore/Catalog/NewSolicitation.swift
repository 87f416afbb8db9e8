public import Foundation

/// What a cooperative administrator records about a lead agency's solicitation.
public struct NewSolicitation: Codable, Hashable, Sendable, JSONRequestBody {
    public var leadTenantId: UUID
    public var number: String
    public var title: String
    public var method: AuthorizationContext.SolicitationMethod
    public var advertisedWhere: String?
    public var advertisedOn: LocalDate?
    public var cooperativeLanguageInSolicitation: Bool
    public var cooperativeLanguageInContract: Bool
    public var awardBasis: AuthorizationContext.AwardBasis
    public var awardDate: LocalDate?

    /// The members a body may carry (``JSONRequestBody``).
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case leadTenantId, number, title, method, advertisedWhere, advertisedOn, cooperativeLanguageInSolicitation
        case cooperativeLanguageInContract, awardBasis, awardDate
    }

    public init(
        leadTenantId: UUID,
        number: String,
        title: String,
        method: AuthorizationContext.SolicitationMethod,
        advertisedWhere: String? = nil,
        advertisedOn: LocalDate? = nil,
        cooperativeLanguageInSolicitation: Bool,
        cooperativeLanguageInContract: Bool,
        awardBasis: AuthorizationContext.AwardBasis,
        awardDate: LocalDate? = nil
    ) {
        self.leadTenantId = leadTenantId
        self.number = number
        self.title = title
        self.method = method
        self.advertisedWhere = advertisedWhere
        self.advertisedOn = advertisedOn
        self.cooperativeLanguageInSolicitation = cooperativeLanguageInSolicitation
        self.cooperativeLanguageInContract = cooperativeLanguageInContract
        self.awardBasis = awardBasis
        self.awardDate = awardDate
    }

    public var issues: [FieldIssue] {
        CatalogValidation.solicitationIssues(
            number: number,
            title: title,
            advertisedWhere: advertisedWhere,
            advertisedOn: advertisedOn,
            awardDate: awardDate
        )
    }
}
