import CooperageStore
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A real `cooperage serve` process: the executable this test run was built with, on a free port of 127.0.0.1, with
/// the environment a test gives it (`DATABASE_URL` and so on), in a folder of its own (so no
/// `config/cooperage.yaml` is read), its output in `server.log` there.
///
/// ```swift
/// try await ServerProcess.with(["DATABASE_URL": url.text]) { server in
///     let reply = try await server.client.send(.get, "/v1/me")
/// }
/// ```
final class ServerProcess: Sendable {
    let port: Int
    let directory: URL
    private let process: ChildProcess

    /// An HTTP client of this server (a connection per request).
    var client: TestClient { TestClient(port: port) }
    var log: String { (try? String(contentsOf: directory.appendingPathComponent("server.log"), encoding: .utf8)) ?? "" }

    private init(port: Int, directory: URL, process: ChildProcess) {
        self.port = port
        self.directory = directory
        self.process = process
    }

    /// Starts a server with `environment` (over a clean one: nothing of the test process's own environment but
    /// `PATH` and `HOME`, so a `DATABASE_URL` of the developer's shell cannot leak in), waits until
    /// `/health/ready` answers 200, runs `body`, and stops it (SIGTERM, then SIGKILL after 30 s) however `body` ends.
    static func with<T: Sendable>(
        _ environment: [String: String],
        _ body: (ServerProcess) async throws -> T
    ) async throws -> T {
        let server = try start(environment)
        do {
            try await server.waitUntilReady()
            let result = try await body(server)
            await server.stop()
            server.remove()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// Starts a server without waiting for it; ``with(_:_:)`` for one that must come up.
    static func start(_ environment: [String: String]) throws -> ServerProcess {
        let executable = try CooperageExecutable.path()
        let port = try freePort()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "cooperage-server-\(UUID().uuidString.prefix(8))"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let environment = CooperageExecutable.cleanEnvironment.merging(
            ["HTTP_HOST": "127.0.0.1", "HTTP_PORT": String(port), "LOG_LEVEL": "warning"],
            uniquingKeysWith: { _, new in new }
        ).merging(environment, uniquingKeysWith: { _, new in new })
        let process = try ChildProcess.spawn(
            [executable, "serve"],
            environment: environment,
            directory: directory.path,
            output: directory.appendingPathComponent("server.log").path
        )
        ProcessWatchdog.stopWhenTestsEnd(pid: process.pid)
        return ServerProcess(port: port, directory: directory, process: process)
    }

    /// Waits until `/health/ready` answers 200 (up to two minutes: builds share this machine's cores), or fails
    /// naming the server's last output when it stops first.
    func waitUntilReady() async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw HarnessFailure("the server on port \(port) stopped before it was ready:\n\(log.suffix(3000))")
            }
            if let reply = try? await client.send(.get, "/health/ready", token: nil), reply.status == .ok { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw HarnessFailure("the server on port \(port) was not ready within 120 s:\n\(log.suffix(3000))")
    }

    /// Waits for the process to end by itself (a server that refuses to start) and returns its exit status.
    func exitStatus(within limit: Duration = .seconds(120)) async throws -> Int32 {
        guard let status = await process.wait(upTo: limit) else {
            await stop()
            throw HarnessFailure("the server on port \(port) was still running after \(limit):\n\(log.suffix(3000))")
        }
        return status
    }

    /// SIGTERM (the server drains and closes its pool), then SIGKILL if it has not ended after 30 s.
    func stop() async {
        await process.stop()
    }

    /// Removes the server's folder (its log); left in place when a test fails, for a look.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A port of 127.0.0.1 nothing listens on now (the kernel's pick for port 0).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        try #require(bound, "no free port: \(String(cString: strerror(errno)))")
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// The `cooperage` executable of this build, and how to run its commands.
enum CooperageExecutable {
    /// The executable: `COOPERAGE_BIN` when set; else beside the test bundle (`swift build --build-tests` and
    /// `swift test` build both into `.build/<triple>/debug`); else `.build/debug/cooperage` of this checkout. A test
    /// that needs it fails, naming where it looked, when none is there: it is never skipped.
    static func path() throws -> String {
        var candidates: [String] = []
        if let given = ProcessInfo.processInfo.environment["COOPERAGE_BIN"], !given.isEmpty { candidates.append(given) }
        if let bundle = Bundle.main.executableURL?.deletingLastPathComponent() {
            candidates.append(bundle.appendingPathComponent("cooperage").path)
        }
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(checkout.appendingPathComponent(".build/debug/cooperage").path)
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw HarnessFailure(
                """
                The cooperage executable was not found (looked at \(candidates.joined(separator: ", "))): build it with \
                `swift build --build-tests` (it lands beside the tests), or set COOPERAGE_BIN.
                """
            )
        }
        return found
    }

    /// What a process of the tests starts from: the path and home, nothing else of the test process's environment.
    static var cleanEnvironment: [String: String] {
        let own = ProcessInfo.processInfo.environment
        return ["PATH": own["PATH"] ?? "/usr/bin:/bin", "HOME": own["HOME"] ?? "/tmp"]
    }

    /// Runs `cooperage arguments...` to its end with `environment`; returns its exit status and its output (standard
    /// output and error together).
    static func run(_ arguments: [String], environment: [String: String]) async throws -> (status: Int32, output: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "cooperage-command-\(UUID().uuidString.prefix(8))"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outputURL = directory.appendingPathComponent("output.txt")
        let process = try ChildProcess.spawn(
            [try path()] + arguments,
            environment: cleanEnvironment.merging(environment, uniquingKeysWith: { _, new in new }),
            directory: directory.path,
            output: outputURL.path
        )
        ProcessWatchdog.stopWhenTestsEnd(pid: process.pid)
        guard let status = await process.wait(upTo: .seconds(300)) else {
            await process.stop(SIGKILL)
            throw HarnessFailure("cooperage \(arguments.joined(separator: " ")) did not end within 300 s")
        }
        return (status, (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "")
    }
}

/// Stops what a test started should the test process end first (a crash, a timeout's kill): test runs have no
/// global teardown, and a server or a pooler must not outlive them.
enum ProcessWatchdog {
    /// A detached shell that sends SIGTERM to `pid` once this process has exited (and nothing if `pid` has
    /// ended before).
    static func stopWhenTestsEnd(pid: Int32) {
        let script = """
            while kill -0 \(getpid()) 2>/dev/null; do kill -0 \(pid) 2>/dev/null || exit 0; sleep 1; done
            kill -TERM \(pid) 2>/dev/null
            """
        // `setsid -f` leaves the watchdog in a session of its own and returns at once.
        guard
            let starter = try? ChildProcess.spawn(
                ["/usr/bin/setsid", "-f", "/bin/sh", "-c", script],
                environment: ["PATH": "/usr/bin:/bin"]
            )
        else {
            return
        }
        var status: Int32 = 0
        waitpid(starter.pid, &status, 0)
    }
}

extension DatabaseURL {
    /// The URL as text a `cooperage` process reads from `DATABASE_URL` (with the password, unlike ``redacted``).
    var text: String {
        let encode = { (part: String) in part.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? part }
        let credentials = encode(user) + (password.map { ":" + encode($0) } ?? "")
        if let socketDirectory {
            return "postgresql://\(credentials)@/\(database)?host=\(socketDirectory)&port=\(port)"
        }
        return "postgresql://\(credentials)@\(host ?? "localhost"):\(port)/\(database)?sslmode=\(tls.rawValue)"
    }
}

/// The harness could not do its part (a process that would not start, a tool that is missing): the test fails
/// with this message rather than being skipped.
struct HarnessFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
