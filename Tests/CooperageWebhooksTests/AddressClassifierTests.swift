import CooperageWebhooks
import Foundation
import Testing

/// Which addresses a webhook may be sent to: public ones only, IPv4 and IPv6, with IPv4 inside IPv6 judged as the
/// IPv4 address it carries.
@Suite struct AddressClassifierTests {
    /// An address written as people write it, parsed by the system (inet_pton).
    func bytes(_ text: String) throws -> [UInt8] {
        if text.contains(":") {
            var address = in6_addr()
            try #require(inet_pton(AF_INET6, text, &address) == 1, "\(text) is not an IPv6 address")
            return withUnsafeBytes(of: &address) { Array($0) }
        }
        var address = in_addr()
        try #require(inet_pton(AF_INET, text, &address) == 1, "\(text) is not an IPv4 address")
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    func kind(_ text: String) throws -> AddressClassifier.Kind {
        AddressClassifier.kind(of: try bytes(text))
    }

    @Test(arguments: [
        ("10.0.0.1", AddressClassifier.Kind.privateNetwork),
        ("10.255.255.255", .privateNetwork),
        ("172.16.0.1", .privateNetwork),
        ("172.31.255.254", .privateNetwork),
        ("192.168.1.1", .privateNetwork),
        ("127.0.0.1", .loopback),
        ("127.255.0.9", .loopback),
        ("169.254.169.254", .linkLocal),
        ("100.64.0.1", .carrierGradeNAT),
        ("100.127.255.255", .carrierGradeNAT),
        ("0.0.0.0", .unspecified),
        ("0.1.2.3", .unspecified),
        ("224.0.0.1", .multicast),
        ("239.255.255.250", .multicast),
        ("255.255.255.255", .reserved),
        ("240.0.0.1", .reserved),
        ("192.0.2.10", .reserved),
        ("198.51.100.7", .reserved),
        ("203.0.113.5", .reserved),
        ("198.18.0.1", .reserved),
        ("192.0.0.8", .reserved),
    ])
    func nonPublicIPv4(_ address: String, _ expected: AddressClassifier.Kind) throws {
        #expect(try kind(address) == expected)
        #expect(try !kind(address).isGlobal)
    }

    @Test(arguments: [
        "8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.0", "169.253.1.1",
        "192.169.0.1", "223.255.255.254", "11.0.0.1",
    ])
    func publicIPv4(_ address: String) throws {
        #expect(try kind(address) == .global)
    }

    @Test(arguments: [
        ("::", AddressClassifier.Kind.unspecified),
        ("::1", .loopback),
        ("fe80::1", .linkLocal),
        ("febf:ffff::1", .linkLocal),
        ("fc00::1", .uniqueLocal),
        ("fd12:3456:789a::1", .uniqueLocal),
        ("ff02::1", .multicast),
        ("ff0e::1", .multicast),
        ("fec0::1", .privateNetwork),
        ("2001:db8::1", .reserved),
        ("100::1", .reserved),
        // IPv4 inside IPv6: v4-mapped, v4-compatible, NAT64 and 6to4 carrying private and loopback addresses.
        ("::ffff:127.0.0.1", .loopback),
        ("::ffff:10.1.2.3", .privateNetwork),
        ("::ffff:169.254.169.254", .linkLocal),
        ("::ffff:100.64.1.1", .carrierGradeNAT),
        ("::ffff:0.0.0.0", .unspecified),
        ("::127.0.0.1", .loopback),
        ("64:ff9b::10.0.0.1", .privateNetwork),
        ("64:ff9b::7f00:1", .loopback),
        ("2002:c0a8:0101::1", .privateNetwork),
        ("2002:7f00:0001::1", .loopback),
    ])
    func nonPublicIPv6(_ address: String, _ expected: AddressClassifier.Kind) throws {
        #expect(try kind(address) == expected)
    }

    @Test(arguments: ["2606:4700:4700::1111", "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:0808:0808::1"])
    func publicIPv6(_ address: String) throws {
        #expect(try kind(address) == .global)
    }

    @Test func addressesOfAnotherLengthAreNeverReachable() {
        #expect(AddressClassifier.kind(of: []) == .reserved)
        #expect(AddressClassifier.kind(of: [1, 2, 3]) == .reserved)
    }

    @Test func theGuardResolvesNamesAndLiteralsBeforeJudging() async {
        let guardian = AddressGuard(allowPrivateAddresses: false)
        #expect(await guardian.refusal(for: "http://127.0.0.1:8080/hook")?.contains("loopback") == true)
        #expect(await guardian.refusal(for: "http://[::1]/hook")?.contains("loopback") == true)
        #expect(await guardian.refusal(for: "http://[::ffff:10.0.0.1]/hook")?.contains("private") == true)
        #expect(await guardian.refusal(for: "https://169.254.169.254/latest/meta-data")?.contains("link-local") == true)
        // Numeric forms the resolver accepts (inet_aton's) are resolved, not trusted as text.
        #expect(await guardian.refusal(for: "http://2130706433/")?.contains("loopback") == true)
        #expect(await guardian.refusal(for: "http://0x7f.1/")?.contains("loopback") == true)
        #expect(await guardian.refusal(for: "http://localhost:9/")?.contains("loopback") == true)
        // A public literal passes without any lookup.
        #expect(await guardian.refusal(for: "https://8.8.8.8/hook") == nil)
        #expect(await AddressGuard(allowPrivateAddresses: true).refusal(for: "http://127.0.0.1/") == nil)
    }
}
