import Foundation
import Testing

/// Every write route refuses a body member its request type does not know (a misspelt field must not pass
/// silently as absent) and a body that is not a JSON object, naming each unknown member.
@Suite struct UnknownFieldTests {
    @Test func everyWriteRouteRefusesUnknownMembersAndNamesEachOne() async throws {
        try await withApp { client in
            let routes = try await HostileInputTests.routes(client)
            #expect(routes.count == 16)
            for route in routes {
                let label = "\(route.method) \(route.path)"
                var body = route.body
                body["zzUnknown"] = 1
                body["aLsoUnknown"] = true
                let reply = try await HostileInputTests.send(client, route, body: HostileInputTests.json(body))
                #expect(reply.status == .unprocessableContent, "\(label): \(reply.text)")
                #expect(reply.problemType == "validation-failed", "\(label): \(reply.text)")
                #expect(reply.pointers == ["/aLsoUnknown", "/zzUnknown"], "\(label): \(reply.text)")
                let details = (reply.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["detail"] as? String }
                #expect(details == ["is not a known field", "is not a known field"], "\(label): \(reply.text)")

                let array = try await HostileInputTests.send(client, route, body: "[]")
                #expect(array.status == .unprocessableContent, "\(label) []: \(array.text)")
                #expect(array.pointers == [""], "\(label) []: \(array.text)")
            }
        }
    }
}
