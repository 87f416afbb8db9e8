/// A supplier's certification as a diverse business (MBE, WBE, HUB, SDVOSB...), by whom and until when.
public struct DiversityCertification: Codable, Hashable, Sendable {
    /// The kind of certification, as the certifier names it (`MBE`, `WBE`, `HUB`, `SDVOSB`).
    public var kind: String
    /// Who certified it (`Texas Comptroller HUB program`).
    public var certifier: String?
    /// Last day the certification is valid; nil when open-ended or unknown.
    public var expiresOn: LocalDate?

    public init(kind: String, certifier: String? = nil, expiresOn: LocalDate? = nil) {
        self.kind = kind
        self.certifier = certifier
        self.expiresOn = expiresOn
    }
}
