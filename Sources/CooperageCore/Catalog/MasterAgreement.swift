public import Foundation

/// A contract a lead agency awarded and the cooperative publishes for every eligible agency to use.
public struct MasterAgreement: Codable, Hashable, Sendable {
    public var id: UUID
    /// The number printed on the agreement, unique across the cooperative (`R191902`).
    public var number: String
    public var title: String
    public var leadTenantId: UUID
    /// The lead agency's legal name, for convenience.
    public var leadAgencyName: String
    public var solicitationId: UUID
    public var supplierId: UUID
    /// The supplier's name, for convenience.
    public var supplierName: String
    /// UNSPSC codes in scope; a code ending in `00` pairs covers every code below it.
    public var categories: [String]
    public var nigpCodes: [String]
    /// First day of the term.
    public var effectiveOn: LocalDate
    /// Last day of the current term (including renewals exercised so far).
    public var expiresOn: LocalDate
    public var renewalOptions: [RenewalOption]
    /// The latest day the term can reach with every renewal.
    public var maximumTermEndsOn: LocalDate?
    public var status: AuthorizationContext.AgreementStatus
    /// Not-to-exceed for all agencies together; nil when the agreement has none.
    public var ceilingCents: Int?
    /// All agencies' approved authorizations together; maintained by the authorization gate, read-only here.
    public var committedCents: Int
    /// Entity types that may use the agreement; empty means all.
    public var eligibleEntityTypes: [EntityType]
    /// States whose agencies may use the agreement; empty means all.
    public var eligibleStates: [USState]
    /// The cooperative's 2 CFR 200 (Uniform Guidance) compliance letter is on file.
    public var complianceLetterOnFile: Bool
    /// The supplier attested it provides no covered telecommunications equipment (2 CFR 200.216).
    public var telecomAttestation200216: Bool
    /// The cooperative's administrative fee on sales, in basis points.
    public var adminFeeBasisPoints: Int
    /// Volume discount tiers, ascending by `minVolumeCents`.
    public var priceTiers: [PriceTier]
    public var documents: [AgreementDocument]
    /// A quarter's supplier sales report is due this many days after the quarter ends (0 to 365).
    public var supplierReportDueDays: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID,
        number: String,
        title: String,
        leadTenantId: UUID,
        leadAgencyName: String,
        solicitationId: UUID,
        supplierId: UUID,
        supplierName: String,
        categories: [String],
        nigpCodes: [String],
        effectiveOn: LocalDate,
        expiresOn: LocalDate,
        renewalOptions: [RenewalOption],
        maximumTermEndsOn: LocalDate?,
        status: AuthorizationContext.AgreementStatus,
        ceilingCents: Int?,
        committedCents: Int,
        eligibleEntityTypes: [EntityType],
        eligibleStates: [USState],
        complianceLetterOnFile: Bool,
        telecomAttestation200216: Bool,
        adminFeeBasisPoints: Int,
        priceTiers: [PriceTier],
        documents: [AgreementDocument],
        createdAt: Date,
        updatedAt: Date,
        supplierReportDueDays: Int = MasterAgreement.defaultSupplierReportDueDays
    ) {
        self.id = id
        self.number = number
        self.title = title
        self.leadTenantId = leadTenantId
        self.leadAgencyName = leadAgencyName
        self.solicitationId = solicitationId
        self.supplierId = supplierId
        self.supplierName = supplierName
        self.categories = categories
        self.nigpCodes = nigpCodes
        self.effectiveOn = effectiveOn
        self.expiresOn = expiresOn
        self.renewalOptions = renewalOptions
        self.maximumTermEndsOn = maximumTermEndsOn
        self.status = status
        self.ceilingCents = ceilingCents
        self.committedCents = committedCents
        self.eligibleEntityTypes = eligibleEntityTypes
        self.eligibleStates = eligibleStates
        self.complianceLetterOnFile = complianceLetterOnFile
        self.telecomAttestation200216 = telecomAttestation200216
        self.adminFeeBasisPoints = adminFeeBasisPoints
        self.priceTiers = priceTiers
        self.documents = documents
        self.supplierReportDueDays = supplierReportDueDays
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Days after a quarter's end its supplier report is due, when the agreement does not say.
    public static let defaultSupplierReportDueDays = 30

    /// Whether `category` (an 8-digit UNSPSC code) falls under one of the agreement's codes.
    public func covers(category: String) -> Bool {
        categories.contains { UNSPSC.code(category, isUnder: $0) }
    }

    /// The checks that span fields (the term's dates), for a merged patch.
    public var termIssues: [FieldIssue] {
        CatalogValidation.termIssues(effectiveOn: effectiveOn, expiresOn: expiresOn, maximumTermEndsOn: maximumTermEndsOn)
    }

    /// The codes that cover `category`: itself and its class, family and segment (`43211503` gives
    /// `43211503, 43211500, 43210000, 43000000`). An agreement covers the category when it lists one of them.
    public static func coveringCodes(of category: String) -> [String] {
        guard UNSPSC.isCode(category) else { return [] }
        var codes: [String] = [category]
        for length in [6, 4, 2] {
            let code = String(category.prefix(length)) + String(repeating: "0", count: 8 - length)
            if !codes.contains(code) { codes.append(code) }
        }
        return codes
    }
}
