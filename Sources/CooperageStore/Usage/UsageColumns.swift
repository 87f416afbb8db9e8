import CooperageCore
import Foundation

/// Orders as the column arrays `usage_import_orders` takes, with a new id for each.
struct UsageColumns: Sendable {
    var ids: [UUID] = []
    var authorizations: [UUID] = []
    var poNumbers: [String] = []
    var orderDates: [String] = []
    var amounts: [Int] = []
    var listCents: [Int] = []
    var paidCents: [Int] = []
    /// Each order's lines as JSON text.
    var lines: [String] = []

    init<Orders: Collection<NewUsage>>(_ orders: Orders) {
        ids = UUID.timeOrdered(count: orders.count)
        authorizations.reserveCapacity(orders.count)
        poNumbers.reserveCapacity(orders.count)
        orderDates.reserveCapacity(orders.count)
        amounts.reserveCapacity(orders.count)
        listCents.reserveCapacity(orders.count)
        paidCents.reserveCapacity(orders.count)
        lines.reserveCapacity(orders.count)
        for order in orders {
            let listed = order.listedTotals
            authorizations.append(order.authorizationId)
            poNumbers.append(order.poNumber)
            orderDates.append(order.orderDate.description)
            amounts.append(order.amountCents)
            listCents.append(listed.listCents)
            paidCents.append(listed.paidCents)
            lines.append(UsageLine.jsonText(order.lines))
        }
    }
}
