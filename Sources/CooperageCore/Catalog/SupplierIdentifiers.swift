/// The public identifiers a supplier is known by.
public struct SupplierIdentifiers: Codable, Hashable, Sendable {
    /// Federal Employer Identification Number, `12-3456789`.
    public var ein: String?
    /// SAM.gov Unique Entity ID: 12 characters, letters and digits without I or O.
    public var samUei: String?

    public init(ein: String? = nil, samUei: String? = nil) {
        self.ein = ein
        self.samUei = samUei
    }
}
