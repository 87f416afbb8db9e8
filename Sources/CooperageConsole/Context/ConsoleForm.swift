import CooperageAPI
import CooperageStore
import Foundation
import Hummingbird
import NIOCore

/// A posted form (`application/x-www-form-urlencoded`), read whole (forms are small; files have their own route).
struct ConsoleForm: Sendable {
    private(set) var fields: [String: [String]] = [:]

    /// Forms larger than this are refused (413).
    static let maximumSize = 256 * 1024

    init(fields: [String: [String]]) {
        self.fields = fields
    }

    /// Reads the request's form; anything but a URL-encoded form is refused.
    static func read(_ request: Request) async throws -> ConsoleForm {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else {
            throw Problem.unsupportedMediaType("application/x-www-form-urlencoded (an HTML form)")
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maximumSize)
        } catch is NIOTooManyBytesError {
            throw Problem.payloadTooLarge(limit: maximumSize)
        }
        return ConsoleForm(encoded: String(decoding: buffer.readableBytesView, as: UTF8.self))
    }

    init(encoded: String) {
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { continue }
            let value = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
            fields[name, default: []].append(value)
        }
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// The field's value with surrounding spaces removed; nil when absent or empty.
    subscript(name: String) -> String? {
        guard let value = fields[name]?.first?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// Every value of a repeated field (check boxes, table rows), blanks kept in place.
    func all(_ name: String) -> [String] {
        fields[name] ?? []
    }

    /// Refuses (403 page) a form that does not carry its session's CSRF token.
    func requireCSRF(_ session: ConsoleSession) throws {
        guard session.acceptsCSRFToken(fields["_csrf"]?.first) else { throw ConsolePageError.csrfRefused }
    }
}
