public import Foundation

/// A purchase order placed under an approved authorization (`POST /v1/usage`, or one order of an import).
public struct NewUsage: Codable, Hashable, Sendable, JSONRequestBody {
    public var authorizationId: UUID
    /// Unique per agency.
    public var poNumber: String
    public var orderDate: LocalDate
    public var amountCents: Int
    public var lines: [UsageLine]

    /// The members a body may carry (``JSONRequestBody``).
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case authorizationId, poNumber, orderDate, amountCents, lines
    }

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
        if po.isEmpty || (po.utf8.count > 100 && po.unicodeScalars.count > 100) || po != poNumber {
            issues.append(FieldIssue(pointer: "/poNumber", detail: "must be 1 to 100 characters without surrounding spaces"))
        }
        if let issue = Money.issue(amountCents, at: "/amountCents") { issues.append(issue) }
        if lines.isEmpty { issues.append(FieldIssue(pointer: "/lines", detail: "must list at least one line")) }
        if lines.count > Self.maximumLines {
            issues.append(FieldIssue(pointer: "/lines", detail: "must list at most \(Self.maximumLines) lines"))
            return issues
        }
        for (index, line) in lines.enumerated() { issues += line.issues(at: "/lines/\(index)") }
        guard issues.isEmpty, !lines.isEmpty else { return issues }
        guard let total = linesTotalCents else {
            issues.append(FieldIssue(pointer: "/lines", detail: "the lines add up to more than \(Money.maximumText)"))
            return issues
        }
        if listedTotalsChecked == nil {
            issues.append(
                FieldIssue(pointer: "/lines", detail: "the lines' list prices add up to more than \(Money.maximumText)")
            )
        }
        if total != amountCents {
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

    /// The most lines one order may have.
    public static let maximumLines = 10_000

    /// The checked sum of the lines' totals; nil when a line or the sum passes ``Money/maximumCents``.
    public var linesTotalCents: Int? {
        var totals: [Int] = []
        totals.reserveCapacity(lines.count)
        for line in lines {
            guard let total = line.totalCents else { return nil }
            totals.append(total)
        }
        return Money.sum(totals)
    }

    /// Of the lines with a list price: (list total, paid total). An order with ``issues`` is never stored, so the
    /// zeros for sums out of bounds are never seen.
    public var listedTotals: (listCents: Int, paidCents: Int) { listedTotalsChecked ?? (0, 0) }

    private var listedTotalsChecked: (listCents: Int, paidCents: Int)? {
        var list: [Int] = []
        var paid: [Int] = []
        for line in lines where line.listPriceCents != nil {
            guard let listTotal = line.listTotalCents, let paidTotal = line.totalCents else { return nil }
            list.append(listTotal)
            paid.append(paidTotal)
        }
        guard let listCents = Money.sum(list), let paidCents = Money.sum(paid) else { return nil }
        return (listCents, paidCents)
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
