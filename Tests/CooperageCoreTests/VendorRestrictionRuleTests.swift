import CooperageCore
import Foundation
import Testing

@Suite("vendor-restriction")
struct VendorRestrictionRuleTests {
    static let ciq = "Conflict of Interest Questionnaire (Form CIQ)"

    static let cases: [RuleCase] = [
        RuleCase(
            "supplier blocked",
            ["blockedSupplierIds": [.string(id("sup-1").uuidString)]],
            .fail,
            mentions: ["Acme Computers (\(id("sup-1").uuidString.lowercased())) is blocked"]
        ),
        RuleCase(
            "supplier not blocked",
            ["blockedSupplierIds": [.string(id("sup-2").uuidString)]],
            .pass,
            mentions: ["not blocked"]
        ),
        RuleCase("form missing", ["requiredForms": [.string(ciq)]], .needsEvidence, mentions: [ciq]),
        RuleCase(
            "form attached",
            ["requiredForms": [.string(ciq)]],
            .pass,
            mentions: ["vendor forms attached"],
            adjust: { $0.request.evidence.documents = [.init(title: ciq.lowercased(), sha256: validDigest)] }
        ),
        RuleCase(
            "form attached without a valid digest",
            ["requiredForms": [.string(ciq)]],
            .needsEvidence,
            adjust: { $0.request.evidence.documents = [.init(title: ciq, sha256: "not-a-digest")] }
        ),
        RuleCase(
            "blocked supplier fails even with forms",
            ["blockedSupplierIds": [.string(id("sup-1").uuidString)], "requiredForms": [.string(ciq)]],
            .fail,
            adjust: { $0.request.evidence.documents = [.init(title: ciq, sha256: validDigest)] }
        ),
    ]

    @Test(arguments: cases)
    func evaluates(_ testCase: RuleCase) { testCase.check(.vendorRestriction) }

    static let invalid: [InvalidParameterCase] = [
        InvalidParameterCase("nothing to check", [:], pointer: "/rules/0/parameters"),
        InvalidParameterCase(
            "both lists empty",
            ["blockedSupplierIds": [], "requiredForms": []],
            pointer: "/rules/0/parameters"
        ),
        InvalidParameterCase(
            "id instead of a list",
            ["blockedSupplierIds": "sup-1"],
            pointer: "/rules/0/parameters/blockedSupplierIds"
        ),
    ]

    @Test(arguments: invalid)
    func rejects(_ testCase: InvalidParameterCase) { testCase.check(.vendorRestriction) }
}
