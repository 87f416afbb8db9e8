public import Foundation

/// A JSON merge patch (RFC 7396) of a tenant: absent fields stay, `null` clears an optional field.
public struct TenantChanges: Hashable, Sendable, JSONRequestBody {
    public var legalName: String?
    public var slug: String?
    public var entityType: EntityType?
    public var state: USState?
    /// `nil`: unchanged; `.some(nil)`: remove the parent.
    public var parentId: UUID??
    /// Each identifier present in the patch replaces the stored one (`null` clears it).
    public var ein: String??
    public var samUei: String??
    public var cooperativeNumber: String??
    public var fiscalYearStartMonth: Int?

    /// The members a patch may carry (``JSONRequestBody``); `status` has its own actions.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case legalName, slug, entityType, state, parentId, identifiers, fiscalYearStartMonth
    }

    enum IdentifierKeys: String, CodingKey, CaseIterable {
        case ein, samUei, cooperativeNumber
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // These fields cannot be cleared: null is an error, not "unchanged".
        for key in [CodingKeys.legalName, .slug, .entityType, .state, .fiscalYearStartMonth]
        where container.contains(key) {
            if try container.decodeNil(forKey: key) {
                throw DecodingError.valueNotFound(
                    String.self,
                    .init(codingPath: [key], debugDescription: "\(key.stringValue) cannot be null")
                )
            }
        }
        legalName = try container.decodeIfPresent(String.self, forKey: .legalName)
        slug = try container.decodeIfPresent(String.self, forKey: .slug)
        entityType = try container.decodeIfPresent(EntityType.self, forKey: .entityType)
        state = try container.decodeIfPresent(USState.self, forKey: .state)
        fiscalYearStartMonth = try container.decodeIfPresent(Int.self, forKey: .fiscalYearStartMonth)
        if container.contains(.parentId) {
            parentId = .some(
                try container.decodeNil(forKey: .parentId) ? nil : try container.decode(UUID.self, forKey: .parentId)
            )
        }
        if container.contains(.identifiers), try !container.decodeNil(forKey: .identifiers) {
            let identifiers = try container.nestedContainer(keyedBy: IdentifierKeys.self, forKey: .identifiers)
            func field(_ key: IdentifierKeys) throws -> String?? {
                guard identifiers.contains(key) else { return nil }
                return .some(try identifiers.decodeNil(forKey: key) ? nil : try identifiers.decode(String.self, forKey: key))
            }
            ein = try field(.ein)
            samUei = try field(.samUei)
            cooperativeNumber = try field(.cooperativeNumber)
        }
    }

    public var issues: [FieldIssue] {
        TenantValidation.issues(
            legalName: legalName,
            slug: slug,
            fiscalYearStartMonth: fiscalYearStartMonth,
            identifiers: TenantIdentifiers(ein: ein ?? nil, samUei: samUei ?? nil, cooperativeNumber: cooperativeNumber ?? nil)
        )
    }
}
