import CooperageCore
import Testing

@Suite("documentation")
struct DocumentationRuleTests {
    static let packet: JSONValue = ["requiredDocuments": ["Executed Master Agreement", "Solicitation and addenda"]]

    static let cases: [RuleCase] = [
        RuleCase(
            "nothing attached",
            packet,
            .needsEvidence,
            mentions: ["Executed Master Agreement and Solicitation and addenda"]
        ),
        RuleCase(
            "all attached",
            packet,
            .pass,
            mentions: ["sha256 abababababab"],
            adjust: {
                $0.request.evidence.documents = [
                    .init(title: "Executed Master Agreement", sha256: validDigest),
                    .init(title: "SOLICITATION AND ADDENDA", sha256: validDigest.uppercased()),
                ]
            }
        ),
        RuleCase(
            "one attached with a bad digest",
            packet,
            .needsEvidence,
            mentions: ["64 hexadecimal digits"],
            adjust: {
                $0.request.evidence.documents = [
                    .init(title: "Executed Master Agreement", sha256: validDigest),
                    .init(title: "Solicitation and addenda", sha256: String(repeating: "g", count: 64)),
                ]
            }
        ),
        RuleCase(
            "below the threshold",
            ["requiredDocuments": ["Bid tabulation"], "thresholdCents": 10_000_000],
            .notApplicable,
            mentions: ["$100,000.00"]
        ),
    ]

    @Test(arguments: cases)
    func evaluates(_ testCase: RuleCase) { testCase.check(.documentation) }

    static let invalid: [InvalidParameterCase] = [
        InvalidParameterCase(
            "no documents",
            ["requiredDocuments": []],
            pointer: "/rules/0/parameters/requiredDocuments"
        ),
        InvalidParameterCase(
            "threshold as text",
            ["requiredDocuments": ["A"], "thresholdCents": "x"],
            pointer: "/rules/0/parameters/thresholdCents"
        ),
    ]

    @Test(arguments: invalid)
    func rejects(_ testCase: InvalidParameterCase) { testCase.check(.documentation) }
}
