public import Foundation

/// A purchase order placed under an approved authorization (`POST /v1/usage`, or one order of an import).
public struct NewUsage: Codable, Hashable, Sendable {
    public var authorizationId: UUID
    /// Unique per agency.
    public var poNumber: String
    public var orderDate: LocalDate
    public var amountCents: Int
    public var lines: [UsageLine]

    public static let fields: Set<String> = ["authorizationId", "poNumber", "orderDate", "amountCents", "lines"]

    public init(authorizationId: UUID, poNumber: String, orderDate: LocalDate, amountCents: Int, lines: [UsageLine]) {
        self.authorizationId = authorizationId
        self.poNumber = poNumber
        self.orderDate = orderDate
        self.amountCents = amountCents
        self.lines = lines
    }

    public var issues: [FieldIssue] {
        var issues: [FieldIssue] = []
        let po = poNumber.trimmingSpaces
        if po.isEmpty || (po.utf8.count > 100 && po.count > 100) || po != poNumber {
            issues.append(FieldIssue(pointer: "/poNumber", detail: "must be 1 to 100 characters without surrounding spaces"))
        }
        if amountCents <= 0 { issues.append(FieldIssue(pointer: "/amountCents", detail: "must be a positive number of cents")) }
        if lines.isEmpty { issues.append(FieldIssue(pointer: "/lines", detail: "must list at least one line")) }
        for (index, line) in lines.enumerated() { issues += line.issues(at: "/lines/\(index)") }
        let total = lines.reduce(0) { $0 + $1.totalCents }
        if !lines.isEmpty && issues.isEmpty && total != amountCents {
            issues.append(
                FieldIssue(
                    pointer: "/amountCents",
                    detail:
                        "the lines add up to \(MoneyFormatter.dollars(cents: total)), not \(MoneyFormatter.dollars(cents: amountCents))"
                )
            )
        }
        return issues
    }

    /// Of the lines with a list price: (list total, paid total).
    public var listedTotals: (listCents: Int, paidCents: Int) {
        lines.reduce((0, 0)) { totals, line in
            guard let list = line.listTotalCents else { return totals }
            return (totals.0 + list, totals.1 + line.totalCents)
        }
    }
}

extension NewUsage {
    /// The order's canonical JSON, byte for byte what `JSONEncoder` with sorted keys writes (tested): its digest
    /// identifies a retry of the same registration.
    public var canonicalJSON: [UInt8] {
        var json = JSONText(capacity: 256 + 128 * lines.count)
        json.object { object in
            object.member("amountCents") { $0.int(amountCents) }
            object.member("authorizationId") { $0.string(authorizationId) }
            object.member("lines") { $0.raw(UsageLine.jsonText(lines).utf8) }
            object.member("orderDate") { $0.string(orderDate) }
            object.member("poNumber") { $0.string(poNumber) }
        }
        return json.bytes
    }
}
