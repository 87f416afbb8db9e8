import CooperageCore
import Foundation
import Testing

/// Renewal options exercised in order within the maximum term, and what an amendment of the terms records.
@Suite struct AgreementAmendmentTests {
    static func agreement(
        expiresOn: String = "2028-12-31",
        renewals: [RenewalOption],
        maximum: String? = nil,
        status: AuthorizationContext.AgreementStatus = .active
    ) -> MasterAgreement {
        let lead = OCDSExporterTests.tenant(name: "Lead", slug: "lead")
        let supplier = OCDSExporterTests.supplier(name: "Acme")
        var agreement = OCDSExporterTests.agreement(
            number: "MA-1",
            lead: lead,
            solicitation: OCDSExporterTests.solicitation(lead: lead, number: "RFP-1"),
            supplier: supplier,
            renewals: renewals,
            maximumTermEndsOn: maximum,
            status: status
        )
        agreement.expiresOn = LocalDate(iso8601: expiresOn)!
        return agreement
    }

    func renewed(_ agreement: MasterAgreement, option: Int? = nil) throws -> AgreementRenewal.Outcome {
        try AgreementRenewal(option: option).exercise(on: agreement).get()
    }

    func refusal(_ agreement: MasterAgreement, option: Int? = nil) -> AgreementRenewal.Refusal? {
        if case .failure(let refusal) = AgreementRenewal(option: option).exercise(on: agreement) { return refusal }
        return nil
    }

    @Test func optionsAreExercisedInOrderAndExtendTheTermByTheirYears() throws {
        let agreement = Self.agreement(renewals: [RenewalOption(years: 1), RenewalOption(years: 2)])
        let first = try renewed(agreement)
        #expect(first.option == 1 && first.years == 1)
        #expect(first.renewed.expiresOn.description == "2029-12-31")
        #expect(first.renewed.renewalOptions == [RenewalOption(years: 1, exercised: true), RenewalOption(years: 2)])
        #expect(first.changes["expiresOn"] == .init(from: .string("2028-12-31"), to: .string("2029-12-31")))
        // Nothing else moves.
        var expected = agreement
        expected.expiresOn = first.renewed.expiresOn
        expected.renewalOptions = first.renewed.renewalOptions
        #expect(first.renewed == expected)

        let second = try renewed(first.renewed, option: 2)
        #expect(second.renewed.expiresOn.description == "2031-12-31")
        #expect(refusal(second.renewed)?.detail == "every renewal option of this agreement (2) has been exercised")
    }

    @Test func anOptionNamedOutOfOrderIsRefused() {
        let agreement = Self.agreement(renewals: [RenewalOption(years: 1, exercised: true), RenewalOption(years: 1)])
        #expect(refusal(agreement, option: 1)?.pointer == "/option")
        #expect(refusal(agreement, option: 1)?.detail.contains("already been exercised; the next one is option 2") == true)
        #expect(refusal(agreement, option: 3)?.detail.contains("there is no option 3") == true)
        let fresh = Self.agreement(renewals: [RenewalOption(years: 1), RenewalOption(years: 1)])
        #expect(refusal(fresh, option: 2)?.detail == "renewal options are exercised in order: the next one is option 1")
    }

    @Test func theMaximumTermAndTerminationStopARenewal() throws {
        let capped = Self.agreement(renewals: [RenewalOption(years: 2)], maximum: "2030-06-30")
        #expect(
            refusal(capped)?.detail.contains("would extend the term to 2030-12-31, past its maximum term (2030-06-30)") == true
        )
        let exact = Self.agreement(renewals: [RenewalOption(years: 2)], maximum: "2030-12-31")
        #expect(try renewed(exact).renewed.expiresOn.description == "2030-12-31")
        let terminated = Self.agreement(renewals: [RenewalOption(years: 1)], status: .terminated)
        #expect(refusal(terminated)?.detail == "a terminated agreement cannot be renewed")
        #expect(refusal(Self.agreement(renewals: []))?.detail == "this agreement has no renewal options")
        let farOff = Self.agreement(expiresOn: "2995-12-31", renewals: [RenewalOption(years: 5)])
        #expect(refusal(farOff)?.detail == "the term would end after the year 2999")
    }

    @Test func aTermEndingOnTheTwentyNinthOfFebruaryEndsOnTheTwentyEighthInACommonYear() throws {
        let leap = Self.agreement(expiresOn: "2028-02-29", renewals: [RenewalOption(years: 1), RenewalOption(years: 3)])
        let once = try renewed(leap)
        #expect(once.renewed.expiresOn.description == "2029-02-28")
        let fromLeap = Self.agreement(expiresOn: "2028-02-29", renewals: [RenewalOption(years: 4)])
        #expect(try renewed(fromLeap).renewed.expiresOn.description == "2032-02-29")
    }

    @Test func aRenewalRequestIsChecked() {
        #expect(AgreementRenewal().issues.isEmpty)
        #expect(AgreementRenewal(option: 0).issues.map(\.pointer) == ["/option"])
        #expect(AgreementRenewal(rationale: " ").issues.map(\.pointer) == ["/rationale"])
        #expect(AgreementRenewal(rationale: String(repeating: "x", count: 2001)).issues.map(\.pointer) == ["/rationale"])
        #expect(AgreementRenewal(option: 2, rationale: "Board resolution").issues.isEmpty)
    }

    // MARK: Terms

    @Test func onlyTheTermsThatDifferAreChanges() {
        let agreement = Self.agreement(renewals: [])
        let terms = AgreementTerms(of: agreement)
        #expect(terms.changes(to: terms).isEmpty)
        var amended = agreement
        amended.title = "Renamed"
        amended.documents = [AgreementDocument(title: "Contract", url: "https://example.org/c.pdf", sha256: "ab")]
        amended.expiresOn = LocalDate(iso8601: "2030-12-31")!
        #expect(terms.changes(to: AgreementTerms(of: amended)).isEmpty, "title, documents and term are not terms")

        amended.ceilingCents = 5_000_000
        amended.adminFeeBasisPoints = 250
        amended.eligibleStates = [USState("TX")!, USState("OK")!]
        amended.eligibleEntityTypes = [.city]
        amended.priceTiers = [PriceTier(minVolumeCents: 0, discountBasisPoints: 100)]
        let changes = terms.changes(to: AgreementTerms(of: amended))
        #expect(changes.keys.sorted() == AgreementTerms.fields.sorted())
        #expect(changes["ceilingCents"] == .init(from: .null, to: .int(5_000_000)))
        #expect(changes["eligibleStates"] == .init(from: .array([]), to: .array([.string("TX"), .string("OK")])))
        let amendment = AgreementAmendment(
            id: UUID(),
            seq: 3,
            kind: .terms,
            effectiveOn: LocalDate(iso8601: "2026-07-01")!,
            rationale: nil,
            termsVersion: 4,
            changes: changes,
            recordedAt: Date()
        )
        #expect(
            amendment.description
                == "Terms version 4: ceiling none -> $50,000.00; price tiers none -> 1.00 % from $0.00; eligible agencies "
                + "any -> city; eligible states any -> TX, OK; administrative fee 2.00 % -> 2.50 %."
        )
    }

    @Test func amendmentsRoundTripThroughJSON() throws {
        let amendment = AgreementAmendment(
            id: UUID(),
            seq: 1,
            kind: .renewal,
            effectiveOn: LocalDate(iso8601: "2026-07-01")!,
            rationale: "Year two",
            renewalOption: 1,
            renewalYears: 1,
            changes: ["expiresOn": .init(from: .string("2027-12-31"), to: .string("2028-12-31"))],
            recordedAt: Date(timeIntervalSince1970: 1_780_000_000)
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = try #require(try JSONSerialization.jsonObject(with: encoder.encode(amendment)) as? [String: Any])
        #expect(json["kind"] as? String == "renewal")
        #expect(json["effectiveOn"] as? String == "2026-07-01")
        #expect(json["termsVersion"] == nil)
        #expect((json["changes"] as? [String: [String: String]])?["expiresOn"] == ["from": "2027-12-31", "to": "2028-12-31"])
        #expect(try JSONDecoder().decode(AgreementAmendment.self, from: encoder.encode(amendment)) == amendment)
    }
}
