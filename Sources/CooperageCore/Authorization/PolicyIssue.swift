/// A problem found in a policy, located by a JSON pointer into the policy document.
///
/// ```swift
/// PolicyIssue(pointer: "/rules/2/parameters/amountCents", detail: "must be a whole number of cents")
/// ```
public struct PolicyIssue: Codable, Hashable, Sendable, CustomStringConvertible {
    /// RFC 6901 pointer, for example `/rules/2/parameters/amountCents`.
    public var pointer: String
    /// What is wrong, in plain words.
    public var detail: String

    public init(pointer: String, detail: String) {
        self.pointer = pointer
        self.detail = detail
    }

    public var description: String { "\(pointer): \(detail)" }
}
