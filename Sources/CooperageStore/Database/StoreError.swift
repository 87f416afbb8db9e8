/// Outcomes of store operations that the API turns into problem responses.
public enum StoreError: Error, Equatable, Sendable {
    /// No such object, or it belongs to another tenant (the two are indistinguishable on purpose).
    case notFound(String)
    /// A uniqueness rule was broken; `pointer` names the request field.
    case conflict(pointer: String, detail: String)
    /// The input refers to something that cannot be used (a missing parent, a cycle).
    case invalid(pointer: String, detail: String)
}
