/// `participation-instrument`: a participation instrument of a named kind is in force on the purchase date.
///
/// Parameters:
/// - `kind` (required): `master-intergovernmental-agreement`, `interlocal-agreement`, `registration` or
///   `participating-addendum`.
/// - `scope` (default `any`): `per-agreement` (the instrument names this agreement), `per-state` (it covers
///   the agency's state) or `any`.
/// - `requireResolution` (default false): the instrument must carry the governing body's resolution
///   number and a date on or before the purchase date (Tex. Gov't Code 791.011(d)(1)).
/// - `expiryWarningDays` (default 0, off): warn when the instrument expires this close after the purchase.
struct ParticipationInstrumentRule: AuthorizationRule {
    enum Scope: String, CaseIterable, Sendable {
        case perAgreement = "per-agreement"
        case perState = "per-state"
        case any
    }

    let kind: AuthorizationContext.ParticipationInstrumentKind
    let scope: Scope
    let requireResolution: Bool
    let expiryWarningDays: Int

    init?(parameters: inout ParameterReader) {
        let kind: AuthorizationContext.ParticipationInstrumentKind? = parameters.required("kind", .choice)
        scope = parameters.optional("scope", .choice, default: .any)
        requireResolution = parameters.optional("requireResolution", .bool, default: false)
        expiryWarningDays = parameters.optional("expiryWarningDays", .integer(in: 0...3650), default: 0)
        guard let kind else { return nil }
        self.kind = kind
    }

    func evaluate(_ input: RuleInput) -> RuleEvaluation {
        let context = input.context
        let scoped = context.participationInstruments.filter { instrument in
            guard instrument.kind == kind else { return false }
            let agreementMatches = instrument.agreementId == nil || instrument.agreementId == context.agreement.id
            let stateMatches = instrument.state == nil || instrument.state == context.tenant.state
            switch scope {
            case .any: return agreementMatches && stateMatches
            case .perAgreement: return instrument.agreementId == context.agreement.id && stateMatches
            case .perState: return instrument.state == context.tenant.state && agreementMatches
            }
        }
        let wanted = withArticle(kind.rawValue) + scopeWords(context)
        let inForce = scoped.filter { $0.isInForce(on: input.purchaseDate) }
        guard !inForce.isEmpty else {
            if let lapsed = scoped.max(by: { $0.effectiveOn < $1.effectiveOn }) {
                return .fail(
                    "\(wanted.capitalizedFirst) is on file (\(period(lapsed))) but not in force on the purchase date \(input.purchaseDate)."
                )
            }
            return .fail("No \(kind.rawValue)\(scopeWords(context)) is on file.")
        }
        let eligible =
            requireResolution
            ? inForce.filter { instrument in
                guard let number = instrument.resolutionNumber, !number.allSatisfy(\.isWhitespace),
                    let date = instrument.resolutionDate
                else { return false }
                return date <= input.purchaseDate
            } : inForce
        guard let chosen = eligible.max(by: laterExpiry) else {
            return .needsEvidence(
                "\(wanted.capitalizedFirst) is in force, but its authorizing resolution (number and a date on or before \(input.purchaseDate)) is not on file."
            )
        }
        var message = "\(wanted.capitalizedFirst) is in force (\(period(chosen))"
        if let number = chosen.resolutionNumber, let date = chosen.resolutionDate {
            message += ", resolution \(number) of \(date)"
        }
        message += ")."
        if expiryWarningDays > 0, let expiresOn = chosen.expiresOn,
            input.purchaseDate.days(until: expiresOn) <= expiryWarningDays
        {
            return .warn(
                message
                    + " It expires on \(expiresOn), \(input.purchaseDate.days(until: expiresOn)) days after the purchase date; renew it."
            )
        }
        return .pass(message)
    }

    /// Orders instruments so that the one lasting longest (open-ended first) comes out as the maximum.
    private func laterExpiry(
        _ lhs: AuthorizationContext.ParticipationInstrument,
        _ rhs: AuthorizationContext.ParticipationInstrument
    ) -> Bool {
        switch (lhs.expiresOn, rhs.expiresOn) {
        case (nil, _): false
        case (_, nil): true
        case (let left?, let right?): left < right
        }
    }

    private func scopeWords(_ context: AuthorizationContext) -> String {
        switch scope {
        case .any: ""
        case .perAgreement: " for agreement \(context.agreement.number)"
        case .perState: " for \(context.tenant.state)"
        }
    }

    private func period(_ instrument: AuthorizationContext.ParticipationInstrument) -> String {
        "effective \(instrument.effectiveOn)" + (instrument.expiresOn.map { " to \($0)" } ?? ", open-ended")
    }
}
