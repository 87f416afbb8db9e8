import CooperageAPI
import CooperageStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Clients too slow to send a request cannot hold a connection, or an import slot, for ever: the server closes
/// them (``RequestDeadlineHandler``, Hummingbird's idle timeout), and an upload cut off is never taken for a
/// whole file. The limits are set short here; each test waits far longer than them for the server to act.
@Suite struct SlowClientTests {
    /// Short limits. The idle timeout is short only where a test needs it: the test client's own keep-alive connection
    /// would otherwise be closed under it between two requests of a slow test.
    static func settings(idleTimeout: Duration) -> ServerSettings {
        var settings = ServerSettings()
        settings.idleTimeout = idleTimeout
        settings.headerTimeout = .seconds(1)
        settings.minimumBodyBytesPerSecond = 1_000
        settings.bodyGracePeriod = .seconds(1)
        return settings
    }

    func withLiveServer(
        slots: ImportSlots = ImportSlots(),
        idleTimeout: Duration = ServerSettings().idleTimeout,
        _ body: @escaping @Sendable (Int, TestClient) async throws -> Void
    ) async throws {
        try await withApp(importSlots: slots, settings: Self.settings(idleTimeout: idleTimeout), mode: .live) { client in
            try await body(try #require(client.port), client)
        }
    }

    @Test func aClientThatStopsHalfwayThroughItsHeadersIsDisconnected() async throws {
        try await withLiveServer { port, _ in
            let socket = try RawSocket(port: port)
            try socket.send("POST /v1/usage/imports HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: te")
            // Closed after the one-second header timeout; without it the read would wait out its 30 s.
            #expect(await socket.readUntilClosed(within: 30) == .closed)
        }
    }

    @Test func anIdleKeepAliveConnectionIsClosed() async throws {
        try await withLiveServer(idleTimeout: .seconds(5)) { port, _ in
            let socket = try RawSocket(port: port)
            try socket.send("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let outcome = await socket.readUntilClosed(within: 30)
            #expect(outcome == .closed, "the idle connection stayed open")
            #expect(socket.received.hasPrefix("HTTP/1.1 200"), "\(socket.received)")
        }
    }

    /// A program started while a connection is open (the embedded database restarted, PostgreSQL for a test) must not
    /// inherit the connection: the server's close would then send no FIN while the program runs, and the client would
    /// wait for ever. This failed in CI while a Citus cluster started beside the server.
    @Test func aConnectionClosedAfterAProgramStartedEndsForTheClient() async throws {
        try await withLiveServer(idleTimeout: .seconds(2)) { port, _ in
            let socket = try RawSocket(port: port)
            try socket.send("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(await socket.firstRead(within: 10).hasPrefix("HTTP/1.1 200"))
            let program = try ChildProcess.spawn(["/bin/sleep", "60"], environment: [:])
            #expect(await socket.readUntilClosed(within: 20) == .closed, "the connection lived on in the program")
            await program.stop(SIGKILL, grace: .seconds(1))
        }
    }

    @Test func aStalledUploadIsCutOffAndReleasesItsImportSlot() async throws {
        let slots = ImportSlots(limit: 1)
        try await withLiveServer(slots: slots) { port, client in
            let scene = try await UsageScene.make(client)
            let socket = try RawSocket(port: port)
            try socket.send(
                "POST /v1/usage/imports HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(scene.buyer)\r\n"
                    + "Content-Type: text/csv\r\nContent-Length: 100000\r\n\r\npo_number,"
            )
            // Ten bytes in, then nothing: far below 1,000 bytes a second once the grace second has passed.
            #expect(await socket.readUntilClosed(within: 30) == .closed)
            var released = false
            for _ in 0..<50 where !released {
                released = slots.inUse == 0
                if !released { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(released, "the stalled upload still holds its import slot")
            // The slot serves the next upload.
            let reply = try await client.send(
                .post,
                "/v1/usage/imports",
                token: scene.buyer,
                raw: "po_number\n",
                headers: [.contentType: "text/csv"]
            )
            #expect(reply.status == .unprocessableContent, "\(reply.text)")
        }
    }

    /// Hummingbird answers a request it cannot parse (headers over 80 KiB) with a bare 400 and closes the
    /// connection; it offers no hook for a problem body (README, "Limits and failure behaviour"). The server
    /// carries on.
    @Test func aRequestWithOversizedHeadersGetsA400AndTheServerCarriesOn() async throws {
        try await withLiveServer { port, client in
            let socket = try RawSocket(port: port)
            try socket.send(
                "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: \(String(repeating: "a", count: 100_000))\r\n\r\n"
            )
            #expect(await socket.readUntilClosed(within: 30) == .closed)
            #expect(socket.received.hasPrefix("HTTP/1.1 400"), "\(socket.received)")
            #expect(try await client.send(.get, "/health/live").status == .ok)
        }
    }

    @Test func anUploadCutOffBeforeItsLastChunkImportsNothing() async throws {
        try await withLiveServer { port, client in
            let scene = try await UsageScene.make(client)
            let po = "PO-CUT-\(UUID().uuidString.prefix(8))"
            let csv =
                "po_number,authorization_id,order_date,description,unspsc,quantity,unit_price_cents\n"
                + "\(po),\(scene.authorization),\(scene.validFrom),Laptop,43211503,1,1000\n"
            let socket = try RawSocket(port: port)
            // A whole, valid file in one chunk, but the body's closing chunk never comes: the connection ends.
            try socket.send(
                "POST /v1/usage/imports HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(scene.buyer)\r\n"
                    + "Content-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + String(csv.utf8.count, radix: 16) + "\r\n" + csv + "\r\n"
            )
            try await Task.sleep(for: .milliseconds(300))
            socket.close()
            try await Task.sleep(for: .seconds(2))
            let listed = try await client.send(.get, "/v1/usage?poNumber=\(po)", token: scene.buyer)
            #expect(listed.status == .ok, "\(listed.text)")
            #expect((listed.json["items"] as? [Any])?.isEmpty == true, "a cut-off upload was imported: \(listed.text)")
        }
    }
}

/// A plain TCP client, to send requests byte by byte as no HTTP client library would.
final class RawSocket: @unchecked Sendable {
    enum Outcome: Equatable { case closed, timedOut }

    private var descriptor: Int32
    private(set) var received = ""

    init(port: Int) throws {
        descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(connected == 0)
    }

    deinit { close() }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        try #require(Glibc.send(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count)
    }

    /// Reads until the server closes the connection (`.closed`) or `seconds` pass without it (`.timedOut`), on a
    /// thread of its own: a blocking read must not hold one of the few threads Swift's tasks share (two on a
    /// two-core machine), which the server under test needs to answer.
    func readUntilClosed(within seconds: Int) async -> Outcome {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: self.blockingReadUntilClosed(within: seconds)) }.start()
        }
    }

    /// What the server sends first, within `seconds` (empty if nothing), read on a thread of its own.
    func firstRead(within seconds: Int) async -> String {
        await withCheckedContinuation { continuation in
            Thread {
                var timeout = timeval(tv_sec: seconds, tv_usec: 0)
                setsockopt(self.descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                var buffer = [UInt8](repeating: 0, count: 4096)
                let read = recv(self.descriptor, &buffer, buffer.count, 0)
                continuation.resume(returning: read > 0 ? String(decoding: buffer[..<read], as: UTF8.self) : "")
            }.start()
        }
    }

    private func blockingReadUntilClosed(within seconds: Int) -> Outcome {
        let deadline = Date().addingTimeInterval(TimeInterval(seconds))
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            var timeout = timeval(tv_sec: 1, tv_usec: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let read = recv(descriptor, &buffer, buffer.count, 0)
            if read == 0 { return .closed }
            if read > 0 {
                received += String(decoding: buffer[..<read], as: UTF8.self)
            } else if errno != EAGAIN && errno != EWOULDBLOCK {
                return .closed
            }
        }
        return .timedOut
    }

    func close() {
        if descriptor >= 0 {
            Glibc.close(descriptor)
            descriptor = -1
        }
    }
}
