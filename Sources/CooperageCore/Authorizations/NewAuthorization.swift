public import Foundation

/// An agency's request to use a Master Agreement for one purchase (`POST /v1/authorizations`).
public struct NewAuthorization: Codable, Hashable, Sendable, JSONRequestBody {
    public var agreementId: UUID
    public var amountCents: Int
    public var purchaseDate: LocalDate
    /// The UNSPSC commodity code (8 digits) of what is bought.
    public var category: String
    /// Where the money comes from; when given, the lines add up to `amountCents`.
    public var fundingLines: [AuthorizationContext.FundingLine]?
    public var purpose: String
    public var evidence: EvidenceInput?

    /// The members a body may carry (``JSONRequestBody``).
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case agreementId, amountCents, purchaseDate, category, fundingLines, purpose, evidence
    }

    public var issues: [FieldIssue] {
        var issues: [FieldIssue] = []
        if let issue = Money.issue(amountCents, at: "/amountCents") { issues.append(issue) }
        if category.count != 8 || !category.allSatisfy({ $0.isASCII && $0.isNumber }) {
            issues.append(FieldIssue(pointer: "/category", detail: "must be an 8-digit UNSPSC commodity code"))
        }
        if purpose.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || purpose.unicodeScalars.count > 2000 {
            issues.append(FieldIssue(pointer: "/purpose", detail: "must say in 1 to 2000 characters what is bought and why"))
        }
        if let lines = fundingLines {
            for (index, line) in lines.enumerated() {
                if let issue = Money.issue(line.amountCents, at: "/fundingLines/\(index)/amountCents") { issues.append(issue) }
            }
            let total = Money.sum(lines.map { max(0, $0.amountCents) })
            if total == nil {
                issues.append(FieldIssue(pointer: "/fundingLines", detail: "the lines add up to more than \(Money.maximumText)"))
            } else if let total, !lines.isEmpty && total != amountCents {
                issues.append(
                    FieldIssue(
                        pointer: "/fundingLines",
                        detail:
                            "the lines add up to \(MoneyFormatter.dollars(cents: total)), not the \(MoneyFormatter.dollars(cents: amountCents)) requested"
                    )
                )
            }
        }
        issues += evidence?.issues(at: "/evidence") ?? []
        return issues
    }

    /// The request as the engine sees it: without funding lines, all of it is local money.
    public var engineRequest: AuthorizationContext.Request {
        AuthorizationContext.Request(
            amountCents: amountCents,
            purchaseDate: purchaseDate,
            category: category,
            fundingLines: fundingLines ?? [AuthorizationContext.FundingLine(source: .local, amountCents: amountCents)],
            purpose: purpose,
            evidence: evidence?.evidence ?? AuthorizationContext.Evidence()
        )
    }
}
