/// `lead-agency-qualification`: the lead agency and its solicitation meet the agency's standards.
///
/// Parameters:
/// - `requirePublicLead` (default true): the lead is a public agency (RCW 39.34.020 "public agency").
/// - `requireAdvertised` (default false): the solicitation was publicly advertised or posted.
/// - `requireCooperativeLanguage` (default false): the solicitation and the contract both say other
///   agencies may use the contract ("made available to other governmental entities").
/// - `allowedAwardBases` (optional): any of `lowest-responsible-bidder`, `best-value`.
/// - `allowedMethods` (optional): any of `ifb`, `rfp`, `csp`.
/// - `bestValueAuthorityKind` (optional): when the award was on best value, the agency must have its own
///   best-value authority (local law or resolution) on file as a written determination of this kind
///   (NY GML 103(1) and 103(16)); missing: needs-evidence.
struct LeadAgencyQualificationRule: AuthorizationRule {
    let requirePublicLead: Bool
    let requireAdvertised: Bool
    let requireCooperativeLanguage: Bool
    let allowedAwardBases: [AuthorizationContext.AwardBasis]?
    let allowedMethods: [AuthorizationContext.SolicitationMethod]?
    let bestValueAuthorityKind: String?

    init?(parameters: inout ParameterReader) {
        requirePublicLead = parameters.optional("requirePublicLead", .bool, default: true)
        requireAdvertised = parameters.optional("requireAdvertised", .bool, default: false)
        requireCooperativeLanguage = parameters.optional("requireCooperativeLanguage", .bool, default: false)
        allowedAwardBases = parameters.optional("allowedAwardBases", .list(of: .choice, nonEmpty: true))
        allowedMethods = parameters.optional("allowedMethods", .list(of: .choice, nonEmpty: true))
        bestValueAuthorityKind = parameters.optional("bestValueAuthorityKind", .text)
    }

    func evaluate(_ input: RuleInput) -> RuleEvaluation {
        let agreement = input.context.agreement
        let lead = agreement.leadAgency
        let solicitation = agreement.solicitation
        var problems: [String] = []
        var facts: [String] = []
        if requirePublicLead {
            if lead.isPublic {
                facts.append("the lead agency \(lead.name) is public")
            } else {
                problems.append("the lead agency \(lead.name) is not a public agency")
            }
        }
        if let allowedMethods {
            if allowedMethods.contains(solicitation.method) {
                facts.append("it solicited by \(solicitation.method.rawValue.uppercased())")
            } else {
                problems.append(
                    "it solicited by \(solicitation.method.rawValue.uppercased()), not \(plainList(allowedMethods.map { $0.rawValue.uppercased() }))"
                )
            }
        }
        if requireAdvertised {
            if solicitation.advertised {
                var advertised = "the solicitation was advertised"
                if let place = solicitation.advertisedWhere { advertised += " in \(place)" }
                if let date = solicitation.advertisedOn { advertised += " on \(date)" }
                facts.append(advertised)
            } else {
                problems.append("the solicitation was not publicly advertised")
            }
        }
        if requireCooperativeLanguage {
            var missing: [String] = []
            if !solicitation.cooperativeLanguageInSolicitation { missing.append("the solicitation") }
            if !solicitation.cooperativeLanguageInContract { missing.append("the contract") }
            if missing.isEmpty {
                facts.append("cooperative-use language is in the solicitation and the contract")
            } else {
                problems.append("cooperative-use language is missing from \(plainList(missing))")
            }
        }
        if let allowedAwardBases {
            if allowedAwardBases.contains(solicitation.awardBasis) {
                facts.append("the award basis is \(solicitation.awardBasis.rawValue)")
            } else {
                problems.append(
                    "the award basis is \(solicitation.awardBasis.rawValue), not \(plainList(allowedAwardBases.map(\.rawValue)))"
                )
            }
        }
        guard problems.isEmpty else {
            return .fail("Agreement \(agreement.number) does not qualify: \(problems.joined(separator: "; ")).")
        }
        if let bestValueAuthorityKind, solicitation.awardBasis == .bestValue {
            guard let authority = input.determination(ofKind: bestValueAuthorityKind) else {
                return .needsEvidence(
                    "Agreement \(agreement.number) was awarded on best value; the agency's own best-value authority (\(bestValueAuthorityKind): local law or resolution) must be on file."
                )
            }
            facts.append("the agency's best-value authority is \(authority.reference)")
        }
        let summary = facts.isEmpty ? "no requirement applies" : facts.joined(separator: "; ")
        return .pass("Agreement \(agreement.number) qualifies: \(summary).")
    }
}
