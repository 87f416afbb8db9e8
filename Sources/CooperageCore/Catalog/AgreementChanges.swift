/// A JSON merge patch (RFC 7396) of a Master Agreement: absent fields stay, `null` clears an optional
/// field, arrays replace the stored ones. The number, lead agency, solicitation and supplier identify
/// the award and cannot change; `committedCents` belongs to the authorization gate.
public struct AgreementChanges: Hashable, Sendable, JSONRequestBody {
    public var title: String?
    public var categories: [String]?
    public var nigpCodes: [String]?
    public var effectiveOn: LocalDate?
    public var expiresOn: LocalDate?
    public var renewalOptions: [RenewalOption]?
    /// `.some(nil)` removes the maximum term.
    public var maximumTermEndsOn: LocalDate??
    public var status: AuthorizationContext.AgreementStatus?
    /// `.some(nil)` removes the ceiling.
    public var ceilingCents: Int??
    public var eligibleEntityTypes: [EntityType]?
    public var eligibleStates: [USState]?
    public var complianceLetterOnFile: Bool?
    public var telecomAttestation200216: Bool?
    public var adminFeeBasisPoints: Int?
    public var priceTiers: [PriceTier]?
    public var documents: [AgreementDocument]?
    public var supplierReportDueDays: Int?
    /// Members of the patch that name fields which cannot be changed (reported as issues).
    public var immutableFieldsPresent: [String] = []

    /// The members a patch may carry (``JSONRequestBody``), including the unchangeable ones, which are refused with a
    /// reason rather than as unknown.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case title, categories, nigpCodes, effectiveOn, expiresOn, renewalOptions, maximumTermEndsOn, status, ceilingCents
        case eligibleEntityTypes, eligibleStates, complianceLetterOnFile, telecomAttestation200216, adminFeeBasisPoints
        case priceTiers, documents, supplierReportDueDays
        // Not changeable: accepted only to say so precisely.
        case number, leadTenantId, solicitationId, supplierId, committedCents
    }

    static let immutableKeys: [CodingKeys] = [.number, .leadTenantId, .solicitationId, .supplierId, .committedCents]

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try CatalogPatch.value(String.self, .title, in: container)
        categories = try CatalogPatch.value([String].self, .categories, in: container)
        nigpCodes = try CatalogPatch.value([String].self, .nigpCodes, in: container)
        effectiveOn = try CatalogPatch.value(LocalDate.self, .effectiveOn, in: container)
        expiresOn = try CatalogPatch.value(LocalDate.self, .expiresOn, in: container)
        renewalOptions = try CatalogPatch.value([RenewalOption].self, .renewalOptions, in: container)
        maximumTermEndsOn = try CatalogPatch.nullable(LocalDate.self, .maximumTermEndsOn, in: container)
        status = try CatalogPatch.value(AuthorizationContext.AgreementStatus.self, .status, in: container)
        ceilingCents = try CatalogPatch.nullable(Int.self, .ceilingCents, in: container)
        eligibleEntityTypes = try CatalogPatch.value([EntityType].self, .eligibleEntityTypes, in: container)
        eligibleStates = try CatalogPatch.value([USState].self, .eligibleStates, in: container)
        complianceLetterOnFile = try CatalogPatch.value(Bool.self, .complianceLetterOnFile, in: container)
        telecomAttestation200216 = try CatalogPatch.value(Bool.self, .telecomAttestation200216, in: container)
        adminFeeBasisPoints = try CatalogPatch.value(Int.self, .adminFeeBasisPoints, in: container)
        priceTiers = try CatalogPatch.value([PriceTier].self, .priceTiers, in: container)
        documents = try CatalogPatch.value([AgreementDocument].self, .documents, in: container)
        supplierReportDueDays = try CatalogPatch.value(Int.self, .supplierReportDueDays, in: container)
        immutableFieldsPresent = Self.immutableKeys.filter { container.contains($0) }.map(\.rawValue)
    }

    /// Problems visible in the patch alone; the term is checked on the merged agreement (``MasterAgreement/termIssues``).
    public var issues: [FieldIssue] {
        var issues = immutableFieldsPresent.map { field in
            FieldIssue(
                pointer: "/\(field)",
                detail: field == "committedCents"
                    ? "is maintained by the authorization gate and cannot be set"
                    : "identifies the award and cannot be changed; publish a new agreement instead"
            )
        }
        issues += CatalogValidation.agreementIssues(
            title: title,
            categories: categories,
            nigpCodes: nigpCodes,
            renewalOptions: renewalOptions,
            ceilingCents: ceilingCents ?? nil,
            adminFeeBasisPoints: adminFeeBasisPoints,
            priceTiers: priceTiers,
            documents: documents
        )
        issues += CatalogValidation.supplierReportDueDaysIssues(supplierReportDueDays)
        if let effectiveOn, let expiresOn, expiresOn < effectiveOn {
            issues.append(FieldIssue(pointer: "/expiresOn", detail: "must be on or after effectiveOn (\(effectiveOn))"))
        }
        return issues
    }

    /// The agreement with this patch applied (identity, `committedCents` and timestamps untouched).
    public func applied(to agreement: MasterAgreement) -> MasterAgreement {
        var result = agreement
        if let title { result.title = title }
        if let categories { result.categories = categories }
        if let nigpCodes { result.nigpCodes = nigpCodes }
        if let effectiveOn { result.effectiveOn = effectiveOn }
        if let expiresOn { result.expiresOn = expiresOn }
        if let renewalOptions { result.renewalOptions = renewalOptions }
        if let maximumTermEndsOn { result.maximumTermEndsOn = maximumTermEndsOn }
        if let status { result.status = status }
        if let ceilingCents { result.ceilingCents = ceilingCents }
        if let eligibleEntityTypes { result.eligibleEntityTypes = eligibleEntityTypes }
        if let eligibleStates { result.eligibleStates = eligibleStates }
        if let complianceLetterOnFile { result.complianceLetterOnFile = complianceLetterOnFile }
        if let telecomAttestation200216 { result.telecomAttestation200216 = telecomAttestation200216 }
        if let adminFeeBasisPoints { result.adminFeeBasisPoints = adminFeeBasisPoints }
        if let priceTiers { result.priceTiers = priceTiers }
        if let documents { result.documents = documents }
        if let supplierReportDueDays { result.supplierReportDueDays = supplierReportDueDays }
        return result
    }
}
