import Foundation

/// Rules for supplier, solicitation and agreement fields that the type system cannot express; each
/// failure names its field with a JSON pointer. A nil argument means "not supplied" and is not checked.
public enum CatalogValidation {
    // MARK: Suppliers

    public static func supplierIssues(
        name: String?,
        identifiers: SupplierIdentifiers?,
        statusReason: String?,
        diversityCertifications: [DiversityCertification]?
    ) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        text(name, "/name", maximum: 300, into: &issues)
        if let ein = identifiers?.ein, !TenantValidation.isValidEIN(ein) {
            issues.append(FieldIssue(pointer: "/identifiers/ein", detail: "must be nine digits written 12-3456789"))
        }
        if let uei = identifiers?.samUei, !TenantValidation.isValidSAMUEI(uei) {
            issues.append(
                FieldIssue(
                    pointer: "/identifiers/samUei",
                    detail: "must be 12 uppercase letters and digits, without I or O, not starting with 0"
                )
            )
        }
        text(statusReason, "/statusReason", maximum: 2000, into: &issues)
        for (index, certification) in (diversityCertifications ?? []).enumerated() {
            text(certification.kind, "/diversityCertifications/\(index)/kind", maximum: 100, into: &issues)
            text(certification.certifier, "/diversityCertifications/\(index)/certifier", maximum: 300, into: &issues)
        }
        return issues
    }

    // MARK: Solicitations

    public static func solicitationIssues(
        number: String,
        title: String,
        advertisedWhere: String?,
        advertisedOn: LocalDate?,
        awardDate: LocalDate?
    ) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        text(number, "/number", maximum: 100, into: &issues)
        text(title, "/title", maximum: 500, into: &issues)
        text(advertisedWhere, "/advertisedWhere", maximum: 500, into: &issues)
        if let advertisedOn, let awardDate, awardDate < advertisedOn {
            issues.append(FieldIssue(pointer: "/awardDate", detail: "must be on or after advertisedOn (\(advertisedOn))"))
        }
        return issues
    }

    // MARK: Agreements

    /// Checks of the agreement's own fields (the term is checked by ``termIssues(effectiveOn:expiresOn:maximumTermEndsOn:)``).
    public static func agreementIssues(
        number: String? = nil,
        title: String?,
        categories: [String]?,
        nigpCodes: [String]?,
        renewalOptions: [RenewalOption]?,
        ceilingCents: Int?,
        adminFeeBasisPoints: Int?,
        priceTiers: [PriceTier]?,
        documents: [AgreementDocument]?
    ) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        text(number, "/number", maximum: 100, into: &issues)
        text(title, "/title", maximum: 500, into: &issues)
        if let categories {
            if categories.isEmpty {
                issues.append(FieldIssue(pointer: "/categories", detail: "must list at least one UNSPSC code"))
            }
            var seen: Set<String> = []
            for (index, code) in categories.enumerated() {
                if !UNSPSC.isCode(code) {
                    issues.append(
                        FieldIssue(
                            pointer: "/categories/\(index)",
                            detail: "must be an 8-digit UNSPSC code (a segment, family or class ends in 00 pairs)"
                        )
                    )
                } else if !seen.insert(code).inserted {
                    issues.append(FieldIssue(pointer: "/categories/\(index)", detail: "is listed twice"))
                }
            }
        }
        for (index, code) in (nigpCodes ?? []).enumerated() where !isNIGPCode(code) {
            issues.append(
                FieldIssue(
                    pointer: "/nigpCodes/\(index)",
                    detail: "must be a NIGP code of 3, 5, 7 or 11 digits (hyphens between groups allowed)"
                )
            )
        }
        for (index, option) in (renewalOptions ?? []).enumerated() where !(1...10).contains(option.years) {
            issues.append(
                FieldIssue(pointer: "/renewalOptions/\(index)/years", detail: "must be a whole number of years from 1 to 10")
            )
        }
        if let ceilingCents, let issue = Money.issue(ceilingCents, at: "/ceilingCents") {
            issues.append(issue)
        }
        if let adminFeeBasisPoints, !(0...10_000).contains(adminFeeBasisPoints) {
            issues.append(FieldIssue(pointer: "/adminFeeBasisPoints", detail: "must be from 0 to 10000 basis points"))
        }
        issues += priceTierIssues(priceTiers ?? [])
        for (index, document) in (documents ?? []).enumerated() {
            text(document.title, "/documents/\(index)/title", maximum: 300, into: &issues)
            if !isWebURL(document.url) {
                issues.append(FieldIssue(pointer: "/documents/\(index)/url", detail: "must be an absolute http or https URL"))
            }
            if !isSHA256(document.sha256) {
                issues.append(
                    FieldIssue(pointer: "/documents/\(index)/sha256", detail: "must be a SHA-256 digest: 64 hexadecimal digits")
                )
            }
        }
        return issues
    }

    /// Tiers start at a volume of zero or more, discount 0 to 100 %, and rise strictly by `minVolumeCents`.
    public static func priceTierIssues(_ tiers: [PriceTier]) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        for (index, tier) in tiers.enumerated() {
            if let issue = Money.issue(tier.minVolumeCents, at: "/priceTiers/\(index)/minVolumeCents", allowZero: true) {
                issues.append(issue)
            } else if index > 0, tier.minVolumeCents <= tiers[index - 1].minVolumeCents {
                issues.append(
                    FieldIssue(
                        pointer: "/priceTiers/\(index)/minVolumeCents",
                        detail: "must be greater than the previous tier's minVolumeCents (\(tiers[index - 1].minVolumeCents))"
                    )
                )
            }
            if !(0...10_000).contains(tier.discountBasisPoints) {
                issues.append(
                    FieldIssue(
                        pointer: "/priceTiers/\(index)/discountBasisPoints",
                        detail: "must be from 0 to 10000 basis points"
                    )
                )
            }
        }
        return issues
    }

    /// The term runs from `effectiveOn` to `expiresOn` (inclusive); renewals can reach `maximumTermEndsOn`.
    public static func termIssues(
        effectiveOn: LocalDate,
        expiresOn: LocalDate,
        maximumTermEndsOn: LocalDate?
    ) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if expiresOn < effectiveOn {
            issues.append(FieldIssue(pointer: "/expiresOn", detail: "must be on or after effectiveOn (\(effectiveOn))"))
        }
        if let maximumTermEndsOn, maximumTermEndsOn < expiresOn {
            issues.append(
                FieldIssue(pointer: "/maximumTermEndsOn", detail: "must be on or after expiresOn (\(expiresOn))")
            )
        }
        return issues
    }

    // MARK: Formats

    /// A NIGP commodity code: class (3 digits), class-item (5), group (7) or full (11), optionally hyphenated.
    public static func isNIGPCode(_ code: String) -> Bool {
        guard !code.hasPrefix("-"), !code.hasSuffix("-"), !code.contains("--") else { return false }
        let digits = code.utf8.filter { $0 != UInt8(ascii: "-") }
        guard digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return false }
        return [3, 5, 7, 11].contains(digits.count)
    }

    /// 64 hexadecimal digits (either case).
    public static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64
            && text.utf8.allSatisfy { byte in
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
            }
    }

    /// An absolute `http` or `https` URL with a host, at most 2,000 characters.
    public static func isWebURL(_ text: String) -> Bool {
        guard text.count <= 2000, !text.contains(where: \.isWhitespace), let url = URL(string: text),
            let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = url.host, !host.isEmpty
        else { return false }
        return true
    }

    /// A supplied text must have something besides spaces and fit in `maximum` characters.
    static func text(_ value: String?, _ pointer: String, maximum: Int, into issues: inout [FieldIssue]) {
        guard let value else { return }
        if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || value.unicodeScalars.count > maximum {
            issues.append(FieldIssue(pointer: pointer, detail: "must be 1 to \(maximum) characters, not only spaces"))
        }
    }
}
