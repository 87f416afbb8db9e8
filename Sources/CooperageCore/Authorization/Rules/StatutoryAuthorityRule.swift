/// `statutory-authority`: the state's enabling law lets this entity type piggyback, on agreements from
/// these lead-agency jurisdictions, until an optional sunset date.
///
/// Parameters:
/// - `state` (optional): the state whose statute this is; agencies of other states: not-applicable.
/// - `entityTypes` (required): entity types the statute covers.
/// - `allowedLeadJurisdictions` (required): any of `in-state`, `out-of-state`, `federal`.
/// - `sunsetOn` (optional): last day the authority exists; later purchases fail.
/// - `sunsetWarningDays` (default 90): warn when the sunset is this close after the purchase date.
///
/// Examples: Tex. Local Gov't Code 271.102 (other states since SB 1281, 2015); NY GML 103(16).
struct StatutoryAuthorityRule: AuthorizationRule {
    let state: USState?
    let entityTypes: [EntityType]
    let allowedLeadJurisdictions: [AuthorizationContext.LeadJurisdiction]
    let sunsetOn: LocalDate?
    let sunsetWarningDays: Int

    init?(parameters: inout ParameterReader) {
        state = parameters.optional("state", .state)
        let entityTypes: [EntityType]? = parameters.required("entityTypes", .list(of: .choice, nonEmpty: true))
        let jurisdictions: [AuthorizationContext.LeadJurisdiction]? = parameters.required(
            "allowedLeadJurisdictions",
            .list(of: .choice, nonEmpty: true)
        )
        sunsetOn = parameters.optional("sunsetOn", .date)
        sunsetWarningDays = parameters.optional("sunsetWarningDays", .integer(in: 0...3650), default: 90)
        guard let entityTypes, let jurisdictions else { return nil }
        self.entityTypes = entityTypes
        self.allowedLeadJurisdictions = jurisdictions
    }

    func evaluate(_ input: RuleInput) -> RuleEvaluation {
        let tenant = input.context.tenant
        if let state, state != tenant.state {
            return .notApplicable("This is a \(state) statute; the agency is in \(tenant.state).")
        }
        guard entityTypes.contains(tenant.entityType) else {
            return .fail(
                "The statute covers entity types \(plainList(entityTypes.map(\.rawValue))); this agency's entity type is \(tenant.entityType.rawValue)."
            )
        }
        if let sunsetOn, input.purchaseDate > sunsetOn {
            return .fail(
                "The statutory authority sunset on \(sunsetOn); the purchase date \(input.purchaseDate) is after it."
            )
        }
        let lead = input.context.agreement.leadAgency
        guard let jurisdiction = input.context.leadJurisdiction else {
            return .fail("The lead agency \(lead.name) has no state on record, so its jurisdiction cannot be checked.")
        }
        guard allowedLeadJurisdictions.contains(jurisdiction) else {
            return .fail(
                "The lead agency \(lead.name) is \(describe(jurisdiction, lead: lead)); the statute allows \(plainList(allowedLeadJurisdictions.map(\.rawValue))) lead agencies only."
            )
        }
        let allowed =
            "Entity type \(tenant.entityType.rawValue) in \(tenant.state) may use agreements let by \(describe(jurisdiction, lead: lead)) lead agencies (\(lead.name))"
        if let sunsetOn, input.purchaseDate.days(until: sunsetOn) <= sunsetWarningDays {
            return .warn(
                "\(allowed), but the authority sunsets on \(sunsetOn), \(input.purchaseDate.days(until: sunsetOn)) days after the purchase date."
            )
        }
        return .pass(allowed + (sunsetOn.map { " until the sunset on \($0)." } ?? "."))
    }

    private func describe(_ jurisdiction: AuthorizationContext.LeadJurisdiction, lead: AuthorizationContext.LeadAgency)
        -> String
    {
        switch jurisdiction {
        case .federal: "federal"
        case .inState: "in-state"
        case .outOfState: "out-of-state" + (lead.state.map { " (\($0))" } ?? "")
        }
    }
}
