public import Foundation

/// The terms of a Master Agreement that an amendment versions: what decisions check (the ceiling, who is eligible)
/// and what finance applies (price tiers, the administrative fee). The agreement carries its current terms and their
/// version number (``MasterAgreement/termsVersion``); every version is kept (``AgreementTermsVersion``).
///
/// The title, categories, documents, status and term are not terms in this sense: changing them describes the same
/// deal better (a corrected title, a new document) or is a renewal (``AgreementAmendment/Kind/renewal``).
public struct AgreementTerms: Codable, Hashable, Sendable {
    /// Not-to-exceed for all agencies together; nil when the agreement has none.
    public var ceilingCents: Int?
    public var priceTiers: [PriceTier]
    /// Entity types that may use the agreement; empty means all.
    public var eligibleEntityTypes: [EntityType]
    /// States whose agencies may use the agreement; empty means all.
    public var eligibleStates: [USState]
    public var adminFeeBasisPoints: Int

    public init(
        ceilingCents: Int?,
        priceTiers: [PriceTier],
        eligibleEntityTypes: [EntityType],
        eligibleStates: [USState],
        adminFeeBasisPoints: Int
    ) {
        self.ceilingCents = ceilingCents
        self.priceTiers = priceTiers
        self.eligibleEntityTypes = eligibleEntityTypes
        self.eligibleStates = eligibleStates
        self.adminFeeBasisPoints = adminFeeBasisPoints
    }

    /// The agreement's current terms.
    public init(of agreement: MasterAgreement) {
        self.init(
            ceilingCents: agreement.ceilingCents,
            priceTiers: agreement.priceTiers,
            eligibleEntityTypes: agreement.eligibleEntityTypes,
            eligibleStates: agreement.eligibleStates,
            adminFeeBasisPoints: agreement.adminFeeBasisPoints
        )
    }

    /// The names of the agreement's fields that are terms, in the order amendments list them.
    public static let fields = ["ceilingCents", "priceTiers", "eligibleEntityTypes", "eligibleStates", "adminFeeBasisPoints"]

    /// What differs between these terms and `new`, field by field (empty when nothing does).
    public func changes(to new: AgreementTerms) -> [String: AgreementAmendment.Change] {
        var changes: [String: AgreementAmendment.Change] = [:]
        if ceilingCents != new.ceilingCents {
            changes["ceilingCents"] = .init(from: Self.json(ceilingCents), to: Self.json(new.ceilingCents))
        }
        if priceTiers != new.priceTiers {
            changes["priceTiers"] = .init(from: Self.json(priceTiers), to: Self.json(new.priceTiers))
        }
        if eligibleEntityTypes != new.eligibleEntityTypes {
            changes["eligibleEntityTypes"] = .init(
                from: .array(eligibleEntityTypes.map { .string($0.rawValue) }),
                to: .array(new.eligibleEntityTypes.map { .string($0.rawValue) })
            )
        }
        if eligibleStates != new.eligibleStates {
            changes["eligibleStates"] = .init(
                from: .array(eligibleStates.map { .string($0.code) }),
                to: .array(new.eligibleStates.map { .string($0.code) })
            )
        }
        if adminFeeBasisPoints != new.adminFeeBasisPoints {
            changes["adminFeeBasisPoints"] = .init(from: .int(adminFeeBasisPoints), to: .int(new.adminFeeBasisPoints))
        }
        return changes
    }

    private static func json(_ cents: Int?) -> JSONValue { cents.map(JSONValue.int) ?? .null }

    private static func json(_ tiers: [PriceTier]) -> JSONValue {
        .array(
            tiers.map {
                .object(["minVolumeCents": .int($0.minVolumeCents), "discountBasisPoints": .int($0.discountBasisPoints)])
            }
        )
    }
}

/// One version of an agreement's terms: version 1 when the agreement was published (or, for agreements published
/// before versions were kept, as they stood then), one more for every amendment of its terms. Never changed.
public struct AgreementTermsVersion: Codable, Hashable, Sendable {
    public var version: Int
    public var terms: AgreementTerms
    /// The first day these terms apply to. Version 1 takes effect on the agreement's first day; an amendment on the
    /// day it was recorded unless it says an earlier one (never before the version it replaces).
    public var effectiveOn: LocalDate
    public var recordedAt: Date

    public init(version: Int, terms: AgreementTerms, effectiveOn: LocalDate, recordedAt: Date) {
        self.version = version
        self.terms = terms
        self.effectiveOn = effectiveOn
        self.recordedAt = recordedAt
    }
}
