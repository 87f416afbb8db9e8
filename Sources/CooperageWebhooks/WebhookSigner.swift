import Crypto
public import Foundation

/// Signs a delivery as Standard Webhooks 1.0 asks: `v1,` and the base64 HMAC-SHA256, keyed with the secret's
/// decoded bytes, of `{webhook-id}.{webhook-timestamp}.{body}`. With two secrets (after a rotation) the header
/// carries both signatures separated by a space, the current secret's first; a receiver accepts any that matches.
public enum WebhookSigner {
    /// One `v1,...` signature; nil when the secret is not valid base64.
    public static func signature(id: String, timestamp: Int64, body: some DataProtocol, secret: String) -> String? {
        guard let key = WebhookSecret.key(of: secret) else { return nil }
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(contentsOf: body)
        let mac = HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: key))
        return "v1," + Data(mac).base64EncodedString()
    }

    /// The `webhook-signature` header for every secret that still signs.
    public static func header(id: String, timestamp: Int64, body: some DataProtocol, secrets: [String]) -> String {
        secrets.compactMap { signature(id: id, timestamp: timestamp, body: body, secret: $0) }.joined(separator: " ")
    }
}
