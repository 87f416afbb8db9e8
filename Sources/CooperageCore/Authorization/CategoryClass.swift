/// Named classes of purchases that statutes allow or exclude, mapped to UNSPSC prefixes.
///
/// The mapping is deliberately coarse and documented so a policy can use the name
/// (`"excludedClasses": ["public-works"]`) instead of repeating prefixes.
public enum CategoryClass: String, Codable, CaseIterable, Hashable, Sendable {
    /// Goods (personal property: equipment, materials, supplies, vehicles): UNSPSC segments 10 to 60.
    case goods
    /// Public works and construction: segment 72, Building and Facility Construction and Maintenance Services.
    case publicWorks = "public-works"
    /// Engineering services: family 8110, Professional engineering services.
    case engineeringServices = "engineering-services"
    /// Architectural services: commodity 81101508, Architectural engineering.
    case architecturalServices = "architectural-services"

    /// The UNSPSC prefixes the class stands for.
    public var prefixes: [String] {
        switch self {
        case .goods: (10...60).map { String($0) }
        case .publicWorks: ["72"]
        case .engineeringServices: ["8110"]
        case .architecturalServices: ["81101508"]
        }
    }

    /// Whether the 8-digit `category` belongs to the class.
    public func contains(category: String) -> Bool {
        prefixes.contains { UNSPSC.code(category, isUnder: $0) }
    }
}
