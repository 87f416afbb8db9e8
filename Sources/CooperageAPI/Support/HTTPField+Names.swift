// swift-format-ignore-file: NeverForceUnwrap
// The names below are constant, valid tokens: `HTTPField.Name(_:)` returns nil only for invalid characters.

import HTTPTypes

extension HTTPField.Name {
    /// A client's key that makes a write safe to retry.
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    /// `true` on an answer given again for a retried write.
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let xForwardedHost = HTTPField.Name("X-Forwarded-Host")!
}
