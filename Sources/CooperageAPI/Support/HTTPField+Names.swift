// swift-format-ignore-file: NeverForceUnwrap
// The names below are constant, valid tokens: `HTTPField.Name(_:)` returns nil only for invalid characters.

import HTTPTypes

extension HTTPField.Name {
    /// A client's key that makes a write safe to retry.
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    /// `true` on an answer given again for a retried write.
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
    /// The instant a report is current as of (RFC 3339, UTC): every transaction the primary committed until then is in it.
    static let asOf = HTTPField.Name("As-Of")!
    /// `primary` or `replica`: the server a report was read from.
    static let readFrom = HTTPField.Name("Read-From")!
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let xForwardedHost = HTTPField.Name("X-Forwarded-Host")!
}
