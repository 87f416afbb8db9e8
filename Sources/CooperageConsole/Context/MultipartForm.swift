import CooperageAPI
import CooperageStore
import Foundation
import Hummingbird
import NIOCore

/// A posted `multipart/form-data` form (a file upload): its text fields and its files, each part's bytes read
/// once from the whole body (RFC 7578). Only what the console's upload forms send is understood.
struct MultipartForm: Sendable {
    struct File: Sendable {
        var fileName: String?
        var bytes: [UInt8]
    }

    private(set) var fields: [String: String] = [:]
    private(set) var files: [String: File] = [:]

    /// The boundary of a `multipart/form-data` content type, or nil for any other type.
    static func boundary(of contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    /// Reads the request's form, refusing anything but multipart/form-data and bodies over `limit` bytes.
    static func read(_ request: Request, limit: Int) async throws -> MultipartForm {
        guard let boundary = boundary(of: request.headers[.contentType]) else {
            throw Problem.unsupportedMediaType("multipart/form-data (an HTML form with a file)")
        }
        var body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw Problem.payloadTooLarge(limit: limit)
        }
        let bytes = body.readBytes(length: body.readableBytes) ?? []
        guard let form = MultipartForm(bytes, boundary: boundary) else {
            throw Problem.badRequest("The form could not be read: its parts are not well formed.")
        }
        return form
    }

    /// Splits `bytes` at each `--boundary`; nil when no part is found.
    init?(_ bytes: [UInt8], boundary: String) {
        let delimiter = Array("--\(boundary)".utf8)
        var starts: [Int] = []
        var index = 0
        while let found = Self.find(delimiter, in: bytes, from: index) {
            starts.append(found)
            index = found + delimiter.count
        }
        guard starts.count >= 2 else { return nil }
        for (start, end) in zip(starts, starts.dropFirst()) {
            // A part: CRLF after the delimiter, headers, a blank line, the content, and the CRLF before the next one.
            let partStart = start + delimiter.count + 2
            let partEnd = end - 2
            guard partStart <= partEnd, let blank = Self.find(Array("\r\n\r\n".utf8), in: bytes, from: partStart),
                blank + 4 <= partEnd
            else { continue }
            let headers = String(decoding: bytes[partStart..<blank], as: UTF8.self)
            let content = Array(bytes[(blank + 4)..<partEnd])
            guard let disposition = Self.disposition(headers), let name = disposition["name"] else { continue }
            if let fileName = disposition["filename"] {
                files[name] = File(fileName: fileName.isEmpty ? nil : fileName, bytes: content)
            } else {
                fields[name] = String(decoding: content, as: UTF8.self)
            }
        }
    }

    /// The parameters of a part's `Content-Disposition: form-data; name="..."; filename="..."`.
    private static func disposition(_ headers: String) -> [String: String]? {
        for line in headers.split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "content-disposition" else {
                continue
            }
            var parameters: [String: String] = [:]
            for item in parts[1].split(separator: ";").dropFirst() {
                let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2 else { continue }
                var value = pair[1]
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                parameters[pair[0].lowercased()] = value
            }
            return parameters
        }
        return nil
    }

    /// The first position of `needle` in `haystack` at or after `start`.
    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    /// The field's value with surrounding spaces removed; nil when absent or empty.
    subscript(name: String) -> String? {
        guard let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// Refuses (403 page) a form that does not carry its session's CSRF token.
    func requireCSRF(_ session: ConsoleSession) throws {
        guard session.acceptsCSRFToken(fields["_csrf"]) else { throw ConsolePageError.csrfRefused }
    }
}
