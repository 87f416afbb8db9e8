import CooperageCore

/// `quantity: 2.5` in tests: the literal's shortest decimal text is the quantity (at most 4 decimals).
extension Quantity: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) {
        self = Quantity(value.description) ?? Quantity(tenThousandths: 0)
    }
}
