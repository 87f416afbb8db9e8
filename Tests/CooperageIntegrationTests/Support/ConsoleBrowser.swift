import Foundation
import HTTPTypes
import Testing

/// A browser's part in console tests: one session's cookie, forms posted URL-encoded.
struct ConsoleBrowser {
    let client: TestClient
    var cookie: String?

    func get(_ path: String) async throws -> TestClient.Reply {
        try await client.send(.get, path, token: nil, headers: cookieHeader)
    }

    func post(_ path: String, _ fields: [(String, String)]) async throws -> TestClient.Reply {
        var headers = cookieHeader
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await client.send(.post, path, token: nil, raw: body, headers: headers)
    }

    var cookieHeader: HTTPFields {
        guard let cookie else { return [:] }
        return [.cookie: "cooperage_session=\(cookie)"]
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    /// Signs in with `token`; the session's cookie is kept.
    static func signIn(_ client: TestClient, token: String) async throws -> ConsoleBrowser {
        let reply = try await ConsoleBrowser(client: client).post("/console/sign-in", [("token", token)])
        try #require(reply.status == .seeOther, "signing in: \(reply.status) \(reply.text)")
        let setCookie = try #require(reply.headers[.setCookie])
        let value = setCookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1)[1]
        return ConsoleBrowser(client: client, cookie: String(value))
    }

    /// The CSRF token of the page at `path`.
    func csrf(on path: String) async throws -> String {
        let page = try await get(path)
        let marker = "name=\"_csrf\" value=\""
        let start = try #require(page.text.range(of: marker)).upperBound
        let end = try #require(page.text[start...].firstIndex(of: "\""))
        return String(page.text[start..<end])
    }
}
