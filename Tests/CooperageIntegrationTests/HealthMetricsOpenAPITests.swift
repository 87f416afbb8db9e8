import CooperageAPI
import CooperageStore
import Foundation
import HTTPTypes
import Hummingbird
import Testing
import Yams

/// The operational routes, and the OpenAPI document kept true against the registered routes.
@Suite struct HealthMetricsOpenAPITests {
    @Test func liveness() async throws {
        try await withApp { client in
            let reply = try await client.send(.get, "/health/live", token: nil)
            #expect(reply.status == .ok)
            #expect(reply.string("status") == "ok")
        }
    }

    @Test func readinessReportsTheLatestBundledMigration() async throws {
        let latest = try #require(try Migration.bundled().last?.version)
        #expect(latest >= 2)
        try await withApp { client in
            let reply = try await client.send(.get, "/health/ready", token: nil)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.string("status") == "ready")
            #expect(reply.json["migration"] as? Int == latest)
        }
    }

    @Test func metricsCountRequestsByRoute() async throws {
        try await withApp { client in
            _ = try await client.send(.get, "/health/live", token: nil)
            _ = try await client.send(.get, "/v1/me")
            _ = try await client.send(.get, "/v1/tenants/\(UUID().uuidString)")
            let reply = try await client.send(.get, "/metrics", token: nil)
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = reply.text
            #expect(text.contains("hb_requests"), "\(text.prefix(2000))")
            #expect(text.contains("http_route="))
            #expect(text.contains(#"http_route="/health/live""#))
            // Parameterised routes are labelled by their pattern, not by each id.
            #expect(text.contains(#"http_route="/v1/tenants/{id}""#))
            // Latencies as well as counts.
            #expect(text.contains("http_server_request_duration"))
        }
    }

    @Test func theOpenAPIDocumentIsServedAndParses() async throws {
        try await withApp { client in
            let reply = try await client.send(.get, "/openapi.yaml", token: nil)
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType]?.contains("yaml") == true)
            #expect(reply.text == (try OpenAPIDocument.text()))
            let document = try #require(try Yams.load(yaml: reply.text) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            #expect((document["paths"] as? [String: Any])?.isEmpty == false)
            #expect((document["info"] as? [String: Any])?["title"] as? String != nil)
        }
    }

    static let httpMethods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// Every registered route is documented with its method, and every documented operation is registered.
    @Test func everyRouteIsInTheSpecAndEveryOperationIsARoute() throws {
        // The router is only built, never run: no connection is made.
        let database = Database(
            url: DatabaseURL(user: "nobody", socketDirectory: "/nonexistent", database: "none"),
            appPassword: nil,
            maximumConnections: 1,
            logger: TestDatabase.logger
        )
        let router = CooperageServer.router(database: database, expectedMigration: 1)
        let registered = Set(router.routes.map { "\($0.method.rawValue.lowercased()) \($0.path.description)" })
        #expect(registered.count >= 16, "routes: \(registered.sorted())")
        #expect(registered.contains("get /v1/tenants/{id}"), "routes: \(registered.sorted())")

        let document = try #require(try Yams.load(yaml: OpenAPIDocument.text()) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: Any])
        var documented: Set<String> = []
        for (path, item) in paths {
            let operations = try #require(item as? [String: Any], "path item \(path)")
            for method in operations.keys where Self.httpMethods.contains(method) {
                documented.insert("\(method) \(path)")
            }
        }
        let undocumented = registered.subtracting(documented).sorted()
        let unregistered = documented.subtracting(registered).sorted()
        #expect(undocumented == [], "registered but missing from openapi.yaml")
        #expect(unregistered == [], "in openapi.yaml but not registered")
    }

    @Test func unknownRoutesAreProblems() async throws {
        try await withApp { client in
            expectProblem(try await client.send(.get, "/no/such/route", token: nil), .notFound, type: "not-found")
            expectProblem(try await client.send(.get, "/v1/nothing-here"), .notFound, type: "not-found")
            expectProblem(try await client.send(.post, "/health/unknown", token: nil, json: [:]), .notFound)
        }
    }
}
