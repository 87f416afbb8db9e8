/// Reads one JSON object of rule parameters into typed values, collecting ``PolicyIssue``s with JSON
/// pointers instead of throwing, so one pass reports every problem.
///
/// Rules read each key once; ``rejectUnknownKeys()`` then reports keys nobody asked for (usually typos).
struct ParameterReader {
    /// Pointer to the object being read, for example `/rules/2/parameters`.
    let pointer: String
    private let members: [String: JSONValue]
    private(set) var issues: [PolicyIssue] = []
    private var readKeys: Set<String> = []

    init(_ parameters: JSONValue, pointer: String) {
        self.pointer = pointer
        if case .object(let members) = parameters {
            self.members = members
        } else {
            self.members = [:]
            issues.append(PolicyIssue(pointer: pointer, detail: "must be a JSON object, got \(parameters.typeName)"))
        }
    }

    /// The pointer to member `key` (escaped as RFC 6901 requires).
    func pointer(to key: String) -> String {
        pointer + "/" + JSONPointer.escape(key)
    }

    /// Reads a key that must be present (and not null).
    mutating func required<Value>(_ key: String, _ decoder: ParameterDecoder<Value>) -> Value? {
        guard let value = take(key) else {
            issues.append(PolicyIssue(pointer: pointer(to: key), detail: "is required (\(decoder.expectation))"))
            return nil
        }
        return decoder.decode(value, pointer(to: key), &issues)
    }

    /// Reads a key that may be absent or null.
    mutating func optional<Value>(_ key: String, _ decoder: ParameterDecoder<Value>) -> Value? {
        guard let value = take(key) else { return nil }
        return decoder.decode(value, pointer(to: key), &issues)
    }

    /// Reads a key that may be absent or null, falling back to `defaultValue`.
    mutating func optional<Value>(_ key: String, _ decoder: ParameterDecoder<Value>, default defaultValue: Value)
        -> Value
    {
        optional(key, decoder) ?? defaultValue
    }

    /// Whether the key is present with a non-null value (without reading it).
    func has(_ key: String) -> Bool {
        if let value = members[key], value != .null { return true }
        return false
    }

    /// Records a problem at a path below the object (`report("...", at: "accounts", "1")`), or at the
    /// object itself when the problem involves several keys.
    mutating func report(_ detail: String, at path: String...) {
        let suffix = path.map { "/" + JSONPointer.escape($0) }.joined()
        issues.append(PolicyIssue(pointer: pointer + suffix, detail: detail))
    }

    /// Reports every key that was never read.
    mutating func rejectUnknownKeys() {
        for key in members.keys.sorted() where !readKeys.contains(key) {
            issues.append(PolicyIssue(pointer: pointer(to: key), detail: "is not a parameter of this rule"))
        }
    }

    private mutating func take(_ key: String) -> JSONValue? {
        readKeys.insert(key)
        guard let value = members[key], value != .null else { return nil }
        return value
    }
}

/// RFC 6901 JSON pointer helpers.
enum JSONPointer {
    /// Escapes a member name for use as a pointer token (`~` -> `~0`, `/` -> `~1`).
    static func escape(_ token: String) -> String {
        var escaped = ""
        for character in token {
            switch character {
            case "~": escaped += "~0"
            case "/": escaped += "~1"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
