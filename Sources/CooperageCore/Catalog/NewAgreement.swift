public import Foundation

/// What a cooperative administrator supplies to publish a Master Agreement.
public struct NewAgreement: Codable, Hashable, Sendable, JSONRequestBody {
    public var number: String
    public var title: String
    public var leadTenantId: UUID
    /// Must be a solicitation of the same lead agency.
    public var solicitationId: UUID
    public var supplierId: UUID
    /// At least one 8-digit UNSPSC code.
    public var categories: [String]
    public var nigpCodes: [String]?
    public var effectiveOn: LocalDate
    public var expiresOn: LocalDate
    public var renewalOptions: [RenewalOption]?
    public var maximumTermEndsOn: LocalDate?
    /// `active` when absent.
    public var status: AuthorizationContext.AgreementStatus?
    public var ceilingCents: Int?
    public var eligibleEntityTypes: [EntityType]?
    public var eligibleStates: [USState]?
    public var complianceLetterOnFile: Bool?
    public var telecomAttestation200216: Bool?
    /// 0 when absent.
    public var adminFeeBasisPoints: Int?
    public var priceTiers: [PriceTier]?
    public var documents: [AgreementDocument]?
    /// Days after a quarter's end its supplier report is due; 30 when absent.
    public var supplierReportDueDays: Int?

    /// The members a body may carry (``JSONRequestBody``).
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case number, title, leadTenantId, solicitationId, supplierId, categories, nigpCodes, effectiveOn, expiresOn
        case renewalOptions, maximumTermEndsOn, status, ceilingCents, eligibleEntityTypes, eligibleStates
        case complianceLetterOnFile, telecomAttestation200216, adminFeeBasisPoints, priceTiers, documents
        case supplierReportDueDays
    }

    public init(
        number: String,
        title: String,
        leadTenantId: UUID,
        solicitationId: UUID,
        supplierId: UUID,
        categories: [String],
        nigpCodes: [String]? = nil,
        effectiveOn: LocalDate,
        expiresOn: LocalDate,
        renewalOptions: [RenewalOption]? = nil,
        maximumTermEndsOn: LocalDate? = nil,
        status: AuthorizationContext.AgreementStatus? = nil,
        ceilingCents: Int? = nil,
        eligibleEntityTypes: [EntityType]? = nil,
        eligibleStates: [USState]? = nil,
        complianceLetterOnFile: Bool? = nil,
        telecomAttestation200216: Bool? = nil,
        adminFeeBasisPoints: Int? = nil,
        priceTiers: [PriceTier]? = nil,
        documents: [AgreementDocument]? = nil,
        supplierReportDueDays: Int? = nil
    ) {
        self.number = number
        self.title = title
        self.leadTenantId = leadTenantId
        self.solicitationId = solicitationId
        self.supplierId = supplierId
        self.categories = categories
        self.nigpCodes = nigpCodes
        self.effectiveOn = effectiveOn
        self.expiresOn = expiresOn
        self.renewalOptions = renewalOptions
        self.maximumTermEndsOn = maximumTermEndsOn
        self.status = status
        self.ceilingCents = ceilingCents
        self.eligibleEntityTypes = eligibleEntityTypes
        self.eligibleStates = eligibleStates
        self.complianceLetterOnFile = complianceLetterOnFile
        self.telecomAttestation200216 = telecomAttestation200216
        self.adminFeeBasisPoints = adminFeeBasisPoints
        self.priceTiers = priceTiers
        self.documents = documents
        self.supplierReportDueDays = supplierReportDueDays
    }

    public var issues: [FieldIssue] {
        CatalogValidation.agreementIssues(
            number: number,
            title: title,
            categories: categories,
            nigpCodes: nigpCodes,
            renewalOptions: renewalOptions,
            ceilingCents: ceilingCents,
            adminFeeBasisPoints: adminFeeBasisPoints,
            priceTiers: priceTiers,
            documents: documents
        )
            + CatalogValidation.termIssues(
                effectiveOn: effectiveOn,
                expiresOn: expiresOn,
                maximumTermEndsOn: maximumTermEndsOn
            )
            + CatalogValidation.supplierReportDueDaysIssues(supplierReportDueDays)
    }
}
