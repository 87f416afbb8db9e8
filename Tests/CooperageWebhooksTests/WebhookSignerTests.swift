import CooperageWebhooks
import Foundation
import Testing

/// The signer against the Standard Webhooks specification's published example (its reference libraries' test
/// vector), and the secrets it is given.
@Suite struct WebhookSignerTests {
    /// From the standard-webhooks repository's libraries (the Python library's `test_sign_function`).
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    static let timestamp: Int64 = 1_614_265_330
    static let body = #"{"test": 2432232314}"#
    static let expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

    @Test func signsThePublishedExample() {
        let signature = WebhookSigner.signature(
            id: Self.id,
            timestamp: Self.timestamp,
            body: Array(Self.body.utf8),
            secret: Self.secret
        )
        #expect(signature == Self.expected)
    }

    @Test func aSecretWithoutItsPrefixSignsTheSame() {
        let bare = String(Self.secret.dropFirst("whsec_".count))
        #expect(
            WebhookSigner.signature(id: Self.id, timestamp: Self.timestamp, body: Array(Self.body.utf8), secret: bare)
                == Self.expected
        )
    }

    @Test func twoSecretsGiveTwoSignaturesCurrentFirst() {
        let other = WebhookSecret.generate()
        let header = WebhookSigner.header(
            id: Self.id,
            timestamp: Self.timestamp,
            body: Array(Self.body.utf8),
            secrets: [other, Self.secret]
        )
        let parts = header.split(separator: " ").map(String.init)
        #expect(parts.count == 2)
        #expect(parts[1] == Self.expected)
        #expect(parts[0] != Self.expected && parts[0].hasPrefix("v1,"))
    }

    @Test func anyChangeOfIdTimestampOrBodyChangesTheSignature() {
        let body = Array(Self.body.utf8)
        let base = WebhookSigner.signature(id: Self.id, timestamp: Self.timestamp, body: body, secret: Self.secret)
        #expect(WebhookSigner.signature(id: Self.id + "x", timestamp: Self.timestamp, body: body, secret: Self.secret) != base)
        #expect(WebhookSigner.signature(id: Self.id, timestamp: Self.timestamp + 1, body: body, secret: Self.secret) != base)
        #expect(WebhookSigner.signature(id: Self.id, timestamp: Self.timestamp, body: body + [0x20], secret: Self.secret) != base)
    }

    @Test func aSecretThatIsNotBase64SignsNothing() {
        #expect(WebhookSigner.signature(id: "a", timestamp: 1, body: [UInt8](), secret: "whsec_***") == nil)
        #expect(WebhookSigner.header(id: "a", timestamp: 1, body: [UInt8](), secrets: ["whsec_***"]) == "")
    }

    @Test func generatedSecretsAreWhsecAndThirtyTwoRandomBytes() throws {
        let first = WebhookSecret.generate()
        let second = WebhookSecret.generate()
        #expect(first.hasPrefix("whsec_"))
        #expect(first != second)
        let key = try #require(WebhookSecret.key(of: first))
        #expect(key.count == 32)
    }
}
