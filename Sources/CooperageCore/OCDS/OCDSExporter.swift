public import Foundation

/// Who publishes Cooperage's OCDS data and under which identifiers.
public struct OCDSConfiguration: Hashable, Sendable {
    /// Prefix of every ocid. `ocds-cooperage` is a placeholder: a real publisher must register its own
    /// prefix (`ocds-` and six characters) with the Open Contracting Partnership before publishing.
    public var ocidPrefix: String
    public var publisherName: String
    public var publisherUID: String?
    /// Public domain (CC0) by default.
    public var license: String?
    /// Where the publication policy is explained; omitted when nil.
    public var publicationPolicy: String?

    public init(
        ocidPrefix: String = "ocds-cooperage",
        publisherName: String = "Cooperage cooperative purchasing server",
        publisherUID: String? = nil,
        license: String? = "https://creativecommons.org/publicdomain/zero/1.0/",
        publicationPolicy: String? = nil
    ) {
        self.ocidPrefix = ocidPrefix
        self.publisherName = publisherName
        self.publisherUID = publisherUID
        self.license = license
        self.publicationPolicy = publicationPolicy
    }
}

/// Maps Master Agreements and piggyback purchases to OCDS 1.1 release packages, following the OCDS
/// framework-agreement guidance (`shared/ocds/research.md`, sections 1 and 5):
///
/// - a Master Agreement is the first stage: its own contracting process (`<prefix>-MA-<number>`) with
///   `tender.techniques.hasFrameworkAgreement`, the term in `tender.contractPeriod`, the supplier in
///   `awards`, and no `contracts` (a framework is not a contract);
/// - each purchase order is a second stage: a new process (`<prefix>-PO-<tenant slug>-<PO number>`) with
///   `tag ["award", "contract"]`, linked to the agreement by `relatedProcesses` `["framework"]`.
///
/// Pure: the caller loads the records and chooses the publication time and base URI.
public enum OCDSExporter {
    /// The Techniques extension (framework agreements; `tender.competitive`).
    public static let techniquesExtension =
        "https://raw.githubusercontent.com/open-contracting-extensions/ocds_techniques_extension/master/extension.json"

    /// org-id.guide scheme of US Employer Identification Numbers.
    public static let einScheme = "US-EIN"
    /// Internal schemes for parties without an EIN: the Cooperage UUID of the tenant or supplier.
    public static let tenantScheme = "X-COOPERAGE-TENANT"
    public static let supplierScheme = "X-COOPERAGE-SUPPLIER"

    // MARK: Master Agreements

    /// The release package of a Master Agreement's award (the framework agreement, first stage).
    /// - Parameters:
    ///   - lead: the lead agency that ran `solicitation`.
    ///   - baseURI: the server's public origin (`https://coop.example.org`), for the package's `uri`.
    public static func agreementPackage(
        agreement: MasterAgreement,
        solicitation: Solicitation,
        supplier: Supplier,
        lead: Tenant,
        publishedAt: Date,
        baseURI: String,
        configuration: OCDSConfiguration = OCDSConfiguration()
    ) -> OCDS.ReleasePackage {
        let ocid = agreementOCID(agreement, configuration: configuration)
        let leadParty = party(lead, roles: ["buyer", "procuringEntity"])
        let supplierParty = party(supplier, roles: ["supplier"])
        let term = OCDS.Period(
            startDate: startOfDay(agreement.effectiveOn),
            endDate: endOfDay(agreement.expiresOn),
            maxExtentDate: agreement.maximumTermEndsOn.map(endOfDay)
        )
        let ceiling = agreement.ceilingCents.map(OCDS.Value.usd(cents:))
        let advertised = solicitation.advertisedWhere != nil || solicitation.advertisedOn != nil
        let tender = OCDS.Tender(
            id: solicitation.number,
            title: solicitation.title,
            status: "complete",
            procuringEntity: leadParty.reference,
            items: agreement.categories.enumerated().map { index, code in
                OCDS.Item(
                    id: String(index + 1),
                    description: "Goods and services classified under UNSPSC \(code)",
                    classification: OCDS.Classification(scheme: "UNSPSC", id: code)
                )
            },
            value: ceiling,
            procurementMethod: advertised ? "open" : nil,
            procurementMethodDetails: solicitationDetails(solicitation),
            mainProcurementCategory: mainProcurementCategory(of: agreement.categories),
            awardCriteria: solicitation.awardBasis == .lowestResponsibleBidder ? "priceOnly" : "ratedCriteria",
            awardCriteriaDetails: solicitation.awardBasis == .lowestResponsibleBidder
                ? "Lowest responsible bidder" : "Best value",
            contractPeriod: term,
            techniques: OCDS.Techniques(
                hasFrameworkAgreement: true,
                frameworkAgreement: OCDS.FrameworkAgreement(
                    method: "withoutReopeningCompetition",
                    buyerCategories: buyerCategories(agreement),
                    description: termDescription(agreement)
                )
            )
        )
        let award = OCDS.Award(
            id: agreement.number,
            title: "Master Agreement \(agreement.number): \(agreement.title)",
            description: awardDescription(agreement),
            status: agreement.status == .terminated ? "cancelled" : "active",
            date: solicitation.awardDate.map(startOfDay) ?? timestamp(agreement.createdAt),
            value: ceiling,
            suppliers: [supplierParty.reference],
            contractPeriod: term,
            documents: agreement.documents.isEmpty
                ? nil
                : agreement.documents.enumerated().map { index, document in
                    OCDS.Document(
                        id: String(index + 1),
                        title: document.title,
                        description: "SHA-256 \(document.sha256)",
                        url: document.url
                    )
                },
            amendments: agreement.amendments.flatMap { $0.isEmpty ? nil : $0.map(amendment) }
        )
        let release = OCDS.Release(
            ocid: ocid,
            id: "\(ocid)-award-\(compactTimestamp(agreement.updatedAt))",
            date: timestamp(agreement.updatedAt),
            // An agreement renewed or amended since its award: the award's details were updated.
            tag: award.amendments == nil ? ["award"] : ["award", "awardUpdate"],
            parties: [leadParty, supplierParty],
            buyer: leadParty.reference,
            tender: tender,
            awards: [award]
        )
        return package(
            uri: agreementURI(agreement, baseURI: baseURI),
            publishedAt: publishedAt,
            release: release,
            configuration: configuration
        )
    }

    // MARK: Purchases

    /// The release package of one purchase order (a call-off from the agreement, second stage).
    /// - Parameters:
    ///   - usage: the order (kind `order`).
    ///   - authorization: the approved authorization the order was placed under.
    ///   - buyer: the ordering agency.
    ///   - reversals: corrections of the order; rows that do not reverse `usage` are ignored. The contract's
    ///     value is the order net of them, and each becomes an amendment.
    public static func purchasePackage(
        usage: UsageRecord,
        authorization: AuthorizationRecord,
        agreement: MasterAgreement,
        supplier: Supplier,
        buyer: Tenant,
        reversals: [UsageRecord],
        publishedAt: Date,
        baseURI: String,
        configuration: OCDSConfiguration = OCDSConfiguration()
    ) -> OCDS.ReleasePackage {
        let ocid = purchaseOCID(usage, buyer: buyer, configuration: configuration)
        let corrections = Corrections(of: usage, among: reversals)
        let buyerParty = party(buyer, roles: ["buyer", "procuringEntity", "payer"])
        let supplierParty = party(supplier, roles: ["supplier", "payee"])
        let agreementTitle = "Master Agreement \(agreement.number): \(agreement.title)"
        let release = OCDS.Release(
            ocid: ocid,
            id: "\(ocid)-contract-\(compactTimestamp(corrections.lastChangedAt))",
            date: timestamp(corrections.lastChangedAt),
            tag: ["award", "contract"],
            parties: [buyerParty, supplierParty],
            buyer: buyerParty.reference,
            tender: purchaseTender(
                usage,
                buyer: buyerParty,
                agreement: agreement,
                agreementTitle: agreementTitle,
                authorization: authorization
            ),
            awards: [purchaseAward(usage, supplier: supplierParty, agreementTitle: agreementTitle, corrections: corrections)],
            contracts: [purchaseContract(usage, corrections: corrections)],
            relatedProcesses: [
                frameworkProcess(agreement, title: agreementTitle, baseURI: baseURI, configuration: configuration)
            ]
        )
        return package(
            uri: "\(trimmed(baseURI))/v1/exports/ocds/usage/\(usage.id.uuidString.lowercased())",
            publishedAt: publishedAt,
            release: release,
            configuration: configuration
        )
    }

    /// An order's reversals, oldest first, and what they leave of it.
    private struct Corrections {
        /// The records that reverse the order (others are ignored), oldest first.
        var reversals: [UsageRecord]
        /// What the reversals take off the order, in all.
        var reversedCents: UInt
        /// What is left of the order; never below zero.
        var netCents: Int
        /// When the order last changed: its latest reversal, or its registration.
        var lastChangedAt: Date

        init(of usage: UsageRecord, among records: [UsageRecord]) {
            reversals = records.filter { $0.reversesId == usage.id }.sorted { $0.createdAt < $1.createdAt }
            reversedCents = reversals.reduce(0) { $0 + $1.amountCents.magnitude }
            netCents = max(0, usage.amountCents - Int(reversedCents))
            lastChangedAt = reversals.map(\.createdAt).reduce(usage.createdAt) { max($0, $1) }
        }

        var fullyReversed: Bool { netCents == 0 }
    }

    /// The purchase as its own tender: not competed, justified by the agreement it piggybacks on and the
    /// authorization that approved it.
    private static func purchaseTender(
        _ usage: UsageRecord,
        buyer: OCDS.Organization,
        agreement: MasterAgreement,
        agreementTitle: String,
        authorization: AuthorizationRecord
    ) -> OCDS.Tender {
        OCDS.Tender(
            id: usage.poNumber,
            title: "Purchase order \(usage.poNumber)",
            status: "complete",
            procuringEntity: buyer.reference,
            procurementMethodDetails:
                "Cooperative purchase (piggyback) under \(agreementTitle), awarded by \(agreement.leadAgencyName)",
            procurementMethodRationale: approvalSentence(authorization),
            mainProcurementCategory: mainProcurementCategory(of: usage.lines.map(\.unspsc)),
            competitive: false
        )
    }

    /// The award of the order as placed, with its lines; cancelled once fully reversed.
    private static func purchaseAward(
        _ usage: UsageRecord,
        supplier: OCDS.Organization,
        agreementTitle: String,
        corrections: Corrections
    ) -> OCDS.Award {
        OCDS.Award(
            id: usage.poNumber,
            title: "Purchase order \(usage.poNumber) under \(agreementTitle)",
            status: corrections.fullyReversed ? "cancelled" : "active",
            date: startOfDay(usage.orderDate),
            value: .usd(cents: usage.amountCents),
            suppliers: [supplier.reference],
            items: usage.lines.enumerated().map { index, line in
                OCDS.Item(
                    id: String(index + 1),
                    description: line.description,
                    classification: OCDS.Classification(scheme: "UNSPSC", id: line.unspsc),
                    quantity: Double(line.quantity.description),
                    unit: OCDS.Unit(value: .usd(cents: line.unitPriceCents))
                )
            }
        )
    }

    /// The contract: worth the order net of its reversals, each reversal an amendment.
    private static func purchaseContract(_ usage: UsageRecord, corrections: Corrections) -> OCDS.Contract {
        let reversals = corrections.reversals
        return OCDS.Contract(
            id: usage.poNumber,
            awardID: usage.poNumber,
            title: "Purchase order \(usage.poNumber)",
            description: reversals.isEmpty
                ? nil
                : "Ordered \(MoneyFormatter.dollars(cents: usage.amountCents)); \(reversals.count) reversal(s) totalling "
                    + "\(MoneyFormatter.dollars(cents: Int(corrections.reversedCents))); net value "
                    + "\(MoneyFormatter.dollars(cents: corrections.netCents)).",
            status: corrections.fullyReversed ? "cancelled" : "active",
            value: .usd(cents: corrections.netCents),
            dateSigned: startOfDay(usage.orderDate),
            amendments: reversals.isEmpty ? nil : reversals.map(amendment)
        )
    }

    /// The link from a purchase to the framework agreement's own contracting process.
    private static func frameworkProcess(
        _ agreement: MasterAgreement,
        title: String,
        baseURI: String,
        configuration: OCDSConfiguration
    ) -> OCDS.RelatedProcess {
        OCDS.RelatedProcess(
            id: "1",
            relationship: ["framework"],
            title: title,
            scheme: "ocid",
            identifier: agreementOCID(agreement, configuration: configuration),
            uri: agreementURI(agreement, baseURI: baseURI)
        )
    }

    /// A renewal or an amendment of the agreement's terms, as an amendment of its award (a framework agreement has
    /// no contract of its own).
    private static func amendment(_ amendment: AgreementAmendment) -> OCDS.Amendment {
        OCDS.Amendment(
            id: amendment.id.uuidString.lowercased(),
            date: startOfDay(amendment.effectiveOn),
            rationale: amendment.rationale
                ?? (amendment.kind == .renewal
                    ? "The cooperative exercised a renewal option of the agreement."
                    : "The cooperative amended the agreement's terms."),
            description: amendment.description
        )
    }

    private static func amendment(_ reversal: UsageRecord) -> OCDS.Amendment {
        OCDS.Amendment(
            id: reversal.id.uuidString.lowercased(),
            date: timestamp(reversal.createdAt),
            rationale: reversal.reason,
            description:
                "Reversal of \(MoneyFormatter.dollars(cents: Int(reversal.amountCents.magnitude))): the contract value is reduced by this amount."
        )
    }

    // MARK: Identifiers

    /// `<prefix>-MA-<number>`, the number reduced to letters, digits and hyphens.
    public static func agreementOCID(_ agreement: MasterAgreement, configuration: OCDSConfiguration = OCDSConfiguration())
        -> String
    {
        "\(configuration.ocidPrefix)-MA-\(sanitized(agreement.number))"
    }

    /// `<prefix>-PO-<tenant slug>-<PO number>`: PO numbers are unique per agency, so the slug makes them global.
    public static func purchaseOCID(
        _ usage: UsageRecord,
        buyer: Tenant,
        configuration: OCDSConfiguration = OCDSConfiguration()
    ) -> String {
        "\(configuration.ocidPrefix)-PO-\(sanitized(buyer.slug))-\(sanitized(usage.poNumber))"
    }

    /// `text` with every run of characters other than ASCII letters and digits replaced by one hyphen and
    /// no hyphen at either end. When that changed the text, a stable 8-hex-digit hash of the original is
    /// appended so that two numbers differing only in punctuation (`PO 1`, `PO/1`) keep distinct ids.
    public static func sanitized(_ text: String) -> String {
        var result = ""
        var pendingHyphen = false
        for scalar in text.unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                if pendingHyphen, !result.isEmpty { result.append("-") }
                pendingHyphen = false
                result.unicodeScalars.append(scalar)
            } else {
                pendingHyphen = true
            }
        }
        if result == text { return result }
        let hash = String(fnv1a(text), radix: 16)
        let digest = String(repeating: "0", count: 8 - hash.count) + hash
        return result.isEmpty ? digest : "\(result)-\(digest)"
    }

    /// The party of an agency: `US-EIN-<digits>` when its EIN is known, else the internal tenant scheme.
    public static func party(_ tenant: Tenant, roles: [String]) -> OCDS.Organization {
        let internalID = OCDS.Identifier(
            scheme: tenantScheme,
            id: tenant.id.uuidString.lowercased(),
            legalName: tenant.legalName
        )
        return organization(
            name: tenant.legalName,
            ein: tenant.identifiers.ein,
            internalID: internalID,
            samUEI: tenant.identifiers.samUei,
            address: OCDS.Address(region: tenant.state.code, countryName: "United States"),
            roles: roles
        )
    }

    /// The party of a supplier: `US-EIN-<digits>` when its EIN is known, else the internal supplier scheme.
    public static func party(_ supplier: Supplier, roles: [String]) -> OCDS.Organization {
        let internalID = OCDS.Identifier(
            scheme: supplierScheme,
            id: supplier.id.uuidString.lowercased(),
            legalName: supplier.name
        )
        return organization(
            name: supplier.name,
            ein: supplier.identifiers.ein,
            internalID: internalID,
            samUEI: supplier.identifiers.samUei,
            address: nil,
            roles: roles
        )
    }

    // MARK: Encoding

    /// The package as JSON (pretty-printed, keys sorted, slashes unescaped).
    public static func encode(_ package: OCDS.ReleasePackage) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(package)
    }

    /// RFC 3339 in UTC without fractions: `2026-03-01T12:00:00Z`.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false, timeZone: .gmt))
    }

    /// The first instant of a day (UTC): `2026-03-01T00:00:00Z`.
    public static func startOfDay(_ date: LocalDate) -> String { "\(date)T00:00:00Z" }

    /// The last second of a day (UTC): `2028-02-29T23:59:59Z`.
    public static func endOfDay(_ date: LocalDate) -> String { "\(date)T23:59:59Z" }

    // MARK: Helpers

    private static func package(
        uri: String,
        publishedAt: Date,
        release: OCDS.Release,
        configuration: OCDSConfiguration
    ) -> OCDS.ReleasePackage {
        OCDS.ReleasePackage(
            uri: uri,
            publishedDate: timestamp(publishedAt),
            publisher: OCDS.Publisher(name: configuration.publisherName, uid: configuration.publisherUID),
            license: configuration.license,
            publicationPolicy: configuration.publicationPolicy,
            extensions: [techniquesExtension],
            releases: [release]
        )
    }

    private static func organization(
        name: String,
        ein: String?,
        internalID: OCDS.Identifier,
        samUEI: String?,
        address: OCDS.Address?,
        roles: [String]
    ) -> OCDS.Organization {
        var additional: [OCDS.Identifier] = []
        let primary: OCDS.Identifier
        let digits = ein.map { $0.filter { $0.isASCII && $0.isNumber } } ?? ""
        if digits.count == 9 {
            primary = OCDS.Identifier(scheme: einScheme, id: digits, legalName: name)
            additional.append(internalID)
        } else {
            primary = internalID
        }
        if let samUEI { additional.append(OCDS.Identifier(scheme: "US-SAM-UEI", id: samUEI, legalName: name)) }
        return OCDS.Organization(
            id: "\(primary.scheme)-\(primary.id)",
            name: name,
            identifier: primary,
            additionalIdentifiers: additional.isEmpty ? nil : additional,
            address: address,
            roles: roles
        )
    }

    private static func solicitationDetails(_ solicitation: Solicitation) -> String {
        let method =
            switch solicitation.method {
            case .ifb: "invitation for bids"
            case .rfp: "request for proposals"
            case .csp: "competitive sealed proposals"
            }
        var text =
            "Cooperative contract (framework agreement) competitively solicited by \(solicitation.leadAgencyName): "
            + "\(method) \(solicitation.number)"
        switch (solicitation.advertisedWhere, solicitation.advertisedOn) {
        case (let place?, let day?): text += ", advertised in \(place) on \(day)"
        case (let place?, nil): text += ", advertised in \(place)"
        case (nil, let day?): text += ", advertised on \(day)"
        case (nil, nil): break
        }
        if let awardDate = solicitation.awardDate { text += ", awarded on \(awardDate)" }
        let language: String =
            switch (solicitation.cooperativeLanguageInSolicitation, solicitation.cooperativeLanguageInContract) {
            case (true, true): "The solicitation and the contract both allow other public agencies to use it."
            case (true, false): "The solicitation allows other public agencies to use the contract."
            case (false, true): "The contract allows other public agencies to use it."
            case (false, false): "Neither the solicitation nor the contract states that other public agencies may use it."
            }
        return text + ". " + language
    }

    /// Who may buy under the agreement, from its eligibility lists (empty lists mean no restriction).
    static func buyerCategories(_ agreement: MasterAgreement) -> String {
        let kinds =
            agreement.eligibleEntityTypes.isEmpty
            ? "Any public agency"
            : "Public agencies of these kinds: " + agreement.eligibleEntityTypes.map(label).joined(separator: ", ") + ","
        let place =
            agreement.eligibleStates.isEmpty
            ? "in the United States"
            : "in " + agreement.eligibleStates.map(\.code).joined(separator: ", ")
        return
            "\(kinds) \(place), that has joined the cooperative with a participation instrument and whose own purchasing "
            + "rules allow cooperative purchasing"
    }

    private static func label(_ type: EntityType) -> String {
        switch type {
        case .stateAgency: "state agencies"
        case .city: "cities"
        case .county: "counties"
        case .specialDistrict: "special districts"
        case .k12: "K-12 school districts"
        case .higherEd: "higher-education institutions"
        case .nonprofit: "nonprofit organizations"
        case .tribal: "tribal governments"
        }
    }

    private static func termDescription(_ agreement: MasterAgreement) -> String {
        var text = "Current term \(agreement.effectiveOn) to \(agreement.expiresOn)"
        if !agreement.renewalOptions.isEmpty {
            let options = agreement.renewalOptions.map { option in
                "\(option.years) year\(option.years == 1 ? "" : "s") (\(option.exercised ? "exercised" : "not exercised"))"
            }
            text += "; renewal options: " + options.joined(separator: ", ")
        }
        if let last = agreement.maximumTermEndsOn { text += "; cannot extend beyond \(last)" }
        return text + "."
    }

    private static func awardDescription(_ agreement: MasterAgreement) -> String {
        var text = "Agreement status: \(agreement.status.rawValue). Cooperative administrative fee: "
        text += percent(basisPoints: agreement.adminFeeBasisPoints) + " of sales."
        if agreement.ceilingCents == nil { text += " No not-to-exceed ceiling." }
        if !agreement.priceTiers.isEmpty {
            let tiers = agreement.priceTiers.map { tier in
                "\(percent(basisPoints: tier.discountBasisPoints)) off list from "
                    + "\(MoneyFormatter.dollars(cents: tier.minVolumeCents)) of aggregate purchases"
            }
            text += " Volume discounts: " + tiers.joined(separator: "; ") + "."
        }
        return text
    }

    private static func percent(basisPoints: Int) -> String {
        let fraction = basisPoints % 100
        return "\(basisPoints / 100).\(fraction < 10 ? "0" : "")\(fraction) %"
    }

    private static func approvalSentence(_ authorization: AuthorizationRecord) -> String {
        let id = authorization.id.uuidString.lowercased()
        var text = "Cooperative purchase authorization \(id): "
        if authorization.outcome == .approved {
            text += "approved on \(timestamp(authorization.decision.decidedAt).prefix(10))"
            text += " for up to \(MoneyFormatter.dollars(cents: authorization.authorizedAmountCents))"
            if let from = authorization.validFrom, let until = authorization.validUntil {
                text += ", valid \(from) to \(until)"
            }
        } else {
            text += "latest decision \(authorization.outcome.rawValue)"
        }
        return text + ", under the agency's cooperative purchasing policy (version \(authorization.policyVersion))."
    }

    /// `goods`, `works` or `services` when every code falls in one (UNSPSC segments 10-60 are goods,
    /// 72 and 95 construction and real property, the other 70-94 services); nil when mixed or unknown.
    static func mainProcurementCategory(of codes: [String]) -> String? {
        let categories = Set(
            codes.map { code -> String? in
                guard let segment = Int(code.prefix(2)), code.count == 8 else { return nil }
                switch segment {
                case 10...69: return "goods"
                case 72, 95: return "works"
                case 70...94: return "services"
                default: return nil
                }
            }
        )
        guard categories.count == 1, let only = categories.first else { return nil }
        return only
    }

    private static func compactTimestamp(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        return timestamp(date).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
            .replacingOccurrences(of: "Z", with: "") + String(format: ".%03dZ", Int(millis % 1000))
    }

    /// Where the agreement's own package is published.
    private static func agreementURI(_ agreement: MasterAgreement, baseURI: String) -> String {
        "\(trimmed(baseURI))/v1/exports/ocds/agreements/\(agreement.id.uuidString.lowercased())"
    }

    private static func trimmed(_ baseURI: String) -> String {
        var base = baseURI
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    /// 32-bit FNV-1a over UTF-8: stable across runs and platforms (unlike `Hasher`).
    private static func fnv1a(_ text: String) -> UInt32 {
        var hash: UInt32 = 0x811c_9dc5
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        return hash
    }
}
