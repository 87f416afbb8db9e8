public import Foundation

/// A recorded change to a Master Agreement after its award: a renewal option exercised, or an amendment of its
/// terms (a new ``AgreementTermsVersion``). Amendments are append-only, numbered per agreement from 1, and appear
/// in the agreement's OCDS export as award amendments.
public struct AgreementAmendment: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Hashable, Sendable {
        /// A renewal option exercised: the term's end moved by the option's years.
        case renewal
        /// Ceiling, price tiers, eligibility or administrative fee changed: a new terms version.
        case terms
    }

    /// One field's value before and after.
    public struct Change: Codable, Hashable, Sendable {
        public var from: JSONValue
        public var to: JSONValue

        public init(from: JSONValue, to: JSONValue) {
            self.from = from
            self.to = to
        }
    }

    public var id: UUID
    /// 1 for the agreement's first amendment, then 2, 3, ...
    public var seq: Int
    public var kind: Kind
    /// The day it takes effect: a renewal's is the day it was exercised; a terms amendment's is its version's.
    public var effectiveOn: LocalDate
    /// Why, in the cooperative's words; nil when none was given.
    public var rationale: String?
    /// For a renewal: which option (1 for the first listed) and how many years it added.
    public var renewalOption: Int?
    public var renewalYears: Int?
    /// For a terms amendment: the version it made.
    public var termsVersion: Int?
    /// The fields it changed, by the agreement's member names (`expiresOn`, `adminFeeBasisPoints`, ...).
    public var changes: [String: Change]
    /// What it changed, in a sentence (also the OCDS amendment's description).
    public var description: String
    public var recordedAt: Date

    public init(
        id: UUID,
        seq: Int,
        kind: Kind,
        effectiveOn: LocalDate,
        rationale: String?,
        renewalOption: Int? = nil,
        renewalYears: Int? = nil,
        termsVersion: Int? = nil,
        changes: [String: Change],
        recordedAt: Date
    ) {
        self.id = id
        self.seq = seq
        self.kind = kind
        self.effectiveOn = effectiveOn
        self.rationale = rationale
        self.renewalOption = renewalOption
        self.renewalYears = renewalYears
        self.termsVersion = termsVersion
        self.changes = changes
        self.recordedAt = recordedAt
        self.description = Self.describe(
            kind: kind,
            renewalOption: renewalOption,
            renewalYears: renewalYears,
            termsVersion: termsVersion,
            changes: changes
        )
    }

    // MARK: Describing

    /// The sentence ``description`` holds: `Renewal option 1 exercised (1 year): the term now ends on 2029-12-31
    /// instead of 2028-12-31.` or `Terms version 2: administrative fee 2.00 % -> 2.50 %.`
    public static func describe(
        kind: Kind,
        renewalOption: Int?,
        renewalYears: Int?,
        termsVersion: Int?,
        changes: [String: Change]
    ) -> String {
        switch kind {
        case .renewal:
            var text = "Renewal option \(renewalOption.map(String.init) ?? "?") exercised"
            if let years = renewalYears { text += " (\(years) year\(years == 1 ? "" : "s"))" }
            if let expiry = changes["expiresOn"], case .string(let to) = expiry.to, case .string(let from) = expiry.from {
                text += ": the term now ends on \(to) instead of \(from)"
            }
            return text + "."
        case .terms:
            let parts = (AgreementTerms.fields + changes.keys.filter { !AgreementTerms.fields.contains($0) }.sorted())
                .compactMap { field -> String? in
                    guard let change = changes[field] else { return nil }
                    return "\(label(field)) \(text(change.from, field: field)) -> \(text(change.to, field: field))"
                }
            let version = termsVersion.map { "Terms version \($0)" } ?? "Terms amended"
            return parts.isEmpty ? "\(version)." : "\(version): " + parts.joined(separator: "; ") + "."
        }
    }

    private static func label(_ field: String) -> String {
        switch field {
        case "ceilingCents": "ceiling"
        case "priceTiers": "price tiers"
        case "eligibleEntityTypes": "eligible agencies"
        case "eligibleStates": "eligible states"
        case "adminFeeBasisPoints": "administrative fee"
        default: field
        }
    }

    private static func text(_ value: JSONValue, field: String) -> String {
        switch (field, value) {
        case ("ceilingCents", .null): return "none"
        case ("ceilingCents", .int(let cents)): return MoneyFormatter.dollars(cents: cents)
        case ("adminFeeBasisPoints", .int(let points)): return percent(basisPoints: points)
        case ("priceTiers", .array(let tiers)):
            if tiers.isEmpty { return "none" }
            return tiers.map { tier -> String in
                guard case .int(let minimum)? = tier["minVolumeCents"], case .int(let discount)? = tier["discountBasisPoints"]
                else { return "?" }
                return "\(percent(basisPoints: discount)) from \(MoneyFormatter.dollars(cents: minimum))"
            }.joined(separator: ", ")
        case ("eligibleEntityTypes", .array(let items)), ("eligibleStates", .array(let items)):
            if items.isEmpty { return "any" }
            return items.map { item in
                if case .string(let text) = item { return text }
                return "?"
            }.joined(separator: ", ")
        case (_, .string(let text)): return text
        case (_, .int(let number)): return String(number)
        case (_, .null): return "none"
        default: return "?"
        }
    }

    /// `250` basis points as `2.50 %`.
    static func percent(basisPoints: Int) -> String {
        let fraction = basisPoints.magnitude % 100
        return "\(basisPoints / 100).\(fraction < 10 ? "0" : "")\(fraction) %"
    }
}
