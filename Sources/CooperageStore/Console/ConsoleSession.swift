import CooperageCore
import Crypto
import Foundation

/// A signed-in person in the web console: the token they signed in with, and the session's secret (the cookie).
public struct ConsoleSession: Sendable {
    /// Who the session acts as: exactly the principal of the token presented at sign-in.
    public let principal: Principal
    /// The cookie's value: random, carrying the agency's id like an agency token, so the session is found under
    /// the agency's row-level security. Only its hash is stored.
    public let secret: TokenSecret

    public init(principal: Principal, secret: TokenSecret) {
        self.principal = principal
        self.secret = secret
    }

    /// The token every state-changing form carries: derived from the session's secret, so it is bound to this
    /// session, needs no storage, and cannot be computed without the cookie.
    public var csrfToken: String {
        let code = HMAC<SHA256>.authenticationCode(
            for: Data("cooperage-console-csrf".utf8),
            using: SymmetricKey(data: Data(secret.text.utf8))
        )
        return AuditEvent.hex(code)
    }

    /// Compares in constant time, so the token cannot be found a character at a time.
    public func acceptsCSRFToken(_ presented: String?) -> Bool {
        guard let presented else { return false }
        let expected = Array(csrfToken.utf8)
        let given = Array(presented.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
