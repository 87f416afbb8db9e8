import CooperageCore
import Foundation
import Testing

@Suite struct CatalogValidationTests {
    static let day = LocalDate(iso8601: "2026-01-01")!

    func agreement(
        categories: [String] = ["43211500"],
        effectiveOn: String = "2026-01-01",
        expiresOn: String = "2028-12-31",
        ceilingCents: Int? = nil,
        priceTiers: [PriceTier]? = nil,
        documents: [AgreementDocument]? = nil
    ) -> NewAgreement {
        NewAgreement(
            number: "R-1",
            title: "Computers",
            leadTenantId: UUID(),
            solicitationId: UUID(),
            supplierId: UUID(),
            categories: categories,
            effectiveOn: LocalDate(iso8601: effectiveOn)!,
            expiresOn: LocalDate(iso8601: expiresOn)!,
            ceilingCents: ceilingCents,
            priceTiers: priceTiers,
            documents: documents
        )
    }

    // MARK: Suppliers

    @Test func aPlainSupplierIsValid() {
        #expect(NewSupplier(name: "Acme Office Supply").issues == [])
        #expect(
            NewSupplier(
                name: "Acme",
                identifiers: SupplierIdentifiers(ein: "12-3456789", samUei: "J7M9HPTGJ1S9"),
                diversityCertifications: [DiversityCertification(kind: "HUB", certifier: "Texas CPA", expiresOn: Self.day)]
            ).issues == []
        )
    }

    @Test func supplierProblemsNameTheirFields() {
        let supplier = NewSupplier(
            name: "  ",
            identifiers: SupplierIdentifiers(ein: "123456789", samUei: "ABCDEFGHIJKL"),
            diversityCertifications: [DiversityCertification(kind: "MBE"), DiversityCertification(kind: " ", certifier: "")]
        )
        #expect(
            Set(supplier.issues.map(\.pointer)) == [
                "/name", "/identifiers/ein", "/identifiers/samUei", "/diversityCertifications/1/kind",
                "/diversityCertifications/1/certifier",
            ]
        )
    }

    @Test(arguments: [AuthorizationContext.SupplierStatus.suspended, .debarred])
    func aSanctionedSupplierNeedsADateAndAReason(_ status: AuthorizationContext.SupplierStatus) {
        let bare = NewSupplier(name: "X", status: status)
        #expect(Set(bare.issues.map(\.pointer)) == ["/statusEffectiveOn", "/statusReason"])
        let documented = NewSupplier(name: "X", status: status, statusEffectiveOn: Self.day, statusReason: "SAM.gov exclusion")
        #expect(documented.issues == [])
    }

    @Test func settingTheStatusInAPatchNeedsADateAndAReason() throws {
        let bare = try JSONDecoder().decode(SupplierChanges.self, from: Data(#"{"status":"debarred"}"#.utf8))
        #expect(Set(bare.issues.map(\.pointer)) == ["/statusEffectiveOn", "/statusReason"])
        let nulls = try JSONDecoder().decode(
            SupplierChanges.self,
            from: Data(#"{"status":"active","statusEffectiveOn":null,"statusReason":null}"#.utf8)
        )
        #expect(Set(nulls.issues.map(\.pointer)) == ["/statusEffectiveOn", "/statusReason"])
        let full = try JSONDecoder().decode(
            SupplierChanges.self,
            from: Data(#"{"status":"suspended","statusEffectiveOn":"2026-02-01","statusReason":"Investigation"}"#.utf8)
        )
        #expect(full.issues == [])
        // Without a status, the name alone is fine.
        let rename = try JSONDecoder().decode(SupplierChanges.self, from: Data(#"{"name":"Acme Inc."}"#.utf8))
        #expect(rename.issues == [])
    }

    @Test func supplierPatchDistinguishesAbsentFromNullAndApplies() throws {
        let changes = try JSONDecoder().decode(
            SupplierChanges.self,
            from: Data(#"{"identifiers":{"ein":null},"statusReason":null}"#.utf8)
        )
        #expect(changes.ein == .some(nil))
        #expect(changes.samUei == nil)
        #expect(changes.statusReason == .some(nil))
        let supplier = Supplier(
            id: UUID(),
            name: "Acme",
            identifiers: SupplierIdentifiers(ein: "12-3456789", samUei: "J7M9HPTGJ1S9"),
            status: .active,
            statusEffectiveOn: nil,
            statusReason: "was reinstated",
            diversityCertifications: [],
            createdAt: Date(),
            updatedAt: Date()
        )
        let patched = changes.applied(to: supplier)
        #expect(patched.identifiers.ein == nil)
        #expect(patched.identifiers.samUei == "J7M9HPTGJ1S9")
        #expect(patched.statusReason == nil)
        #expect(patched.name == "Acme")
    }

    @Test func aNullNameIsRefusedNotIgnored() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SupplierChanges.self, from: Data(#"{"name":null}"#.utf8))
        }
    }

    // MARK: Solicitations

    @Test func solicitationProblemsNameTheirFields() {
        let solicitation = NewSolicitation(
            leadTenantId: UUID(),
            number: "",
            title: String(repeating: "t", count: 501),
            method: .rfp,
            advertisedWhere: " ",
            advertisedOn: LocalDate(iso8601: "2026-03-01"),
            cooperativeLanguageInSolicitation: true,
            cooperativeLanguageInContract: true,
            awardBasis: .bestValue,
            awardDate: LocalDate(iso8601: "2026-02-01")
        )
        #expect(Set(solicitation.issues.map(\.pointer)) == ["/number", "/title", "/advertisedWhere", "/awardDate"])
        let valid = NewSolicitation(
            leadTenantId: UUID(),
            number: "RFP 24-01",
            title: "Technology",
            method: .csp,
            cooperativeLanguageInSolicitation: true,
            cooperativeLanguageInContract: false,
            awardBasis: .lowestResponsibleBidder
        )
        #expect(valid.issues == [])
    }

    // MARK: Agreements

    @Test func aMinimalAgreementIsValid() {
        #expect(agreement().issues == [])
    }

    @Test func categoriesAreAtLeastOneEightDigitCode() {
        #expect(agreement(categories: []).issues.map(\.pointer) == ["/categories"])
        #expect(
            agreement(categories: ["43211500", "4321", "4321150A", "43211500"]).issues.map(\.pointer) == [
                "/categories/1", "/categories/2", "/categories/3",
            ]
        )
    }

    @Test func theTermRunsForward() {
        #expect(agreement(effectiveOn: "2026-01-01", expiresOn: "2026-01-01").issues == [])
        #expect(agreement(effectiveOn: "2026-01-02", expiresOn: "2026-01-01").issues.map(\.pointer) == ["/expiresOn"])
        var draft = agreement()
        draft.maximumTermEndsOn = LocalDate(iso8601: "2027-01-01")
        #expect(draft.issues.map(\.pointer) == ["/maximumTermEndsOn"])
    }

    @Test func amountsAndRatesHaveBounds() {
        #expect(agreement(ceilingCents: 0).issues.map(\.pointer) == ["/ceilingCents"])
        #expect(agreement(ceilingCents: 1).issues == [])
        var draft = agreement()
        draft.adminFeeBasisPoints = 10_001
        draft.renewalOptions = [RenewalOption(years: 1), RenewalOption(years: 0)]
        #expect(draft.issues.map(\.pointer) == ["/renewalOptions/1/years", "/adminFeeBasisPoints"])
    }

    @Test func priceTiersRiseStrictly() {
        let tiers = [
            PriceTier(minVolumeCents: 0, discountBasisPoints: 0),
            PriceTier(minVolumeCents: 100_000_00, discountBasisPoints: 200),
            PriceTier(minVolumeCents: 100_000_00, discountBasisPoints: 300),
            PriceTier(minVolumeCents: 50_000_00, discountBasisPoints: 10_001),
            PriceTier(minVolumeCents: -1, discountBasisPoints: 100),
        ]
        #expect(
            CatalogValidation.priceTierIssues(tiers).map(\.pointer) == [
                "/priceTiers/2/minVolumeCents", "/priceTiers/3/minVolumeCents", "/priceTiers/3/discountBasisPoints",
                "/priceTiers/4/minVolumeCents",
            ]
        )
        #expect(CatalogValidation.priceTierIssues(Array(tiers.prefix(2))) == [])
    }

    @Test func documentsArePinnedByDigest() {
        let good = AgreementDocument(
            title: "Contract",
            url: "https://example.org/c.pdf",
            sha256: String(repeating: "ab", count: 32)
        )
        #expect(agreement(documents: [good]).issues == [])
        let bad = AgreementDocument(title: "", url: "ftp://example.org/c.pdf", sha256: "abc")
        #expect(
            agreement(documents: [good, bad]).issues.map(\.pointer) == [
                "/documents/1/title", "/documents/1/url", "/documents/1/sha256",
            ]
        )
    }

    @Test(arguments: [
        ("https://example.org/a.pdf", true), ("http://x.gov", true), ("example.org/a.pdf", false), ("mailto:a@b.c", false),
        ("https://", false), ("https://a b.org", false),
    ])
    func documentURLs(_ url: String, _ valid: Bool) {
        #expect(CatalogValidation.isWebURL(url) == valid)
    }

    @Test(arguments: [
        ("204", true), ("20427", true), ("204-27", true), ("204-27-00", true), ("2042", false), ("20A", false), ("-204", false),
    ])
    func nigpCodes(_ code: String, _ valid: Bool) {
        #expect(CatalogValidation.isNIGPCode(code) == valid)
    }

    @Test func coveringCodesClimbTheHierarchy() {
        #expect(MasterAgreement.coveringCodes(of: "43211503") == ["43211503", "43211500", "43210000", "43000000"])
        #expect(MasterAgreement.coveringCodes(of: "43210000") == ["43210000", "43000000"])
        #expect(MasterAgreement.coveringCodes(of: "4321") == [])
        // Consistent with the engine's notion of coverage.
        for scope in MasterAgreement.coveringCodes(of: "43211503") {
            #expect(UNSPSC.code("43211503", isUnder: scope))
        }
        #expect(!UNSPSC.code("43211503", isUnder: "43211510"))
    }

    // MARK: Agreement patches

    @Test func agreementPatchRefusesIdentityFieldsAndNulls() throws {
        let changes = try JSONDecoder().decode(
            AgreementChanges.self,
            from: Data(#"{"number":"X","supplierId":"00000000-0000-0000-0000-000000000000","committedCents":5}"#.utf8)
        )
        #expect(Set(changes.issues.map(\.pointer)) == ["/number", "/supplierId", "/committedCents"])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(AgreementChanges.self, from: Data(#"{"title":null}"#.utf8))
        }
        let cleared = try JSONDecoder().decode(AgreementChanges.self, from: Data(#"{"ceilingCents":null}"#.utf8))
        #expect(cleared.ceilingCents == .some(nil))
        #expect(cleared.issues == [])
    }

    @Test func agreementPatchAppliesAndTheMergedTermIsChecked() throws {
        let stored = MasterAgreement(
            id: UUID(),
            number: "R-1",
            title: "Computers",
            leadTenantId: UUID(),
            leadAgencyName: "Lead",
            solicitationId: UUID(),
            supplierId: UUID(),
            supplierName: "Acme",
            categories: ["43211500"],
            nigpCodes: [],
            effectiveOn: LocalDate(iso8601: "2026-01-01")!,
            expiresOn: LocalDate(iso8601: "2028-12-31")!,
            renewalOptions: [],
            maximumTermEndsOn: nil,
            status: .active,
            ceilingCents: 500,
            committedCents: 100,
            eligibleEntityTypes: [],
            eligibleStates: [],
            complianceLetterOnFile: false,
            telecomAttestation200216: false,
            adminFeeBasisPoints: 0,
            priceTiers: [],
            documents: [],
            createdAt: Date(),
            updatedAt: Date()
        )
        let changes = try JSONDecoder().decode(
            AgreementChanges.self,
            from: Data(#"{"expiresOn":"2025-12-31","ceilingCents":null,"status":"suspended","eligibleStates":["TX"]}"#.utf8)
        )
        #expect(changes.issues == [])
        let merged = changes.applied(to: stored)
        #expect(merged.ceilingCents == nil)
        #expect(merged.status == .suspended)
        #expect(merged.eligibleStates == [USState("TX")!])
        #expect(merged.committedCents == 100)
        #expect(merged.termIssues.map(\.pointer) == ["/expiresOn"])
        #expect(merged.covers(category: "43211503"))
        #expect(!merged.covers(category: "43221503"))
    }
}
