/// A JSON merge patch (RFC 7396) of a supplier: absent fields stay, `null` clears an optional field.
///
/// Setting `status` records a decision, so the patch must also say when it takes effect and why:
/// `{"status": "debarred", "statusEffectiveOn": "2026-03-01", "statusReason": "SAM.gov exclusion"}`.
public struct SupplierChanges: Hashable, Sendable, JSONRequestBody {
    public var name: String?
    /// Each identifier present in the patch replaces the stored one (`null` clears it).
    public var ein: String??
    public var samUei: String??
    public var status: AuthorizationContext.SupplierStatus?
    public var statusEffectiveOn: LocalDate??
    public var statusReason: String??
    /// Replaces the whole list when present.
    public var diversityCertifications: [DiversityCertification]?

    /// The members a patch may carry (``JSONRequestBody``).
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case name, identifiers, status, statusEffectiveOn, statusReason, diversityCertifications
    }

    enum IdentifierKeys: String, CodingKey, CaseIterable {
        case ein, samUei
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try CatalogPatch.value(String.self, .name, in: container)
        status = try CatalogPatch.value(AuthorizationContext.SupplierStatus.self, .status, in: container)
        statusEffectiveOn = try CatalogPatch.nullable(LocalDate.self, .statusEffectiveOn, in: container)
        statusReason = try CatalogPatch.nullable(String.self, .statusReason, in: container)
        diversityCertifications = try CatalogPatch.value(
            [DiversityCertification].self,
            .diversityCertifications,
            in: container
        )
        if container.contains(.identifiers), try !container.decodeNil(forKey: .identifiers) {
            let identifiers = try container.nestedContainer(keyedBy: IdentifierKeys.self, forKey: .identifiers)
            ein = try CatalogPatch.nullable(String.self, .ein, in: identifiers)
            samUei = try CatalogPatch.nullable(String.self, .samUei, in: identifiers)
        }
    }

    public var issues: [FieldIssue] {
        var issues = CatalogValidation.supplierIssues(
            name: name,
            identifiers: SupplierIdentifiers(ein: ein ?? nil, samUei: samUei ?? nil),
            statusReason: statusReason ?? nil,
            diversityCertifications: diversityCertifications
        )
        if let status {
            if (statusEffectiveOn ?? nil) == nil {
                issues.append(
                    FieldIssue(
                        pointer: "/statusEffectiveOn",
                        detail: "is required when the status is set (to \(status.rawValue))"
                    )
                )
            }
            if (statusReason ?? nil) == nil {
                issues.append(
                    FieldIssue(pointer: "/statusReason", detail: "is required when the status is set (to \(status.rawValue))")
                )
            }
        }
        return issues
    }

    /// The supplier with this patch applied (timestamps untouched).
    public func applied(to supplier: Supplier) -> Supplier {
        var result = supplier
        if let name { result.name = name }
        if let ein { result.identifiers.ein = ein }
        if let samUei { result.identifiers.samUei = samUei }
        if let status { result.status = status }
        if let statusEffectiveOn { result.statusEffectiveOn = statusEffectiveOn }
        if let statusReason { result.statusReason = statusReason }
        if let diversityCertifications { result.diversityCertifications = diversityCertifications }
        return result
    }
}
