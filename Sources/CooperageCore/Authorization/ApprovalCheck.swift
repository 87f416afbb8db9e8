/// Looks for a recorded approval that satisfies a rule needing one, and says what is missing if none does.
///
/// When the rule demands an artifact, the approval must carry a resolution (or approval letter) number
/// and a date on or before the purchase date: an approval adopted after the purchase is a ratification,
/// not an authorization. A number without a date borrows the date of the evidence resolution with that number.
struct ApprovalCheck {
    enum Finding {
        /// The approval counts; `description` names it for the message.
        case satisfied(description: String)
        /// Approvals name the rule, but none carries what the rule requires.
        case incomplete(reason: String)
        /// No approval names the rule.
        case missing
    }

    let requiresResolution: Bool

    func check(_ input: RuleInput) -> Finding {
        let candidates = input.approvals
        guard !candidates.isEmpty else { return .missing }
        var reasons: [String] = []
        for approval in candidates {
            guard requiresResolution else {
                return .satisfied(
                    description: describe(approval, number: approval.resolutionNumber, date: approval.resolutionDate)
                )
            }
            guard let number = approval.resolutionNumber, !number.allSatisfy(\.isWhitespace) else {
                reasons.append("the approval by \(approval.approverRole) has no resolution number")
                continue
            }
            let date =
                approval.resolutionDate
                ?? input.evidence.resolutions.first(where: { $0.number == number })?.date
            guard let date else {
                reasons.append("resolution \(number) has no date")
                continue
            }
            guard date <= input.purchaseDate else {
                reasons.append("resolution \(number) is dated \(date), after the purchase date \(input.purchaseDate)")
                continue
            }
            return .satisfied(description: describe(approval, number: number, date: date))
        }
        return .incomplete(reason: reasons.joined(separator: "; "))
    }

    private func describe(
        _ approval: AuthorizationContext.RecordedApproval,
        number: String?,
        date: LocalDate?
    ) -> String {
        var text = "approved by \(approval.approverRole)"
        if let number, !number.allSatisfy(\.isWhitespace) { text += ", resolution \(number)" }
        if let date { text += " of \(date)" }
        if let note = approval.note, !note.allSatisfy(\.isWhitespace) { text += " (\(note))" }
        return text
    }
}
