public import Foundation

/// Why orders cannot be registered, in the agency's words.
///
/// A batch of orders is accepted or refused as a whole (an import: `usage_import_orders`, sql/schema.sql): every
/// order must name an approved authorization of the agency, be dated within its validity and fit what remains
/// of it, orders on the same authorization taken in turn; purchase-order numbers are unique per agency. The
/// writer checks a batch with this against the authorizations it has locked, and this names every order that
/// breaks a condition; the database checks again as it writes.
///
/// ```swift
/// let reasons = UsageCheck.reasons(for: orders, authorizations: facts, registeredPONumbers: ["PO-77"])
/// ```
public enum UsageCheck {
    /// What the conditions read of an authorization.
    public struct Authorization: Hashable, Sendable {
        public var outcome: String
        public var authorizedCents: Int
        public var usedCents: Int
        public var validFrom: LocalDate?
        public var validUntil: LocalDate?

        public init(outcome: String, authorizedCents: Int, usedCents: Int, validFrom: LocalDate?, validUntil: LocalDate?) {
            self.outcome = outcome
            self.authorizedCents = authorizedCents
            self.usedCents = usedCents
            self.validFrom = validFrom
            self.validUntil = validUntil
        }
    }

    /// Every order of `orders` that cannot be registered, with the first condition it breaks (a purchase-order
    /// number already used is reported besides). An order refused does not use up its authorization for the
    /// orders after it. Empty when every order can be registered.
    /// - Parameters:
    ///   - authorizations: the agency's authorizations among those the orders name (missing: not the agency's).
    ///   - registeredPONumbers: purchase-order numbers of `orders` the agency has already registered.
    public static func reasons(
        for orders: [NewUsage],
        authorizations: [UUID: Authorization],
        registeredPONumbers: Set<String>
    ) -> [UsageRejection.Reason] {
        var authorizations = authorizations
        var reasons: [UsageRejection.Reason] = []
        var seen: Set<String> = []
        for (index, order) in orders.enumerated() {
            func reject(_ pointer: String, _ detail: String) {
                reasons.append(.init(index: index, pointer: pointer, detail: detail))
            }
            if registeredPONumbers.contains(order.poNumber) {
                reject("/poNumber", "purchase order \(order.poNumber) is already registered by this agency")
            } else if !seen.insert(order.poNumber).inserted {
                reject("/poNumber", "purchase order \(order.poNumber) appears twice")
            }
            guard var authorization = authorizations[order.authorizationId] else {
                reject("/authorizationId", "no authorization of this agency has this id")
                continue
            }
            guard authorization.outcome == "approved" else {
                reject("/authorizationId", "the authorization is \(authorization.outcome), not approved")
                continue
            }
            if let from = authorization.validFrom, let until = authorization.validUntil,
                !(from <= order.orderDate && order.orderDate <= until)
            {
                reject("/orderDate", "\(order.orderDate) is outside the authorization's validity, \(from) to \(until)")
                continue
            }
            let remaining = authorization.authorizedCents - authorization.usedCents
            if order.amountCents > remaining {
                reject(
                    "/amountCents",
                    "\(MoneyFormatter.dollars(cents: order.amountCents)) exceeds the \(MoneyFormatter.dollars(cents: remaining)) the authorization still allows"
                )
                continue
            }
            authorization.usedCents += order.amountCents
            authorizations[order.authorizationId] = authorization
        }
        return reasons
    }
}
