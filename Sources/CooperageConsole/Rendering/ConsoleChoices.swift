/// The options of a `<select>` as templates read them (`value`, `selected`).
enum ConsoleChoices {
    static func of(_ values: [String], selected: String?) -> [[String: any Sendable]] {
        values.map { ["value": $0, "selected": $0 == selected] }
    }

    /// Every value of an enumeration, the one whose raw value is `selected` marked.
    static func of<T: RawRepresentable & CaseIterable>(_ type: T.Type, selected: String?) -> [[String: any Sendable]]
    where T.RawValue == String {
        of(T.allCases.map(\.rawValue), selected: selected)
    }
}
