import CooperageCore
import Foundation

/// Random but plausible contexts and valid policies for property tests, biased so that every decision
/// outcome occurs often.
enum RandomScenario {
    static let categories = ["43211503", "43211507", "43211607", "44121618", "72121000", "81101508"]
    static let determinationKinds = [
        "best-interest", "substantial-equivalence", "cost-or-price-analysis", "fema-five-part-test",
    ]
    static let documentTitles = ["Executed Master Agreement", "Form CIQ"]

    static func date(_ rng: inout SplitMix64, from start: String = "2025-01-01", days: Int = 730) -> LocalDate {
        day(start).adding(days: rng.int(in: 0...days))
    }

    static func context(_ rng: inout SplitMix64) -> AuthorizationContext {
        let purchaseDate = date(&rng)
        let amount = rng.element(of: [50_000, 900_000, 1_200_000, 4_500_000, 30_000_000, 40_000_000])
        var context = Fixture.context
        context.request.purchaseDate = purchaseDate
        context.request.amountCents = amount
        context.request.category = rng.element(of: categories)
        let federal = rng.chance(40)
        context.request.fundingLines =
            rng.chance(90)
            ? [
                .init(
                    source: federal ? .federal : .local,
                    program: federal ? rng.element(of: ["FEMA-PA", "ESSER"]) : nil,
                    account: rng.chance(85) ? "A-1" : nil,
                    amountCents: amount
                )
            ] : []
        context.request.evidence = AuthorizationContext.Evidence(
            quotes: (0..<rng.int(in: 0...3)).map { index in
                .init(
                    supplier: rng.element(of: ["Acme Computers", "Bolt IT", "Cobalt"]),
                    amountCents: amount + index * 10_000
                )
            },
            resolutions: rng.chance(30) ? [.init(number: "R-1", date: purchaseDate.adding(days: -10))] : [],
            writtenDeterminations: determinationKinds.filter { _ in rng.chance(40) }.map {
                .init(
                    kind: $0,
                    reference: "D-\($0)",
                    date: rng.chance(70) ? purchaseDate.adding(days: -rng.int(in: -5...30)) : nil
                )
            },
            justification: rng.chance(40) ? "Best fit" : nil,
            documents: documentTitles.filter { _ in rng.chance(50) }.map {
                .init(title: $0, sha256: rng.chance(85) ? validDigest : "bad")
            }
        )
        context.approvals = (0..<rng.int(in: 0...2)).map { _ in
            .init(
                ruleType: rng.chance(50) ? rng.element(of: ["approval-threshold", "anti-splitting"]) : nil,
                ruleIndex: rng.chance(50) ? rng.int(in: 0...5) : nil,
                approverRole: "council",
                resolutionNumber: rng.chance(70) ? "R-1" : nil,
                resolutionDate: rng.chance(60) ? purchaseDate.adding(days: -rng.int(in: -3...40)) : nil
            )
        }
        context.tenant.active = rng.chance(95)
        context.tenant.fiscalYearStartMonth = rng.int(in: 1...12)
        context.tenant.entityType = rng.chance(80) ? .k12 : rng.element(of: EntityType.allCases)
        context.agreement.status =
            rng.chance(90) ? .active : rng.element(of: AuthorizationContext.AgreementStatus.allCases)
        context.agreement.effectiveOn = date(&rng, from: "2024-01-01", days: 500)
        context.agreement.expiresOn = context.agreement.effectiveOn.adding(days: rng.int(in: 200...1500))
        context.agreement.eligibleEntityTypes = rng.chance(70) ? [] : rng.subset(of: EntityType.allCases)
        context.agreement.eligibleStates = rng.chance(80) ? [] : [rng.element(of: [USState("TX")!, USState("OK")!])]
        context.agreement.ceilingCents = rng.chance(30) ? nil : rng.int(in: 0...200_000_000)
        context.agreement.complianceLetterOnFile = rng.chance(85)
        context.agreement.telecomAttestation200216 = rng.chance(85)
        context.agreement.leadAgency.state = rng.element(of: [USState("TX"), USState("AZ"), nil])
        context.agreement.leadAgency.isPublic = rng.chance(90)
        context.agreement.solicitation.awardBasis = rng.element(of: AuthorizationContext.AwardBasis.allCases)
        context.agreement.solicitation.advertised = rng.chance(85)
        context.agreement.supplier.status =
            rng.chance(90) ? .active : rng.element(of: AuthorizationContext.SupplierStatus.allCases)
        context.agreement.supplier.statusEffectiveOn = rng.chance(50) ? date(&rng) : nil
        context.participationInstruments =
            rng.chance(92)
            ? [
                .init(
                    kind: rng.element(of: AuthorizationContext.ParticipationInstrumentKind.allCases),
                    agreementId: rng.chance(80) ? nil : id(rng.element(of: ["agr-1", "agr-2"])),
                    effectiveOn: day("2023-01-01"),
                    expiresOn: rng.chance(60) ? nil : date(&rng, from: "2025-06-01"),
                    resolutionNumber: rng.chance(70) ? "R-0" : nil,
                    resolutionDate: rng.chance(70) ? day("2022-12-15") : nil
                )
            ] : []
        context.committedOnAgreementCents = rng.int(in: 0...150_000_000)
        context.tenantSpendOnAgreementCents = rng.int(in: 0...10_000_000)
        context.tenantSpendOnAgreementThisFiscalYearCents = rng.int(in: 0...8_000_000)
        context.recentOrders = (0..<rng.int(in: 0...4)).map { _ in
            .init(
                date: purchaseDate.adding(days: -rng.int(in: 0...500)),
                amountCents: rng.int(in: 1...3_000_000),
                category: rng.element(of: categories),
                supplierId: id(rng.element(of: ["sup-1", "sup-2"])),
                agreementId: id(rng.element(of: ["agr-1", "agr-2"]))
            )
        }
        context.accountSpentCents = rng.chance(50) ? ["A-1": rng.int(in: 0...20_000_000)] : [:]
        context.alternativeSources = AuthorizationContext.AgreementSource.allCases.filter { _ in rng.chance(25) }
        return context
    }

    static func policy(_ rng: inout SplitMix64) -> [PolicyRule] {
        (0..<rng.int(in: 0...6)).map { _ in rule(&rng) }
    }

    static func rule(_ rng: inout SplitMix64) -> PolicyRule {
        let type = rng.element(of: RuleType.allCases)
        var effectiveOn: LocalDate?
        var expiresOn: LocalDate?
        if rng.chance(20) { effectiveOn = date(&rng) }
        if rng.chance(20) { expiresOn = (effectiveOn ?? day("2025-01-01")).adding(days: rng.int(in: 0...400)) }
        return PolicyRule(
            type: type,
            parameters: parameters(for: type, &rng),
            citation: "Random citation \(type.rawValue)",
            effectiveOn: effectiveOn,
            expiresOn: expiresOn
        )
    }

    static func cents(_ rng: inout SplitMix64) -> JSONValue {
        .int(rng.element(of: [0, 1_000_000, 3_000_000, 4_500_000, 5_000_000, 25_000_000, 35_000_000]))
    }

    static func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }

    static func parameters(for type: RuleType, _ rng: inout SplitMix64) -> JSONValue {
        var members: [String: JSONValue] = [:]
        switch type {
        case .statutoryAuthority:
            if rng.chance(50) { members["state"] = .string(rng.element(of: ["TX", "NY"])) }
            members["entityTypes"] = strings(rng.subset(of: EntityType.allCases.map(\.rawValue)))
            members["allowedLeadJurisdictions"] = strings(rng.subset(of: ["in-state", "out-of-state", "federal"]))
            if rng.chance(30) { members["sunsetOn"] = .string(date(&rng).description) }
        case .participationInstrument:
            members["kind"] = .string(
                rng.element(of: AuthorizationContext.ParticipationInstrumentKind.allCases).rawValue
            )
            members["scope"] = .string(rng.element(of: ["any", "per-agreement", "per-state"]))
            members["requireResolution"] = .bool(rng.chance(50))
            if rng.chance(30) { members["expiryWarningDays"] = .int(rng.int(in: 0...120)) }
        case .leadAgencyQualification:
            members["requirePublicLead"] = .bool(rng.chance(70))
            members["requireAdvertised"] = .bool(rng.chance(50))
            members["requireCooperativeLanguage"] = .bool(rng.chance(50))
            if rng.chance(50) {
                members["allowedAwardBases"] = strings(rng.subset(of: ["lowest-responsible-bidder", "best-value"]))
            }
            if rng.chance(50) { members["allowedMethods"] = strings(rng.subset(of: ["ifb", "rfp", "csp"])) }
            if rng.chance(30) { members["bestValueAuthorityKind"] = "best-interest" }
        case .writtenDetermination:
            members["requiredKinds"] = strings(rng.subset(of: determinationKinds))
            members["mustPrecedePurchase"] = .bool(rng.chance(50))
            if rng.chance(40) { members["thresholdCents"] = cents(&rng) }
        case .categoryRestriction:
            if rng.chance(40) {
                members["allowedClasses"] = strings(rng.subset(of: CategoryClass.allCases.map(\.rawValue)))
            }
            if rng.chance(40) {
                members["excludedClasses"] = strings(rng.subset(of: ["public-works", "architectural-services"]))
            }
            if rng.chance(30) { members["allowedPrefixes"] = strings(rng.subset(of: ["43", "4412", "721210"])) }
            members["requireAgreementScope"] = .bool(members.isEmpty || rng.chance(30))
        case .approvalThreshold:
            members["amountCents"] = cents(&rng)
            members["approver"] = "council"
            let basis = rng.element(of: ["per-order", "per-contract", "12-month-aggregate"])
            members["basis"] = .string(basis)
            if basis == "12-month-aggregate", rng.chance(50) {
                members["groupBy"] = .string(rng.element(of: ["category", "supplier", "agreement"]))
            }
            members["comparison"] = .string(rng.element(of: ["at-or-above", "above"]))
            members["requiresResolution"] = .bool(rng.chance(50))
        case .budgetAvailability:
            members["accounts"] = [["account": "A-1", "appropriatedCents": .int(rng.int(in: 0...50_000_000))]]
            members["requireAccountOnEveryLine"] = .bool(rng.chance(70))
        case .cumulativeCap:
            let both = rng.int(in: 0...2)
            if both != 1 { members["perOrderMaxCents"] = .int(rng.int(in: 0...50_000_000)) }
            if both != 0 {
                members["perAgreementPerFiscalYearCents"] = .int(rng.int(in: 0...20_000_000))
                if rng.chance(40) { members["warnAtPercent"] = .int(rng.int(in: 1...100)) }
            }
        case .quotesAndJustification:
            members["thresholdCents"] = cents(&rng)
            members["minimumQuotes"] = .int(rng.int(in: 1...3))
            members["requireJustification"] = .bool(rng.chance(40))
            if rng.chance(40) { members["onlyWithFundingSource"] = .string(rng.element(of: ["local", "federal"])) }
        case .antiSplitting:
            members["windowDays"] = .int(rng.element(of: [30, 90, 365]))
            members["groupBy"] = .string(rng.element(of: ["category", "supplier", "agreement"]))
            members["thresholdCents"] = cents(&rng)
            members["onExceed"] = .string(rng.element(of: ["needs-approval", "fail"]))
            members["comparison"] = .string(rng.element(of: ["at-or-above", "above"]))
        case .federalFunds:
            let micro = rng.element(of: [1_000_000, 1_500_000])
            members["microPurchaseThresholdCents"] = .int(micro)
            members["simplifiedAcquisitionThresholdCents"] = .int(micro * 25)
            members["quotesAboveMicroPurchase"] = .int(rng.int(in: 0...3))
            if rng.chance(50) {
                members["programRequirements"] = [["program": "FEMA-PA", "determinations": ["fema-five-part-test"]]]
            }
        case .vendorRestriction:
            if rng.chance(60) { members["blockedSupplierIds"] = strings([id(rng.element(of: ["sup-1", "sup-2"])).uuidString]) }
            if members.isEmpty || rng.chance(50) { members["requiredForms"] = ["Form CIQ"] }
        case .sourcePreference:
            var order = AuthorizationContext.AgreementSource.allCases.map(\.rawValue)
            order.shuffle(using: &rng)
            members["order"] = strings(Array(order.prefix(rng.int(in: 1...4))))
            members["whenSkipped"] = .string(rng.element(of: ["needs-evidence", "warn"]))
        case .documentation:
            members["requiredDocuments"] = strings(rng.subset(of: documentTitles))
            if rng.chance(30) { members["thresholdCents"] = cents(&rng) }
        }
        return .object(members)
    }
}
