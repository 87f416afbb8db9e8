import Crypto
import Foundation

/// The text of a bearer token and its stored hash.
///
/// Agency tokens read `cpa_<tenant id, 32 hex>_<secret>`, supplier tokens `cps_<supplier id, 32 hex>_<secret>` and
/// cooperative ones `cpc_<secret>`, where the secret is 32 random bytes in base64url. Carrying the tenant lets
/// authentication look the token up inside that tenant's row-level-secured transaction; carrying the supplier lets it
/// look the token up by (supplier, hash). Any other text (a bootstrap token chosen by an operator) is looked up as a
/// cooperative token.
public struct TokenSecret: Sendable, Equatable {
    public let text: String

    public init(text: String) {
        self.text = text
    }

    /// A fresh token for `tenantID`, or a cooperative one when nil.
    public static func generate(tenantID: UUID?) -> TokenSecret {
        if let tenantID { return TokenSecret(text: "cpa_\(hex(tenantID))_\(randomSecret())") }
        return TokenSecret(text: "cpc_\(randomSecret())")
    }

    /// A fresh token of `supplierID`.
    public static func generate(supplierID: UUID) -> TokenSecret {
        TokenSecret(text: "cps_\(hex(supplierID))_\(randomSecret())")
    }

    /// The tenant an agency token names, or nil for any other token.
    public var tenantID: UUID? { id(after: "cpa_") }

    /// The supplier a supplier token names, or nil for any other token.
    public var supplierID: UUID? { id(after: "cps_") }

    /// SHA-256 of the whole token: a fast hash is right for 256-bit random secrets, which cannot be guessed.
    public var hash: Data {
        Data(SHA256.hash(data: Data(text.utf8)))
    }

    private static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()  // getrandom(2): cryptographically secure
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static func hex(_ id: UUID) -> String {
        id.uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    /// The id written as 32 hex digits between `prefix` and the next `_`.
    private func id(after prefix: String) -> UUID? {
        guard text.hasPrefix(prefix) else { return nil }
        let parts = text.split(separator: "_", maxSplits: 2)
        guard parts.count == 3, parts[1].count == 32 else { return nil }
        let hex = Array(parts[1])
        let dashed =
            String(hex[0..<8]) + "-" + String(hex[8..<12]) + "-" + String(hex[12..<16]) + "-"
            + String(hex[16..<20]) + "-" + String(hex[20..<32])
        return UUID(uuidString: dashed)
    }
}
