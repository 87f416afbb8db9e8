/// The system gates: always evaluated before the tenant's rules, not configurable (Cooperage README, section Authorizing a piggyback purchase).
///
/// Each gate is a pure function of the ``AuthorizationContext``; the cases are listed in evaluation order.
public enum SystemGate: String, CaseIterable, Codable, Hashable, Sendable {
    /// The tenant's status is active.
    case tenantActive = "tenant-active"
    /// A participation instrument covering this agreement is in force on the purchase date.
    case participationInForce = "participation-in-force"
    /// The agreement is active and the purchase date lies within its term.
    case agreementInTerm = "agreement-in-term"
    /// The agreement admits the tenant's entity type.
    case entityTypeEligible = "entity-type-eligible"
    /// The agreement admits the tenant's state.
    case stateEligible = "state-eligible"
    /// The supplier is not suspended or debarred on the purchase date.
    case supplierEligible = "supplier-eligible"
    /// All agencies' commitments plus this request stay within the agreement's ceiling.
    case ceilingAvailable = "ceiling-available"

    /// Evaluates the gate.
    public func evaluate(_ context: AuthorizationContext) -> RuleResult {
        let (outcome, message) = check(context)
        return RuleResult(
            kind: .gate,
            rule: rawValue,
            ruleIndex: nil,
            outcome: outcome,
            message: message,
            citation: basis(context)
        )
    }

    /// Where the gate comes from, in plain words.
    public func basis(_ context: AuthorizationContext) -> String {
        let agreement = "Master Agreement \(context.agreement.number)"
        return switch self {
        case .tenantActive:
            "Cooperage system gate: only active participating agencies may use cooperative agreements (Cooperage README, section Authorizing a piggyback purchase)."
        case .participationInForce:
            "Cooperage system gate: a participation instrument (MICPA, interlocal agreement, registration or participating addendum) must be in force on the purchase date (Cooperage README, section Authorizing a piggyback purchase)."
        case .agreementInTerm:
            "\(agreement): status and term \(context.agreement.effectiveOn) to \(context.agreement.expiresOn); orders must fall inside the term (Cooperage README, section Authorizing a piggyback purchase)."
        case .entityTypeEligible:
            "\(agreement): entity types eligible to use the agreement (Cooperage README, section Authorizing a piggyback purchase)."
        case .stateEligible:
            "\(agreement): states whose agencies may use the agreement (Cooperage README, section Authorizing a piggyback purchase)."
        case .supplierEligible:
            "Cooperage system gate: no purchases from a suspended or debarred supplier (Cooperage README, section Authorizing a piggyback purchase)."
        case .ceilingAvailable:
            "\(agreement): ceiling shared by all participating agencies' authorized and registered use (Cooperage README, section Authorizing a piggyback purchase)."
        }
    }

    private func check(_ context: AuthorizationContext) -> (RuleOutcome, String) {
        let date = context.request.purchaseDate
        let agreement = context.agreement
        let tenant = context.tenant
        switch self {
        case .tenantActive:
            return tenant.active
                ? (.pass, "Agency \(tenant.id.uuidString.lowercased()) is active.")
                : (
                    .fail,
                    "Agency \(tenant.id.uuidString.lowercased()) is not active; only active agencies may use cooperative agreements."
                )

        case .participationInForce:
            let inForce = context.participationInstrumentsInForce
            guard let first = inForce.first else {
                return (
                    .fail, "No participation instrument covering agreement \(agreement.number) is in force on \(date)."
                )
            }
            let kinds = plainList(Array(Set(inForce.map(\.kind.rawValue))).sorted())
            let until = first.expiresOn.map { " until \($0)" } ?? ""
            return (
                .pass,
                inForce.count == 1
                    ? "\(withArticle(kinds).capitalizedFirst) is in force on \(date) (effective \(first.effectiveOn)\(until))."
                    : "\(inForce.count) participation instruments are in force on \(date) (\(kinds))."
            )

        case .agreementInTerm:
            guard agreement.status == .active else {
                return (.fail, "Agreement \(agreement.number) is \(agreement.status.rawValue), not active.")
            }
            guard date >= agreement.effectiveOn, date <= agreement.expiresOn else {
                return (
                    .fail,
                    "The purchase date \(date) is outside agreement \(agreement.number)'s term, \(agreement.effectiveOn) to \(agreement.expiresOn)."
                )
            }
            return (
                .pass,
                "Agreement \(agreement.number) is active and \(date) is within its term, \(agreement.effectiveOn) to \(agreement.expiresOn)."
            )

        case .entityTypeEligible:
            guard !agreement.eligibleEntityTypes.isEmpty else {
                return (.pass, "Agreement \(agreement.number) is open to every entity type.")
            }
            let eligible = plainList(agreement.eligibleEntityTypes.map(\.rawValue))
            return agreement.eligibleEntityTypes.contains(tenant.entityType)
                ? (.pass, "Agreement \(agreement.number) is open to \(tenant.entityType.rawValue) agencies.")
                : (
                    .fail,
                    "Agreement \(agreement.number) is open to \(eligible) only; this agency's entity type is \(tenant.entityType.rawValue)."
                )

        case .stateEligible:
            guard !agreement.eligibleStates.isEmpty else {
                return (.pass, "Agreement \(agreement.number) is open to agencies in every state.")
            }
            let eligible = plainList(agreement.eligibleStates.map(\.code))
            return agreement.eligibleStates.contains(tenant.state)
                ? (.pass, "Agreement \(agreement.number) is open to agencies in \(tenant.state).")
                : (
                    .fail,
                    "Agreement \(agreement.number) is open to agencies in \(eligible) only; this agency is in \(tenant.state)."
                )

        case .supplierEligible:
            let supplier = agreement.supplier
            switch supplier.status {
            case .active:
                return (.pass, "Supplier \(supplier.name) is active.")
            case .suspended, .debarred:
                if let since = supplier.statusEffectiveOn, since > date {
                    return (
                        .warn,
                        "Supplier \(supplier.name) is \(supplier.status.rawValue) from \(since), after the purchase date \(date); orders after that day are not allowed."
                    )
                }
                let since = supplier.statusEffectiveOn.map { " since \($0)" } ?? ""
                return (.fail, "Supplier \(supplier.name) is \(supplier.status.rawValue)\(since).")
            }

        case .ceilingAvailable:
            let committed = context.committedOnAgreementCents
            let total = saturatingSum([committed, context.request.amountCents])
            guard let ceiling = agreement.ceilingCents else {
                // Without a ceiling the agreement's shared counter still has a bound, so it can never overflow.
                guard total > Money.maximumCommittedCents else {
                    return (.notApplicable, "Agreement \(agreement.number) has no ceiling.")
                }
                return (
                    .fail,
                    "Agreement \(agreement.number) has no ceiling, but all agencies' commitments on one agreement are limited to \(formatDollars(Money.maximumCommittedCents)); \(formatDollars(committed)) is already committed."
                )
            }
            let figures =
                "\(formatDollars(committed)) already committed by all agencies plus this request's \(formatDollars(context.request.amountCents)) makes \(formatDollars(total))"
            return total <= ceiling
                ? (
                    .pass,
                    "\(figures), within the \(formatDollars(ceiling)) ceiling; \(formatDollars(saturatingDifference(ceiling, total))) would remain."
                )
                : (.fail, "\(figures), over the \(formatDollars(ceiling)) ceiling of agreement \(agreement.number).")
        }
    }
}
