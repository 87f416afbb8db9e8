import Foundation

/// One line of a purchase order.
public struct UsageLine: Codable, Hashable, Sendable {
    public var description: String
    /// UNSPSC commodity code (8 digits).
    public var unspsc: String
    /// How many units; fractions allowed (hours, pounds), at most 4 decimals, held exactly.
    public var quantity: Quantity
    public var unitPriceCents: Int
    /// The supplier's list price per unit, when known: savings are measured against it.
    public var listPriceCents: Int?

    public init(description: String, unspsc: String, quantity: Quantity, unitPriceCents: Int, listPriceCents: Int? = nil) {
        self.description = description
        self.unspsc = unspsc
        self.quantity = quantity
        self.unitPriceCents = unitPriceCents
        self.listPriceCents = listPriceCents
    }

    /// quantity x unit price, in exact decimal arithmetic rounded half away from zero to the cent; nil when it
    /// would pass ``Money/maximumCents`` (``issues(at:)`` reports that).
    public var totalCents: Int? { quantity.total(ofCents: unitPriceCents) }
    /// quantity x list price, when a list price is known; nil also when it passes ``Money/maximumCents``.
    public var listTotalCents: Int? { listPriceCents.flatMap { quantity.total(ofCents: $0) } }

    /// - Parameter base: the line's JSON pointer, only made when there is an issue to report.
    public func issues(at base: @autoclosure () -> String) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if description.isBlank || (description.utf8.count > 500 && description.count > 500) {
            issues.append(FieldIssue(pointer: "\(base())/description", detail: "must be 1 to 500 characters"))
        }
        if !UsageLine.isUNSPSC(unspsc) {
            issues.append(FieldIssue(pointer: "\(base())/unspsc", detail: "must be an 8-digit UNSPSC code"))
        }
        if quantity.tenThousandths <= 0 || quantity > Quantity.maximum {
            issues.append(
                FieldIssue(
                    pointer: "\(base())/quantity",
                    detail: "must be a positive number with at most 4 decimals, at most \(Quantity.maximum)"
                )
            )
        }
        if let issue = Money.issue(unitPriceCents, at: "\(base())/unitPriceCents", allowZero: true) {
            issues.append(issue)
        } else if totalCents == nil {
            issues.append(
                FieldIssue(
                    pointer: "\(base())/unitPriceCents",
                    detail: "quantity x unit price must be at most \(Money.maximumText)"
                )
            )
        }
        if let list = listPriceCents {
            if let issue = Money.issue(list, at: "\(base())/listPriceCents", allowZero: true) {
                issues.append(issue)
            } else if listTotalCents == nil {
                issues.append(
                    FieldIssue(
                        pointer: "\(base())/listPriceCents",
                        detail: "quantity x list price must be at most \(Money.maximumText)"
                    )
                )
            }
        }
        return issues
    }

    /// Eight ASCII digits (checked on the UTF-8 bytes: the same test as eight characters that are ASCII digits).
    static func isUNSPSC(_ code: String) -> Bool {
        code.utf8.count == 8 && code.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// Lines as a JSON array, the same as `JSONEncoder` would write them (for the `lines` column of an import's
    /// thousands of orders, where the encoder would take most of the time).
    public static func jsonText(_ lines: [UsageLine]) -> String {
        var json = JSONText(capacity: 128 * lines.count)
        json.array { array in
            for line in lines {
                array.object { object in
                    object.member("description") { $0.string(line.description) }
                    if let list = line.listPriceCents { object.member("listPriceCents") { $0.int(list) } }
                    object.member("quantity") { $0.raw(line.quantity.description.utf8) }
                    object.member("unitPriceCents") { $0.int(line.unitPriceCents) }
                    object.member("unspsc") { $0.string(line.unspsc) }
                }
            }
        }
        return json.text
    }
}
