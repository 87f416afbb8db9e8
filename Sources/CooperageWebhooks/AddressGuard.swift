public import Foundation
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Decides whether a webhook URL may be called: every address its host resolves to must be global (see
/// ``AddressClassifier``), unless private addresses are allowed. Checked when an endpoint is created or its URL
/// changed, and again before every attempt, since what a name resolves to can change.
///
/// The HTTP client resolves the name again when it connects, so a name whose answers change between the two
/// lookups (DNS rebinding) could still slip through; an operator worried about that runs the server behind an
/// egress proxy or firewall that refuses private ranges (see the README).
public struct AddressGuard: Sendable {
    public let allowPrivateAddresses: Bool

    public init(allowPrivateAddresses: Bool) {
        self.allowPrivateAddresses = allowPrivateAddresses
    }

    /// Why `url` may not be called, in words for its owner; nil when it may.
    public func refusal(for url: String) async -> String? {
        if allowPrivateAddresses { return nil }
        guard let host = URLComponents(string: url)?.host, !host.isEmpty else { return "the URL has no host" }
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let addresses: [[UInt8]]
        do {
            addresses = try await Self.resolve(name)
        } catch {
            return "its host \(name) could not be resolved (\(error))"
        }
        guard !addresses.isEmpty else { return "its host \(name) resolves to no address" }
        for address in addresses {
            let kind = AddressClassifier.kind(of: address)
            if !kind.isGlobal {
                return
                    "its host \(name) resolves to \(Self.text(address)), a \(kind.rawValue) address; webhooks go to public addresses only (webhooks.allowPrivateAddresses)"
            }
        }
        return nil
    }

    struct ResolutionFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Every address `host` resolves to (an IP literal resolves to itself, without asking DNS), through the
    /// system resolver on NIO's blocking-work thread pool.
    static func resolve(_ host: String) async throws -> [[UInt8]] {
        try await NIOThreadPool.singleton.runIfActive {
            var hints = addrinfo()
            hints.ai_family = AF_UNSPEC
            #if canImport(Darwin)
                hints.ai_socktype = SOCK_STREAM
            #else
                hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            #endif
            var result: UnsafeMutablePointer<addrinfo>?
            let status = getaddrinfo(host, nil, &hints, &result)
            guard status == 0 else {
                throw ResolutionFailure(description: String(cString: gai_strerror(status)))
            }
            defer { freeaddrinfo(result) }
            var addresses: [[UInt8]] = []
            var next = result
            while let info = next {
                if let sockaddr = info.pointee.ai_addr {
                    switch info.pointee.ai_family {
                    case AF_INET:
                        sockaddr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                            withUnsafeBytes(of: pointer.pointee.sin_addr) { addresses.append(Array($0)) }
                        }
                    case AF_INET6:
                        sockaddr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                            withUnsafeBytes(of: pointer.pointee.sin6_addr) { addresses.append(Array($0)) }
                        }
                    default: break
                    }
                }
                next = info.pointee.ai_next
            }
            return addresses
        }
    }

    /// An address as people write it.
    static func text(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        guard bytes.count == 16 else { return bytes.map { String($0, radix: 16) }.joined(separator: ":") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }
}
