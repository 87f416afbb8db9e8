import Foundation

/// One line of a purchase order.
public struct UsageLine: Codable, Hashable, Sendable {
    public var description: String
    /// UNSPSC commodity code (8 digits).
    public var unspsc: String
    /// How many units; fractions allowed (hours, pounds), at most 4 decimals.
    public var quantity: Double
    public var unitPriceCents: Int
    /// The supplier's list price per unit, when known: savings are measured against it.
    public var listPriceCents: Int?

    public init(description: String, unspsc: String, quantity: Double, unitPriceCents: Int, listPriceCents: Int? = nil) {
        self.description = description
        self.unspsc = unspsc
        self.quantity = quantity
        self.unitPriceCents = unitPriceCents
        self.listPriceCents = listPriceCents
    }

    /// quantity x unit price, rounded to the cent.
    public var totalCents: Int { Int((quantity * Double(unitPriceCents)).rounded()) }
    /// quantity x list price, when a list price is known.
    public var listTotalCents: Int? { listPriceCents.map { Int((quantity * Double($0)).rounded()) } }

    /// - Parameter base: the line's JSON pointer, only made when there is an issue to report.
    public func issues(at base: @autoclosure () -> String) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if description.isBlank || (description.utf8.count > 500 && description.count > 500) {
            issues.append(FieldIssue(pointer: "\(base())/description", detail: "must be 1 to 500 characters"))
        }
        if !UsageLine.isUNSPSC(unspsc) {
            issues.append(FieldIssue(pointer: "\(base())/unspsc", detail: "must be an 8-digit UNSPSC code"))
        }
        if !(quantity > 0) || quantity > 1e9 || (quantity * 10_000).rounded() / 10_000 != quantity {
            issues.append(FieldIssue(pointer: "\(base())/quantity", detail: "must be a positive number with at most 4 decimals"))
        }
        if unitPriceCents < 0 { issues.append(FieldIssue(pointer: "\(base())/unitPriceCents", detail: "must not be negative")) }
        if let list = listPriceCents, list < 0 {
            issues.append(FieldIssue(pointer: "\(base())/listPriceCents", detail: "must not be negative"))
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
                    object.member("quantity") { $0.double(line.quantity) }
                    object.member("unitPriceCents") { $0.int(line.unitPriceCents) }
                    object.member("unspsc") { $0.string(line.unspsc) }
                }
            }
        }
        return json.text
    }
}
