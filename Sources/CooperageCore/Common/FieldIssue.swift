/// One thing wrong with a client's input, located by a JSON pointer (RFC 6901) such as `/state` or `/rules/2/type`.
public struct FieldIssue: Hashable, Codable, Sendable {
    public let pointer: String
    public let detail: String

    public init(pointer: String, detail: String) {
        self.pointer = pointer
        self.detail = detail
    }
}
