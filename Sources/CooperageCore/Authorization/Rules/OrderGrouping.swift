/// How earlier orders are grouped with this one when amounts are aggregated over a window.
enum OrderGrouping: String, CaseIterable, Sendable {
    /// Same UNSPSC category, compared on its first `categoryDigits` digits.
    case category
    /// Same supplier.
    case supplier
    /// Same Master Agreement.
    case agreement

    /// The tenant's earlier orders in the `windowDays` days ending on the purchase date that belong to
    /// this request's group.
    func orders(for input: RuleInput, windowDays: Int, categoryDigits: Int) -> [AuthorizationContext.PriorOrder] {
        let context = input.context
        let categoryKey = String(input.request.category.prefix(categoryDigits))
        return context.recentOrders.filter { order in
            guard order.date.isInWindow(of: windowDays, endingOn: input.purchaseDate) else { return false }
            switch self {
            case .category: return order.category.prefix(categoryDigits) == categoryKey
            case .supplier: return order.supplierId == context.agreement.supplier.id
            case .agreement: return order.agreementId == context.agreement.id
            }
        }
    }

    /// Words naming the group, for messages.
    func describe(_ input: RuleInput, categoryDigits: Int) -> String {
        switch self {
        case .category: "UNSPSC \(input.request.category.prefix(categoryDigits))"
        case .supplier: "supplier \(input.context.agreement.supplier.name)"
        case .agreement: "agreement \(input.context.agreement.number)"
        }
    }
}
