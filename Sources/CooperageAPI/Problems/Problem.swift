import CooperageCore
import Foundation
import Hummingbird

/// An RFC 9457 problem details response: every 4xx and 5xx of the API is one of these.
///
/// `type` is a stable URI per kind of problem (clients branch on it); `detail` is for people;
/// validation problems list each offending field as a JSON pointer in `errors`.
/// ```swift
/// throw Problem.validation([FieldIssue(pointer: "/state", detail: "not a US state")])
/// ```
public struct Problem: Error, HTTPResponseError, Encodable, Sendable {
    public let type: String
    public let title: String
    public let status: HTTPResponse.Status
    public let detail: String
    public let errors: [FieldIssue]?
    /// Extra members some problems carry (for example the authorization's remaining amount).
    public let extensions: [String: String]?
    /// Sent as `Retry-After` when trying again later can succeed (a busy server).
    public let retryAfterSeconds: Int?

    public static let typeBase = "https://cooperage.dev/problems/"

    public init(
        kind: String,
        title: String,
        status: HTTPResponse.Status,
        detail: String,
        errors: [FieldIssue]? = nil,
        extensions: [String: String]? = nil,
        retryAfterSeconds: Int? = nil
    ) {
        self.type = Self.typeBase + kind
        self.title = title
        self.status = status
        self.detail = detail
        self.errors = errors
        self.extensions = extensions
        self.retryAfterSeconds = retryAfterSeconds
    }

    enum CodingKeys: String, CodingKey {
        case type, title, status, detail, errors
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(title, forKey: .title)
        try container.encode(status.code, forKey: .status)
        try container.encode(detail, forKey: .detail)
        try container.encodeIfPresent(errors, forKey: .errors)
        if let extensions {
            var dynamic = encoder.container(keyedBy: DynamicKey.self)
            for (key, value) in extensions { try dynamic.encode(value, forKey: DynamicKey(key)) }
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"cooperage\"" }
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(self))))
    }
}

struct DynamicKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
