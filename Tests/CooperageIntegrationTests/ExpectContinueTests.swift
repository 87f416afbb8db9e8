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
        let database = try await SharedPool.database.value
        let app = Application(
            router: CooperageServer.router(database: database, expectedMigration: try Migration.bundled().last!.version),
            server: CooperageServer.httpServer(settings: ServerSettings(), logger: TestDatabase.logger),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: TestDatabase.logger
        )
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let head =
                "POST /v1/usage/imports HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\nContent-Length: 5\r\n"
                + "Expect: 100-continue\r\n\r\n"
            let first = try Self.exchange(port: port, send: head, readWithin: 2)
            #expect(first.hasPrefix("HTTP/1.1 100 Continue"), "\(first)")
        }
    }

    /// Connects, sends `text`, and returns what the server answers within `seconds` (the first read).
    static func exchange(port: Int, send text: String, readWithin seconds: Int) throws -> String {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(socket >= 0)
        defer { close(socket) }
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(connected == 0)
        let bytes = Array(text.utf8)
        try #require(Glibc.send(socket, bytes, bytes.count, 0) == bytes.count)
        var buffer = [UInt8](repeating: 0, count: 4096)
        let read = recv(socket, &buffer, buffer.count, 0)
        return read > 0 ? String(decoding: buffer[..<read], as: UTF8.self) : ""
    }
}
