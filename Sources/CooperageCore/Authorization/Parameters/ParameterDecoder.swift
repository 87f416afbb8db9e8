/// Turns one JSON value into a typed parameter, or records why it cannot.
struct ParameterDecoder<Value> {
    /// What the decoder expects, for "is required" messages.
    let expectation: String
    let decode: (_ value: JSONValue, _ pointer: String, _ issues: inout [PolicyIssue]) -> Value?

    /// Applies a further check or conversion; `transform` returns the value or a problem description.
    func map<Other>(
        expecting expectation: String? = nil,
        _ transform: @escaping (Value) -> Result<Other, ParameterProblem>
    )
        -> ParameterDecoder<Other>
    {
        ParameterDecoder<Other>(expectation: expectation ?? self.expectation) { value, pointer, issues in
            guard let decoded = decode(value, pointer, &issues) else { return nil }
            switch transform(decoded) {
            case .success(let other): return other
            case .failure(let problem):
                issues.append(PolicyIssue(pointer: pointer, detail: problem.detail))
                return nil
            }
        }
    }
}

/// A problem description used by ``ParameterDecoder/map(expecting:_:)``.
struct ParameterProblem: Error {
    let detail: String
    init(_ detail: String) { self.detail = detail }
}

/// The largest amount of money a parameter may hold: $10 trillion keeps every sum far from overflow.
let maximumParameterCents = Money.maximumCents

extension ParameterDecoder where Value == Int {
    /// A whole number within `range`.
    static func integer(in range: ClosedRange<Int>) -> ParameterDecoder<Int> {
        ParameterDecoder(expectation: "a whole number from \(range.lowerBound) to \(range.upperBound)") {
            value,
            pointer,
            issues in
            guard let number = value.intValue else {
                issues.append(PolicyIssue(pointer: pointer, detail: "must be a whole number, got \(value.typeName)"))
                return nil
            }
            guard range.contains(number) else {
                issues.append(
                    PolicyIssue(
                        pointer: pointer,
                        detail: "must be from \(range.lowerBound) to \(range.upperBound), got \(number)"
                    )
                )
                return nil
            }
            return number
        }
    }

    /// Money as a whole, non-negative number of cents.
    static var cents: ParameterDecoder<Int> {
        ParameterDecoder(expectation: "a whole number of cents") { value, pointer, issues in
            guard let number = value.intValue else {
                issues.append(
                    PolicyIssue(pointer: pointer, detail: "must be a whole number of cents, got \(value.typeName)")
                )
                return nil
            }
            guard (0...maximumParameterCents).contains(number) else {
                issues.append(
                    PolicyIssue(
                        pointer: pointer,
                        detail: "must be from 0 to \(maximumParameterCents) cents, got \(number)"
                    )
                )
                return nil
            }
            return number
        }
    }
}

extension ParameterDecoder where Value == Bool {
    static var bool: ParameterDecoder<Bool> {
        ParameterDecoder(expectation: "true or false") { value, pointer, issues in
            guard let flag = value.boolValue else {
                issues.append(PolicyIssue(pointer: pointer, detail: "must be true or false, got \(value.typeName)"))
                return nil
            }
            return flag
        }
    }
}

extension ParameterDecoder where Value == String {
    /// A string with at least one non-blank character.
    static var text: ParameterDecoder<String> {
        ParameterDecoder(expectation: "a non-empty string") { value, pointer, issues in
            guard let text = value.stringValue else {
                issues.append(PolicyIssue(pointer: pointer, detail: "must be a string, got \(value.typeName)"))
                return nil
            }
            guard !text.allSatisfy(\.isWhitespace) else {
                issues.append(PolicyIssue(pointer: pointer, detail: "must not be empty"))
                return nil
            }
            return text
        }
    }

    /// A UNSPSC prefix of 2, 4, 6 or 8 digits.
    static var unspscPrefix: ParameterDecoder<String> {
        text.map(expecting: "a UNSPSC prefix of 2, 4, 6 or 8 digits") { text in
            UNSPSC.isPrefix(text)
                ? .success(text)
                : .failure(ParameterProblem("must be a UNSPSC prefix of 2, 4, 6 or 8 digits, got \"\(text)\""))
        }
    }
}

extension ParameterDecoder where Value == LocalDate {
    /// A calendar date written `yyyy-MM-dd`.
    static var date: ParameterDecoder<LocalDate> {
        ParameterDecoder<String>.text.map(expecting: "a date written yyyy-MM-dd") { text in
            LocalDate(iso8601: text).map { .success($0) }
                ?? .failure(ParameterProblem("must be a date written yyyy-MM-dd, got \"\(text)\""))
        }
    }
}

extension ParameterDecoder where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
    /// One of the enumeration's raw values.
    static var choice: ParameterDecoder<Value> {
        let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
        return ParameterDecoder<String>.text.map(expecting: "one of \(allowed)") { text in
            Value(rawValue: text).map { .success($0) }
                ?? .failure(ParameterProblem("must be one of \(allowed), got \"\(text)\""))
        }
    }
}

extension ParameterDecoder {
    /// A JSON array whose elements all decode with `element`.
    static func list<Element>(
        of element: ParameterDecoder<Element>,
        nonEmpty: Bool = false,
        unique: Bool = true
    ) -> ParameterDecoder<[Element]> where Value == [Element] {
        ParameterDecoder(expectation: "an array of \(element.expectation)") { value, pointer, issues in
            guard let elements = value.arrayValue else {
                issues.append(PolicyIssue(pointer: pointer, detail: "must be an array, got \(value.typeName)"))
                return nil
            }
            if nonEmpty, elements.isEmpty {
                issues.append(PolicyIssue(pointer: pointer, detail: "must list at least one entry"))
                return nil
            }
            var decoded: [Element] = []
            var failed = false
            for (index, item) in elements.enumerated() {
                if unique, elements[..<index].contains(item) {
                    issues.append(PolicyIssue(pointer: "\(pointer)/\(index)", detail: "repeats an earlier entry"))
                    failed = true
                    continue
                }
                if let value = element.decode(item, "\(pointer)/\(index)", &issues) {
                    decoded.append(value)
                } else {
                    failed = true
                }
            }
            return failed ? nil : decoded
        }
    }

    /// A nested JSON object read with its own ``ParameterReader`` (unknown keys rejected).
    static func object(
        expecting expectation: String,
        _ read: @escaping (inout ParameterReader) -> Value?
    ) -> ParameterDecoder<Value> {
        ParameterDecoder(expectation: expectation) { value, pointer, issues in
            var reader = ParameterReader(value, pointer: pointer)
            let decoded = read(&reader)
            reader.rejectUnknownKeys()
            let problems = reader.issues
            issues.append(contentsOf: problems)
            return problems.isEmpty ? decoded : nil
        }
    }
}

extension ParameterDecoder where Value == USState {
    /// A two-letter US state code.
    static var state: ParameterDecoder<USState> {
        ParameterDecoder<String>.text.map(expecting: "a two-letter US state code") { text in
            USState(text).map { .success($0) }
                ?? .failure(ParameterProblem("must be a two-letter US state code, got \"\(text)\""))
        }
    }
}
