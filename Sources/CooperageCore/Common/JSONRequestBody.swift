/// A JSON request body whose top-level members are its coding keys. The API refuses a body with any other member
/// (a misspelt field must not pass silently as an absent one), so the members a type decodes and the members a
/// request may carry are one list.
///
/// A conforming type declares its keys as `public enum CodingKeys: String, CodingKey, CaseIterable`: Swift's
/// synthesized keys are private and cannot be listed.
///
/// ```swift
/// NewReversal.fields  // ["amountCents", "reason"]
/// ```
public protocol JSONRequestBody: Decodable {
    associatedtype CodingKeys: CodingKey & CaseIterable

    /// The top-level members a body may carry: every coding key, unless the type says otherwise.
    static var fields: Set<String> { get }
}

extension JSONRequestBody {
    public static var fields: Set<String> { Set(CodingKeys.allCases.map(\.stringValue)) }
}
