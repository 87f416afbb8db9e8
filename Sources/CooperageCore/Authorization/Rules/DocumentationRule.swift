/// `documentation`: required documents are attached with their SHA-256 digests, so the decision records
/// exactly what it saw.
///
/// Parameters:
/// - `requiredDocuments` (required): document titles, matched case-insensitively.
/// - `thresholdCents` (optional): only purchases at or above this amount need them.
///
/// Examples: CoProcure's due-diligence checklist (solicitation and addenda, executed contract, amendments);
/// 2 CFR 200.318(i) procurement records.
struct DocumentationRule: AuthorizationRule {
    let requiredDocuments: [String]
    let thresholdCents: Int?

    init?(parameters: inout ParameterReader) {
        let titles = parameters.required("requiredDocuments", .list(of: .text, nonEmpty: true))
        thresholdCents = parameters.optional("thresholdCents", .cents)
        guard let titles else { return nil }
        requiredDocuments = titles
    }

    func evaluate(_ input: RuleInput) -> RuleEvaluation {
        if let thresholdCents, input.amountCents < thresholdCents {
            return .notApplicable(
                "\(formatDollars(input.amountCents)) is below the \(formatDollars(thresholdCents)) threshold for the document packet."
            )
        }
        var missing: [String] = []
        var attached: [String] = []
        for title in requiredDocuments {
            let matches = input.evidence.documents.filter { $0.title.lowercased() == title.lowercased() }
            if let document = matches.first(where: \.hasValidDigest) {
                attached.append("\(title) (sha256 \(document.sha256.prefix(12))…)")
            } else if matches.isEmpty {
                missing.append(title)
            } else {
                missing.append("\(title) (its SHA-256 digest is not 64 hexadecimal digits)")
            }
        }
        guard missing.isEmpty else {
            return .needsEvidence("Required documents are missing: \(plainList(missing)).")
        }
        return .pass("Required documents attached: \(plainList(attached)).")
    }
}
