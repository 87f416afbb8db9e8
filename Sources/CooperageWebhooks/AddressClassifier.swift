/// Which kind of network an IP address is on, for deciding whether a webhook may be sent there. Pure: it looks at
/// the address's bytes only (4 for IPv4, 16 for IPv6).
///
/// ```swift
/// AddressClassifier.kind(of: [10, 0, 0, 1])  // .privateNetwork
/// ```
public enum AddressClassifier {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Reachable on the public internet: the only kind a webhook may go to unless private addresses are allowed.
        case global
        case privateNetwork = "private"
        case loopback
        case linkLocal = "link-local"
        case uniqueLocal = "unique-local"
        case carrierGradeNAT = "carrier-grade NAT"
        case multicast
        case unspecified
        /// Reserved, documentation, benchmarking, broadcast and other special-purpose ranges.
        case reserved

        public var isGlobal: Bool { self == .global }
    }

    /// The kind of a 4- or 16-byte address; an address of another length is `.reserved` (never reachable).
    /// IPv4 addresses inside IPv6 (v4-mapped, v4-compatible, NAT64's well-known prefix, 6to4) are judged as the IPv4
    /// address they carry.
    public static func kind(of bytes: [UInt8]) -> Kind {
        switch bytes.count {
        case 4: return kindV4(bytes[0], bytes[1], bytes[2], bytes[3])
        case 16: return kindV6(bytes)
        default: return .reserved
        }
    }

    static func kindV4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> Kind {
        switch (a, b, c) {
        case (0, _, _): return .unspecified  // 0.0.0.0/8, "this network"
        case (10, _, _): return .privateNetwork
        case (100, 64...127, _): return .carrierGradeNAT  // 100.64.0.0/10
        case (127, _, _): return .loopback
        case (169, 254, _): return .linkLocal
        case (172, 16...31, _): return .privateNetwork
        case (192, 168, _): return .privateNetwork
        case (192, 0, 0): return .reserved  // IETF protocol assignments
        case (192, 0, 2), (198, 51, 100), (203, 0, 113): return .reserved  // documentation
        case (192, 88, 99): return .reserved  // 6to4 relay anycast (deprecated)
        case (198, 18...19, _): return .reserved  // benchmarking
        case (224...239, _, _): return .multicast
        case (240...255, _, _): return .reserved  // reserved and broadcast
        default: return .global
        }
    }

    static func kindV6(_ bytes: [UInt8]) -> Kind {
        let first10Zero = bytes[0..<10].allSatisfy { $0 == 0 }
        if bytes.allSatisfy({ $0 == 0 }) { return .unspecified }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return .loopback }
        // ::ffff:a.b.c.d (v4-mapped) and ::a.b.c.d (v4-compatible, deprecated).
        if first10Zero && ((bytes[10] == 0xFF && bytes[11] == 0xFF) || (bytes[10] == 0 && bytes[11] == 0)) {
            return kindV4(bytes[12], bytes[13], bytes[14], bytes[15])
        }
        // 64:ff9b::/96, NAT64's well-known prefix, and 64:ff9b:1::/48, local-use NAT64 (RFC 8215).
        if bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xFF && bytes[3] == 0x9B {
            if bytes[4..<12].allSatisfy({ $0 == 0 }) { return kindV4(bytes[12], bytes[13], bytes[14], bytes[15]) }
            if bytes[4] == 0 && bytes[5] == 1 { return .privateNetwork }
        }
        // 2002::/16, 6to4: the IPv4 address is in bytes 2 to 5.
        if bytes[0] == 0x20 && bytes[1] == 0x02 { return kindV4(bytes[2], bytes[3], bytes[4], bytes[5]) }
        // 2001:db8::/32, documentation.
        if bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0D && bytes[3] == 0xB8 { return .reserved }
        // 2001::/23, IETF protocol assignments (Teredo, ORCHID, benchmarking ...).
        if bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] < 0x02 { return .reserved }
        // 100::/64, discard-only.
        if bytes[0] == 0x01 && bytes[1] == 0x00 && bytes[2..<8].allSatisfy({ $0 == 0 }) { return .reserved }
        switch bytes[0] {
        case 0xFC, 0xFD: return .uniqueLocal  // fc00::/7
        case 0xFE where bytes[1] & 0xC0 == 0x80: return .linkLocal  // fe80::/10
        case 0xFE where bytes[1] & 0xC0 == 0xC0: return .privateNetwork  // fec0::/10, site-local (deprecated)
        case 0xFF: return .multicast
        default: break
        }
        // Only 2000::/3 is allocated as global unicast; the rest is reserved.
        return bytes[0] & 0xE0 == 0x20 ? .global : .reserved
    }
}
