/// `federal-funds`: the federal-funds overlay, applied only when a funding line is federal
/// (2 CFR 200.317-200.327 and program rules).
///
/// Parameters:
/// - `microPurchaseThresholdCents`, `simplifiedAcquisitionThresholdCents` (required): the thresholds in
///   force; they change (FAR 2.101), so templates date them with effectiveOn/expiresOn.
/// - `requireComplianceLetter` (default true): the cooperative's 2 CFR 200 compliance letter is on file.
/// - `requireTelecomAttestation` (default true): the 2 CFR 200.216 covered-telecom attestation is on file.
/// - `aboveSimplifiedAcquisitionDeterminations` (default `["cost-or-price-analysis"]`): written
///   determinations needed above the simplified acquisition threshold (2 CFR 200.324).
/// - `quotesAboveMicroPurchase` (default 0): quotes needed above the micro-purchase threshold
///   (2 CFR 200.320(a)(2); HGACBuy asks for 3).
/// - `programRequirements` (default none): `[{"program": "FEMA-PA", "determinations": ["fema-five-part-test"]}]`;
///   a federal funding line of that program (case-insensitive) needs those determinations.
///
/// Thresholds compare the whole purchase amount, "above" meaning greater than (200.320 speaks of amounts
/// not exceeding a threshold).
struct FederalFundsRule: AuthorizationRule {
    struct ProgramRequirement: Sendable {
        let program: String
        let determinations: [String]
    }

    let microPurchaseThresholdCents: Int
    let simplifiedAcquisitionThresholdCents: Int
    let requireComplianceLetter: Bool
    let requireTelecomAttestation: Bool
    let aboveSimplifiedAcquisitionDeterminations: [String]
    let quotesAboveMicroPurchase: Int
    let programRequirements: [ProgramRequirement]

    init?(parameters: inout ParameterReader) {
        let micro = parameters.required("microPurchaseThresholdCents", .cents)
        let simplified = parameters.required("simplifiedAcquisitionThresholdCents", .cents)
        requireComplianceLetter = parameters.optional("requireComplianceLetter", .bool, default: true)
        requireTelecomAttestation = parameters.optional("requireTelecomAttestation", .bool, default: true)
        aboveSimplifiedAcquisitionDeterminations = parameters.optional(
            "aboveSimplifiedAcquisitionDeterminations",
            .list(of: .text),
            default: ["cost-or-price-analysis"]
        )
        quotesAboveMicroPurchase = parameters.optional("quotesAboveMicroPurchase", .integer(in: 0...20), default: 0)
        let requirement = ParameterDecoder<ProgramRequirement>.object(
            expecting: "a program with its determinations"
        ) { reader in
            let program = reader.required("program", .text)
            let determinations = reader.required("determinations", .list(of: .text, nonEmpty: true))
            guard let program, let determinations else { return nil }
            return ProgramRequirement(program: program, determinations: determinations)
        }
        programRequirements = parameters.optional("programRequirements", .list(of: requirement), default: [])
        guard let micro, let simplified else { return nil }
        guard micro <= simplified else {
            parameters.report(
                "must not be below microPurchaseThresholdCents (\(micro))",
                at: "simplifiedAcquisitionThresholdCents"
            )
            return nil
        }
        microPurchaseThresholdCents = micro
        simplifiedAcquisitionThresholdCents = simplified
    }

    func evaluate(_ input: RuleInput) -> RuleEvaluation {
        let federalLines = input.request.fundingLines.filter { $0.source == .federal }
        guard !federalLines.isEmpty else {
            return .notApplicable("No federal funding line; the federal-funds overlay does not apply.")
        }
        let agreement = input.context.agreement
        var failures: [String] = []
        if requireComplianceLetter, !agreement.complianceLetterOnFile {
            failures.append(
                "the cooperative's 2 CFR 200 compliance letter for agreement \(agreement.number) is not on file"
            )
        }
        if requireTelecomAttestation, !agreement.telecomAttestation200216 {
            failures.append("the supplier's 2 CFR 200.216 covered-telecom attestation is not on file")
        }
        guard failures.isEmpty else {
            return .fail("Federal funds cannot be used: \(failures.joined(separator: "; ")).")
        }
        let amount = input.amountCents
        let tier: String
        var missing: [String] = []
        if amount > simplifiedAcquisitionThresholdCents {
            tier =
                "\(formatDollars(amount)) is above the \(formatDollars(simplifiedAcquisitionThresholdCents)) simplified acquisition threshold"
            for kind in aboveSimplifiedAcquisitionDeterminations where input.determination(ofKind: kind) == nil {
                missing.append(kind)
            }
        } else if amount > microPurchaseThresholdCents {
            tier =
                "\(formatDollars(amount)) is above the \(formatDollars(microPurchaseThresholdCents)) micro-purchase threshold and within the \(formatDollars(simplifiedAcquisitionThresholdCents)) simplified acquisition threshold"
        } else {
            tier =
                "\(formatDollars(amount)) is within the \(formatDollars(microPurchaseThresholdCents)) micro-purchase threshold"
        }
        if amount > microPurchaseThresholdCents, quotesAboveMicroPurchase > 0 {
            let suppliers = Set(input.evidence.quotes.filter { $0.amountCents > 0 }.map { $0.supplier.lowercased() })
            if suppliers.count < quotesAboveMicroPurchase {
                missing.append("\(quotesAboveMicroPurchase) quotes (\(suppliers.count) on file)")
            }
        }
        let programs = Set(federalLines.compactMap { $0.program?.lowercased() })
        for requirement in programRequirements where programs.contains(requirement.program.lowercased()) {
            for kind in requirement.determinations where input.determination(ofKind: kind) == nil {
                missing.append("\(kind) (\(requirement.program))")
            }
        }
        let federalAmount = saturatingSum(federalLines.map(\.amountCents))
        let programNames = federalLines.compactMap(\.program)
        let funding =
            "Federal funding of \(formatDollars(federalAmount))"
            + (programNames.isEmpty ? "" : " (\(plainList(Array(Set(programNames)).sorted())))")
        guard missing.isEmpty else {
            return .needsEvidence("\(funding): \(tier); required: \(plainList(missing)).")
        }
        return .pass("\(funding): \(tier); federal requirements are met.")
    }
}
