public import Foundation

/// A Standard Webhooks signing secret: `whsec_` and the base64 of random bytes. The key is the decoded bytes.
public enum WebhookSecret {
    public static let prefix = "whsec_"
    /// 32 random bytes (the specification asks for 24 to 64).
    public static let byteCount = 32

    /// A new random secret.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix + Data(bytes).base64EncodedString()
    }

    /// The key bytes of a secret (with or without its `whsec_` prefix); nil when it is not base64.
    public static func key(of secret: String) -> Data? {
        let encoded = secret.hasPrefix(prefix) ? String(secret.dropFirst(prefix.count)) : secret
        guard let key = Data(base64Encoded: encoded), !key.isEmpty else { return nil }
        return key
    }
}
