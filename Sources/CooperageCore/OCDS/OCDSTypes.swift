public import Foundation

/// The subset of the Open Contracting Data Standard 1.1 (schema 1.1.5, plus the Techniques extension)
/// that Cooperage publishes. Every type encodes exactly the OCDS field names; absent optionals are left
/// out, so a package carries no field the schema does not declare (the validator rejects those).
///
/// Dates are RFC 3339 strings (`2026-03-01T00:00:00Z`); amounts are decimal US dollars.
public enum OCDS {
    /// A release package: metadata and the releases it publishes.
    public struct ReleasePackage: Codable, Hashable, Sendable {
        /// Where this package can be read.
        public var uri: String
        /// Always `1.1`.
        public var version: String
        public var publishedDate: String
        public var publisher: Publisher
        public var license: String?
        public var publicationPolicy: String?
        /// URLs of the `extension.json` of every extension the releases use.
        public var extensions: [String]?
        public var releases: [Release]

        public init(
            uri: String,
            version: String = "1.1",
            publishedDate: String,
            publisher: Publisher,
            license: String?,
            publicationPolicy: String?,
            extensions: [String]?,
            releases: [Release]
        ) {
            self.uri = uri
            self.version = version
            self.publishedDate = publishedDate
            self.publisher = publisher
            self.license = license
            self.publicationPolicy = publicationPolicy
            self.extensions = extensions
            self.releases = releases
        }
    }

    public struct Publisher: Codable, Hashable, Sendable {
        public var name: String
        public var scheme: String?
        public var uid: String?
        public var uri: String?

        public init(name: String, scheme: String? = nil, uid: String? = nil, uri: String? = nil) {
            self.name = name
            self.scheme = scheme
            self.uid = uid
            self.uri = uri
        }
    }

    /// One release of a contracting process.
    public struct Release: Codable, Hashable, Sendable {
        /// The contracting process: `<prefix>-<local id>`.
        public var ocid: String
        /// Unique within the ocid; changes whenever the released information changes.
        public var id: String
        public var date: String
        /// Codes of `releaseTag.csv` (closed): `award`, `contract`, ...
        public var tag: [String]
        /// Always `tender`.
        public var initiationType: String
        public var parties: [Organization]?
        public var buyer: OrganizationReference?
        public var tender: Tender?
        public var awards: [Award]?
        public var contracts: [Contract]?
        public var language: String?
        public var relatedProcesses: [RelatedProcess]?

        public init(
            ocid: String,
            id: String,
            date: String,
            tag: [String],
            initiationType: String = "tender",
            parties: [Organization]? = nil,
            buyer: OrganizationReference? = nil,
            tender: Tender? = nil,
            awards: [Award]? = nil,
            contracts: [Contract]? = nil,
            language: String? = "en",
            relatedProcesses: [RelatedProcess]? = nil
        ) {
            self.ocid = ocid
            self.id = id
            self.date = date
            self.tag = tag
            self.initiationType = initiationType
            self.parties = parties
            self.buyer = buyer
            self.tender = tender
            self.awards = awards
            self.contracts = contracts
            self.language = language
            self.relatedProcesses = relatedProcesses
        }
    }

    /// A party to the process, with its roles in it (`partyRole.csv`).
    public struct Organization: Codable, Hashable, Sendable {
        public var id: String
        public var name: String
        public var identifier: Identifier?
        public var additionalIdentifiers: [Identifier]?
        public var address: Address?
        public var roles: [String]

        public init(
            id: String,
            name: String,
            identifier: Identifier?,
            additionalIdentifiers: [Identifier]?,
            address: Address?,
            roles: [String]
        ) {
            self.id = id
            self.name = name
            self.identifier = identifier
            self.additionalIdentifiers = additionalIdentifiers
            self.address = address
            self.roles = roles
        }

        /// The `{id, name}` reference used by `buyer`, `procuringEntity` and `suppliers`.
        public var reference: OrganizationReference { OrganizationReference(id: id, name: name) }
    }

    public struct OrganizationReference: Codable, Hashable, Sendable {
        public var id: String
        public var name: String

        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    /// An organization identifier: an org-id.guide scheme (`US-EIN`) and the id within it.
    public struct Identifier: Codable, Hashable, Sendable {
        public var scheme: String
        public var id: String
        public var legalName: String?

        public init(scheme: String, id: String, legalName: String? = nil) {
            self.scheme = scheme
            self.id = id
            self.legalName = legalName
        }
    }

    public struct Address: Codable, Hashable, Sendable {
        public var region: String?
        public var countryName: String?

        public init(region: String?, countryName: String?) {
            self.region = region
            self.countryName = countryName
        }
    }

    /// The tender section. `techniques` and `competitive` come from the Techniques extension.
    public struct Tender: Codable, Hashable, Sendable {
        public var id: String
        public var title: String?
        public var description: String?
        /// `tenderStatus.csv` (closed).
        public var status: String?
        public var procuringEntity: OrganizationReference?
        public var items: [Item]?
        public var value: Value?
        /// `method.csv` (closed): `open`, `selective`, `limited`, `direct`.
        public var procurementMethod: String?
        public var procurementMethodDetails: String?
        public var procurementMethodRationale: String?
        /// `procurementCategory.csv` (closed): `goods`, `works`, `services`.
        public var mainProcurementCategory: String?
        /// `awardCriteria.csv` (open).
        public var awardCriteria: String?
        public var awardCriteriaDetails: String?
        public var contractPeriod: Period?
        public var techniques: Techniques?
        public var competitive: Bool?

        public init(
            id: String,
            title: String? = nil,
            description: String? = nil,
            status: String? = nil,
            procuringEntity: OrganizationReference? = nil,
            items: [Item]? = nil,
            value: Value? = nil,
            procurementMethod: String? = nil,
            procurementMethodDetails: String? = nil,
            procurementMethodRationale: String? = nil,
            mainProcurementCategory: String? = nil,
            awardCriteria: String? = nil,
            awardCriteriaDetails: String? = nil,
            contractPeriod: Period? = nil,
            techniques: Techniques? = nil,
            competitive: Bool? = nil
        ) {
            self.id = id
            self.title = title
            self.description = description
            self.status = status
            self.procuringEntity = procuringEntity
            self.items = items
            self.value = value
            self.procurementMethod = procurementMethod
            self.procurementMethodDetails = procurementMethodDetails
            self.procurementMethodRationale = procurementMethodRationale
            self.mainProcurementCategory = mainProcurementCategory
            self.awardCriteria = awardCriteria
            self.awardCriteriaDetails = awardCriteriaDetails
            self.contractPeriod = contractPeriod
            self.techniques = techniques
            self.competitive = competitive
        }
    }

    /// Techniques extension: how the process uses a framework agreement.
    public struct Techniques: Codable, Hashable, Sendable {
        public var hasFrameworkAgreement: Bool?
        public var frameworkAgreement: FrameworkAgreement?

        public init(hasFrameworkAgreement: Bool?, frameworkAgreement: FrameworkAgreement?) {
            self.hasFrameworkAgreement = hasFrameworkAgreement
            self.frameworkAgreement = frameworkAgreement
        }
    }

    public struct FrameworkAgreement: Codable, Hashable, Sendable {
        /// `frameworkAgreementMethod.csv` (closed); piggybacking is `withoutReopeningCompetition`.
        public var method: String?
        /// Who may buy from the framework (free text).
        public var buyerCategories: String?
        public var description: String?

        public init(method: String?, buyerCategories: String?, description: String?) {
            self.method = method
            self.buyerCategories = buyerCategories
            self.description = description
        }
    }

    public struct Award: Codable, Hashable, Sendable {
        public var id: String
        public var title: String?
        public var description: String?
        /// `awardStatus.csv` (closed): `pending`, `active`, `cancelled`, `unsuccessful`.
        public var status: String?
        public var date: String?
        public var value: Value?
        public var suppliers: [OrganizationReference]?
        public var items: [Item]?
        public var contractPeriod: Period?
        public var documents: [Document]?
        /// Changes after the award (here: a framework agreement's renewals and amendments of its terms).
        public var amendments: [Amendment]?

        public init(
            id: String,
            title: String? = nil,
            description: String? = nil,
            status: String? = nil,
            date: String? = nil,
            value: Value? = nil,
            suppliers: [OrganizationReference]? = nil,
            items: [Item]? = nil,
            contractPeriod: Period? = nil,
            documents: [Document]? = nil,
            amendments: [Amendment]? = nil
        ) {
            self.id = id
            self.title = title
            self.description = description
            self.status = status
            self.date = date
            self.value = value
            self.suppliers = suppliers
            self.items = items
            self.contractPeriod = contractPeriod
            self.documents = documents
            self.amendments = amendments
        }
    }

    public struct Contract: Codable, Hashable, Sendable {
        public var id: String
        public var awardID: String
        public var title: String?
        public var description: String?
        /// `contractStatus.csv` (closed): `pending`, `active`, `cancelled`, `terminated`.
        public var status: String?
        public var value: Value?
        public var dateSigned: String?
        public var amendments: [Amendment]?

        public init(
            id: String,
            awardID: String,
            title: String? = nil,
            description: String? = nil,
            status: String? = nil,
            value: Value? = nil,
            dateSigned: String? = nil,
            amendments: [Amendment]? = nil
        ) {
            self.id = id
            self.awardID = awardID
            self.title = title
            self.description = description
            self.status = status
            self.value = value
            self.dateSigned = dateSigned
            self.amendments = amendments
        }
    }

    /// A change after an award or a contract: a reversal of part or all of an order, or a Master Agreement's renewal
    /// or amendment of its terms.
    public struct Amendment: Codable, Hashable, Sendable {
        public var id: String
        public var date: String?
        public var rationale: String?
        public var description: String?

        public init(id: String, date: String?, rationale: String?, description: String?) {
            self.id = id
            self.date = date
            self.rationale = rationale
            self.description = description
        }
    }

    public struct Item: Codable, Hashable, Sendable {
        public var id: String
        public var description: String?
        public var classification: Classification?
        public var quantity: Double?
        public var unit: Unit?

        public init(
            id: String,
            description: String?,
            classification: Classification?,
            quantity: Double? = nil,
            unit: Unit? = nil
        ) {
            self.id = id
            self.description = description
            self.classification = classification
            self.quantity = quantity
            self.unit = unit
        }
    }

    public struct Unit: Codable, Hashable, Sendable {
        public var name: String?
        public var value: Value?

        public init(name: String? = nil, value: Value?) {
            self.name = name
            self.value = value
        }
    }

    /// An item classification; `scheme` from `itemClassificationScheme.csv` (`UNSPSC`).
    public struct Classification: Codable, Hashable, Sendable {
        public var scheme: String
        public var id: String
        public var description: String?

        public init(scheme: String, id: String, description: String? = nil) {
            self.scheme = scheme
            self.id = id
            self.description = description
        }
    }

    /// An amount of money: decimal units of `currency` (never cents).
    public struct Value: Codable, Hashable, Sendable {
        public var amount: Decimal
        public var currency: String

        public init(amount: Decimal, currency: String) {
            self.amount = amount
            self.currency = currency
        }

        /// US dollars from integer cents: exact, at most two decimals (`12345` gives `123.45`).
        public static func usd(cents: Int) -> Value {
            Value(
                amount: Decimal(sign: cents < 0 ? .minus : .plus, exponent: -2, significand: Decimal(cents.magnitude)),
                currency: "USD"
            )
        }
    }

    public struct Period: Codable, Hashable, Sendable {
        public var startDate: String?
        public var endDate: String?
        /// The latest the period can be extended to (all renewal options exercised).
        public var maxExtentDate: String?

        public init(startDate: String?, endDate: String?, maxExtentDate: String? = nil) {
            self.startDate = startDate
            self.endDate = endDate
            self.maxExtentDate = maxExtentDate
        }
    }

    public struct Document: Codable, Hashable, Sendable {
        public var id: String
        public var title: String?
        public var description: String?
        public var url: String?

        public init(id: String, title: String?, description: String?, url: String?) {
            self.id = id
            self.title = title
            self.description = description
            self.url = url
        }
    }

    /// A link to another contracting process; from a purchase to its Master Agreement: `["framework"]`.
    public struct RelatedProcess: Codable, Hashable, Sendable {
        public var id: String
        /// `relatedProcess.csv` (open).
        public var relationship: [String]
        public var title: String?
        /// `relatedProcessScheme.csv`: `ocid`.
        public var scheme: String
        public var identifier: String
        public var uri: String?

        public init(id: String, relationship: [String], title: String?, scheme: String, identifier: String, uri: String?) {
            self.id = id
            self.relationship = relationship
            self.title = title
            self.scheme = scheme
            self.identifier = identifier
            self.uri = uri
        }
    }
}
