import Foundation

/// Rules for tenant fields that the type system cannot express; each failure names its field.
public enum TenantValidation {
    public static func issues(
        legalName: String?,
        slug: String?,
        fiscalYearStartMonth: Int?,
        identifiers: TenantIdentifiers?
    ) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if let legalName, legalName.trimmingCharacters(in: .whitespaces).isEmpty || legalName.unicodeScalars.count > 300 {
            issues.append(FieldIssue(pointer: "/legalName", detail: "must be 1 to 300 characters"))
        }
        if let slug, !isValidSlug(slug) {
            issues.append(
                FieldIssue(
                    pointer: "/slug",
                    detail: "must be lowercase letters and digits in words joined by single hyphens, at most 100 characters"
                )
            )
        }
        if let month = fiscalYearStartMonth, !(1...12).contains(month) {
            issues.append(FieldIssue(pointer: "/fiscalYearStartMonth", detail: "must be a month number from 1 to 12"))
        }
        if let ein = identifiers?.ein, !isValidEIN(ein) {
            issues.append(FieldIssue(pointer: "/identifiers/ein", detail: "must be nine digits written 12-3456789"))
        }
        if let uei = identifiers?.samUei, !isValidSAMUEI(uei) {
            issues.append(
                FieldIssue(
                    pointer: "/identifiers/samUei",
                    detail: "must be 12 uppercase letters and digits, without I or O, not starting with 0"
                )
            )
        }
        if let number = identifiers?.cooperativeNumber, number.isEmpty || number.unicodeScalars.count > 50 {
            issues.append(FieldIssue(pointer: "/identifiers/cooperativeNumber", detail: "must be 1 to 50 characters"))
        }
        return issues
    }

    public static func isValidSlug(_ slug: String) -> Bool {
        guard !slug.isEmpty, slug.count <= 100, !slug.hasPrefix("-"), !slug.hasSuffix("-"), !slug.contains("--") else {
            return false
        }
        return slug.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    public static func isValidEIN(_ ein: String) -> Bool {
        let parts = ein.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 7 else { return false }
        return parts.allSatisfy { $0.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } }
    }

    public static func isValidSAMUEI(_ uei: String) -> Bool {
        let scalars = Array(uei.unicodeScalars)
        guard scalars.count == 12, scalars[0] != "0" else { return false }
        return scalars.allSatisfy { (("A"..."Z").contains($0) && $0 != "I" && $0 != "O") || ("0"..."9").contains($0) }
    }
}
