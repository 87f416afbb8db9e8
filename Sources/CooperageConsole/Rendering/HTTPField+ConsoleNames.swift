// swift-format-ignore-file: NeverForceUnwrap
// The name below is a constant, valid token: `HTTPField.Name(_:)` returns nil only for invalid characters.

import HTTPTypes

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
