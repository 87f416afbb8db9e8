/// Decides an authorization request: system gates first, then the tenant's policy rules in order.
///
/// Pure and deterministic: the same context and policy always give the same decision.
/// ```swift
/// let decision = AuthorizationEngine.decide(context, policy: rules)
/// if decision.outcome == .approved { print(decision.authorizedAmountCents, decision.validUntil!) }
/// ```
public enum AuthorizationEngine {
    /// Evaluates every gate and rule and combines them: denied if any fails, pending if any needs an
    /// approval or evidence, approved otherwise.
    ///
    /// An approved decision authorizes the request amount from the purchase date for `validityDays` days,
    /// but never past the agreement's expiry or the expiry of the participation instruments in force.
    /// A rule that cannot be read (unknown type, bad parameters) fails, so a broken policy never approves.
    public static func decide(_ context: AuthorizationContext, policy: [PolicyRule], validityDays: Int = 90)
        -> Decision
    {
        let gates = SystemGate.allCases.map { $0.evaluate(context) }
        let rules = policy.enumerated().map { index, rule in evaluate(rule, at: index, in: context) }
        let results = gates + rules
        let outcome = DecisionOutcome(combining: results.map(\.outcome))
        guard outcome == .approved else {
            return Decision(
                outcome: outcome,
                results: results,
                authorizedAmountCents: 0,
                validFrom: nil,
                validUntil: nil
            )
        }
        let validFrom = context.request.purchaseDate
        return Decision(
            outcome: .approved,
            results: results,
            authorizedAmountCents: context.request.amountCents,
            validFrom: validFrom,
            validUntil: validUntil(context, from: validFrom, days: validityDays)
        )
    }

    /// Evaluates one policy rule at position `index`.
    public static func evaluate(_ rule: PolicyRule, at index: Int, in context: AuthorizationContext) -> RuleResult {
        let citation = rule.citation.allSatisfy(\.isWhitespace) ? nil : rule.citation
        func result(_ outcome: RuleOutcome, _ message: String) -> RuleResult {
            RuleResult(
                kind: .rule,
                rule: rule.type,
                ruleIndex: index,
                outcome: outcome,
                message: message,
                citation: citation
            )
        }
        let (parsed, issues) = PolicyValidator.parse(rule, pointer: "/rules/\(index)")
        guard let parsed, let type = RuleType(rawValue: rule.type) else {
            return result(
                .fail,
                "This rule cannot be evaluated, so the request cannot be approved: "
                    + issues.map(\.description).joined(separator: "; ") + "."
            )
        }
        let date = context.request.purchaseDate
        guard rule.isInEffect(on: date) else {
            let from = rule.effectiveOn.map { " from \($0)" } ?? ""
            let until = rule.expiresOn.map { " until \($0)" } ?? ""
            return result(
                .notApplicable,
                "The rule is in effect\(from)\(until); the purchase date \(date) is outside that period."
            )
        }
        let evaluation = parsed.evaluate(RuleInput(context: context, ruleIndex: index, ruleType: type))
        return result(evaluation.outcome, evaluation.message)
    }

    private static func validUntil(_ context: AuthorizationContext, from start: LocalDate, days: Int) -> LocalDate {
        // Clamped so a silly validityDays cannot overflow date arithmetic; the agreement's expiry wins anyway.
        var end = min(start.adding(days: min(max(days, 0), 36_500)), context.agreement.expiresOn)
        let instruments = context.participationInstrumentsInForce
        // The authorization lasts as long as some participation instrument does.
        if !instruments.isEmpty, !instruments.contains(where: { $0.expiresOn == nil }) {
            let latest = instruments.compactMap(\.expiresOn).max() ?? end
            end = min(end, latest)
        }
        return max(end, start)
    }
}
