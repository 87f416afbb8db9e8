import CooperageCore
import Foundation
import Testing

@Suite struct TenantValidationTests {
    @Test(arguments: [
        ("austin", true), ("city-of-austin-2", true), ("Austin", false), ("-a", false), ("a--b", false), ("a_b", false),
        ("", false),
    ])
    func slugs(_ slug: String, _ valid: Bool) {
        #expect(TenantValidation.isValidSlug(slug) == valid)
    }

    @Test(arguments: [("12-3456789", true), ("123456789", false), ("12-345678", false), ("ab-cdefghi", false)])
    func employerIdentificationNumbers(_ ein: String, _ valid: Bool) {
        #expect(TenantValidation.isValidEIN(ein) == valid)
    }

    @Test(arguments: [
        ("J7M9HPTGJ1S9", true), ("0ABCDEFGHJKL", false), ("ABCDEFGHIJKL", false), ("ABC", false),
        ("j7m9hptgj1s9", false),
    ])
    func samUniqueEntityIDs(_ uei: String, _ valid: Bool) {
        #expect(TenantValidation.isValidSAMUEI(uei) == valid)
    }

    @Test func everyProblemNamesItsField() {
        let issues = TenantValidation.issues(
            legalName: " ",
            slug: "Bad Slug",
            fiscalYearStartMonth: 13,
            identifiers: TenantIdentifiers(ein: "1", samUei: "x", cooperativeNumber: "")
        )
        #expect(
            Set(issues.map(\.pointer)) == [
                "/legalName", "/slug", "/fiscalYearStartMonth", "/identifiers/ein", "/identifiers/samUei",
                "/identifiers/cooperativeNumber",
            ]
        )
    }

    @Test func statesAreTwoLetterUSPSCodes() {
        #expect(USState("TX") != nil)
        #expect(USState("DC") != nil)
        #expect(USState("tx") == nil)
        #expect(USState("ZZ") == nil)
    }

    @Test func patchDistinguishesAbsentFromNull() throws {
        let absent = try JSONDecoder().decode(TenantChanges.self, from: Data(#"{"legalName":"X"}"#.utf8))
        #expect(absent.parentId == nil)
        let cleared = try JSONDecoder().decode(
            TenantChanges.self,
            from: Data(#"{"parentId":null,"identifiers":{"ein":null}}"#.utf8)
        )
        #expect(cleared.parentId == .some(nil))
        #expect(cleared.ein == .some(nil))
        #expect(cleared.samUei == nil)
    }
}
