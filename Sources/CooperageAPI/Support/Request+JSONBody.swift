import CooperageCore
import Foundation
import Hummingbird

extension Request {
    /// Decodes a JSON body, turning every failure into a precise problem: 415 for another media type,
    /// 413 when too large, 400 for broken JSON, 422 naming the field for missing, mistyped, unknown
    /// or invalid values. Top-level members outside `T.fields` are refused (typos must not pass silently).
    mutating func decodeJSON<T: JSONRequestBody>(_ type: T.Type, context: some RequestContext) async throws -> T {
        guard let mediaType = mediaType, mediaType == "application/json" || mediaType == "application/merge-patch+json" else {
            throw Problem.unsupportedMediaType("application/json")
        }
        let buffer = try await collectBody(upTo: context.maxUploadSize)
        let bytes = Array(buffer.readableBytesView)
        guard !bytes.isEmpty else { throw Problem.badRequest("The request needs a JSON body.") }
        let inspection = JSONInspector.inspection(of: bytes)
        if let finding = inspection.finding { throw finding.problem }
        let data = Data(bytes)
        // One pass of the decoder reads both the value and the top-level member names.
        let checked: CheckedBody<T>
        do {
            checked = try JSONCoding.decoder.decode(CheckedBody<T>.self, from: data)
        } catch {
            throw Problem.malformedJSON("The body could not be parsed as JSON.")
        }
        guard let members = checked.members else {
            throw Problem.validation([FieldIssue(pointer: "", detail: "must be a JSON object")])
        }
        let knownFields = T.fields
        let unknown = members.filter { !knownFields.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw Problem.validation(unknown.map { FieldIssue(pointer: "/\($0)", detail: "is not a known field") })
        }
        switch checked.value {
        case .success(let value): return value
        case .failure(let error as DecodingError): throw Problem.validation([error.fieldIssue])
        case .failure(let error):
            // Foundation reports a number it cannot hold in the wanted type (`1.5` or `1e20` for an integer) with
            // the number's text only; the inspection knows where that text stands.
            let said = String(describing: error)
            let number = inspection.inexactNumbers.first { said.contains("\"\($0.text)\"") }
            throw Problem.validation([
                FieldIssue(
                    pointer: number?.pointer ?? "",
                    detail: "is a number out of this field's range (integers are whole and within 64 bits; quantities have "
                        + "at most 4 decimals)" + (number.map { ": \($0.text)" } ?? "")
                )
            ])
        }
    }
}

extension Request {
    /// The `Content-Type` without its parameters, lowercased (`application/json` for
    /// `Application/JSON; charset=utf-8`); nil when the header is missing. Compared whole, so
    /// `application/jsonx` is not JSON.
    var mediaType: String? {
        guard let value = headers[.contentType] else { return nil }
        let type = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return type.trimmingCharacters(in: .whitespaces).lowercased()
    }
}

/// A body decoded as `Value`, with its top-level member names (nil when it is not an object): the decoder
/// parses the text only once, where a separate check of the names parsed it twice.
private struct CheckedBody<Value: Decodable>: Decodable {
    var members: [String]?
    var value: Result<Value, any Error>

    init(from decoder: any Decoder) throws {
        members = (try? decoder.container(keyedBy: MemberName.self))?.allKeys.map(\.stringValue)
        do {
            value = .success(try Value(from: decoder))
        } catch {
            value = .failure(error)
        }
    }

    private struct MemberName: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

extension DecodingError {
    /// The field and reason of a decoding failure, as a JSON pointer and a sentence.
    public var fieldIssue: FieldIssue {
        func pointer(_ path: [any CodingKey]) -> String {
            path.map { key in
                "/"
                    + (key.intValue.map(String.init) ?? key.stringValue)
                    .replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            }.joined()
        }
        switch self {
        case .keyNotFound(let key, let context):
            return FieldIssue(pointer: pointer(context.codingPath + [key]), detail: "is required")
        case .typeMismatch(let type, let context):
            return FieldIssue(pointer: pointer(context.codingPath), detail: "must be \(Self.describe(type))")
        case .valueNotFound(let type, let context):
            return FieldIssue(pointer: pointer(context.codingPath), detail: "must be \(Self.describe(type)), not null")
        case .dataCorrupted(let context):
            var detail = context.debugDescription
            if detail.hasPrefix("Cannot initialize") {
                // Swift's message for an unknown enum case; say it plainly.
                detail = "is not one of the allowed values"
            }
            return FieldIssue(pointer: pointer(context.codingPath), detail: detail)
        @unknown default:
            return FieldIssue(pointer: "", detail: "is not valid")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is [Any].Type: "an array"
        default:
            String(describing: type).hasPrefix("Dictionary") || String(describing: type).hasPrefix("KeyedDecodingContainer")
                ? "an object" : "a valid \(String(describing: type))"
        }
    }
}
