import CooperageAPI
import CooperageStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Clients that ask `Expect: 100-continue` (curl does for bodies over 1 KiB) hear `100 Continue` at once,
/// instead of waiting out their timeout before sending the body.
@Suite struct ExpectContinueTests {
    @Test func aServerAsksForTheBodyAtOnce() async throws {
        try await withApp(mode: .live) { client in
            let socket = try RawSocket(port: try #require(client.port))
            try socket.send(
                "POST /v1/usage/imports HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\nContent-Length: 5\r\n"
                    + "Expect: 100-continue\r\n\r\n"
            )
            let first = await socket.firstRead(within: 2)
            #expect(first.hasPrefix("HTTP/1.1 100 Continue"), "\(first)")
        }
    }
}
