/// A document of a Master Agreement (the contract, the award, the compliance letter), pinned by its digest.
public struct AgreementDocument: Codable, Hashable, Sendable {
    public var title: String
    /// Where the document can be read (`https://...`).
    public var url: String
    /// SHA-256 of the document's bytes, 64 hexadecimal digits.
    public var sha256: String

    public init(title: String, url: String, sha256: String) {
        self.title = title
        self.url = url
        self.sha256 = sha256
    }
}
