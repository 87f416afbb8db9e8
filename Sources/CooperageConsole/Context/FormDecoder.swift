import CooperageAPI
import CooperageCore
import Foundation

/// Turns a posted form into the same request type the API decodes, so a form is checked by exactly the API's
/// validation (the type's decoding, then its `issues`), and each problem is shown next to its field.
struct FormDecoder {
    /// How a form field becomes a JSON member.
    enum Kind {
        case text
        case integer
        /// Dollars typed by a person (`1,234.56`), sent as integer cents.
        case dollars
        case bool
        /// One value per line (or comma), sent as an array of strings.
        case list
    }

    let fields: [(name: String, kind: Kind)]

    /// The decoded value, or the issues keyed by field name (`legalName`), in the order of the form.
    func decode<T: Decodable>(_ type: T.Type, from form: ConsoleForm) -> Result<T, FormIssues> {
        var object: [String: Any] = [:]
        var issues = FormIssues()
        for (name, kind) in fields {
            guard let text = form[name] else {
                if case .bool = kind { object[name] = false }
                continue
            }
            switch kind {
            case .text: object[name] = text
            case .integer:
                guard let number = Int(text) else {
                    issues.add(name, "must be a whole number")
                    continue
                }
                object[name] = number
            case .dollars:
                guard let cents = Self.cents(text) else {
                    issues.add(name, "must be an amount in dollars, such as 1234.56")
                    continue
                }
                object[name] = cents
            case .bool: object[name] = text == "on" || text == "true"
            case .list:
                object[name] = text.split(whereSeparator: { $0 == "\n" || $0 == "," }).map {
                    $0.trimmingCharacters(in: .whitespacesAndNewlines)
                }.filter { !$0.isEmpty }
            }
        }
        guard issues.isEmpty else { return .failure(issues) }
        do {
            let data = try JSONSerialization.data(withJSONObject: object)
            return .success(try JSONCoding.decoder.decode(T.self, from: data))
        } catch let error as DecodingError {
            issues.add(error.fieldIssue)
            return .failure(issues)
        } catch {
            issues.add("", "the form could not be read")
            return .failure(issues)
        }
    }

    /// What the person typed in these fields, to show again beside the errors: a ticked box as `on`, an empty or
    /// absent field left out (a Mustache section treats even an empty string as true).
    func typedValues(of form: ConsoleForm) -> [String: String] {
        var values: [String: String] = [:]
        for (name, kind) in fields {
            guard let text = form[name] else { continue }
            if case .bool = kind { values[name] = "on" } else { values[name] = text }
        }
        return values
    }

    /// Cents from dollars as people write them: `$1,234.56`, `1234.5`, `1234`; nil for anything else.
    static func cents(_ text: String) -> Int? {
        var digits = text.replacingOccurrences(of: ",", with: "")
        if digits.hasPrefix("$") { digits.removeFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 13, parts[0].allSatisfy(\.isASCII),
            let whole = Int(parts[0]), whole >= 0
        else { return nil }
        guard parts.count == 2 else { return whole * 100 }
        guard (1...2).contains(parts[1].count), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let fraction = Int(parts[1])
        else { return nil }
        return whole * 100 + (parts[1].count == 1 ? fraction * 10 : fraction)
    }
}

/// What is wrong with a form, field by field, for the page to show next to each input.
struct FormIssues: Error, Sendable {
    private(set) var byField: [String: [String]] = [:]
    private(set) var general: [String] = []

    var isEmpty: Bool { byField.isEmpty && general.isEmpty }

    mutating func add(_ field: String, _ detail: String) {
        if field.isEmpty { general.append(detail) } else { byField[field, default: []].append(detail) }
    }

    /// An issue of the API's validation: its pointer's first segment names the field.
    mutating func add(_ issue: FieldIssue) {
        let field = issue.pointer.split(separator: "/").first.map(String.init) ?? ""
        add(field, issue.detail)
    }

    init(_ issues: [FieldIssue] = []) {
        for issue in issues { add(issue) }
    }

    /// The template's view: `errors.legalName` is the text shown under that input.
    var templateValues: [String: any Sendable] {
        var values: [String: any Sendable] = [:]
        for (field, details) in byField { values[field] = details.joined(separator: "; ") }
        if !general.isEmpty { values["form"] = general.joined(separator: "; ") }
        return values
    }
}
