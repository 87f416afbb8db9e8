import CooperageAPI
import CooperageCore
import Foundation
import Testing

/// Authorizations are answered with JSON written by hand; it must be what the API's encoder writes.
@Suite struct ResponseJSONTests {
    @Test func authorizationsAreWrittenAsTheEncoderWritesThem() throws {
        let evidence = AuthorizationContext.Evidence(
            quotes: [.init(supplier: "Acme \"West\"", amountCents: 12_000)],
            justification: "Only / best option\nper policy"
        )
        func decision(_ seq: Int, approved: Bool) -> DecisionRecord {
            DecisionRecord(
                seq: seq,
                outcome: approved ? .approved : .pending,
                results: [
                    RuleResult(
                        kind: .gate,
                        rule: "tenant-active",
                        outcome: .pass,
                        message: "The agency is active.",
                        citation: "DESIGN 2"
                    ),
                    RuleResult(
                        kind: .rule,
                        rule: "approval-threshold",
                        ruleIndex: 0,
                        outcome: .needsApproval,
                        message: "≥ $30,000.00"
                    ),
                ],
                policyVersion: 3,
                authorizedAmountCents: approved ? 4_500_000 : 0,
                validFrom: approved ? LocalDate(iso8601: "2026-12-01") : nil,
                validUntil: approved ? LocalDate(iso8601: "2027-02-28") : nil,
                trigger: seq == 1 ? "request" : "approval",
                decidedAt: Date(timeIntervalSince1970: 1_796_000_000.123 + Double(seq)),
                // Decisions recorded before terms versions were kept have none.
                agreementTermsVersion: seq == 1 ? nil : 2
            )
        }
        for variant in 0..<4 {
            let approvals: [ApprovalRecord]? =
                variant < 2
                ? nil
                : [
                    ApprovalRecord(
                        seq: 1,
                        ruleType: "approval-threshold",
                        ruleIndex: 0,
                        approverRole: "agency-approver",
                        approverTokenId: UUID(),
                        resolutionNumber: "R-2026-14",
                        resolutionDate: LocalDate(iso8601: "2026-11-20"),
                        evidence: evidence,
                        note: variant == 3 ? "Council meeting" : nil,
                        createdAt: Date(timeIntervalSince1970: 1_796_000_000.5)
                    )
                ]
            let first = decision(1, approved: false)
            let latest = variant >= 2 ? decision(2, approved: true) : first
            let record = AuthorizationRecord(
                id: UUID(),
                tenantId: UUID(),
                agreementId: UUID(),
                supplierId: UUID(),
                amountCents: 4_500_000,
                purchaseDate: LocalDate(iso8601: "2026-12-01")!,
                category: "43211503",
                fundingLines: [.init(source: .federal, program: "FEMA-PA", account: "001-1910", amountCents: 4_500_000)],
                purpose: "Laptops for \"Operations\"",
                evidence: variant == 0 ? AuthorizationContext.Evidence() : evidence,
                outcome: latest.outcome,
                authorizedAmountCents: latest.authorizedAmountCents,
                validFrom: latest.validFrom,
                validUntil: latest.validUntil,
                policyVersion: 3,
                createdAt: Date(timeIntervalSince1970: 1_795_999_999.987),
                decision: latest,
                decisions: variant == 1 ? nil : (variant >= 2 ? [first, latest] : [first]),
                approvals: approvals
            )
            let written = try record.responseJSON()
            let encoded = Array(try JSONCoding.encoder.encode(record))
            #expect(
                written == encoded,
                "variant \(variant):\n\(String(decoding: written, as: UTF8.self))\n\(String(decoding: encoded, as: UTF8.self))"
            )
        }
    }

    @Test func usageRecordsAndTheirDigestsAreWrittenAsTheEncoderWritesThem() throws {
        let lines = [
            UsageLine(
                description: "Laptop \"14in\" / dock",
                unspsc: "43211503",
                quantity: 2,
                unitPriceCents: 89_900,
                listPriceCents: 99_000
            ),
            UsageLine(
                description: "Support hours",
                unspsc: "81111811",
                quantity: Quantity(tenThousandths: 25_000),
                unitPriceCents: 12_000
            ),
        ]
        let order = NewUsage(
            authorizationId: UUID(),
            poNumber: "PO-2026/0042",
            orderDate: LocalDate(iso8601: "2026-12-15")!,
            amountCents: 209_800,
            lines: lines
        )
        let sorted = JSONEncoder()
        sorted.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(order.canonicalJSON == Array(try sorted.encode(order)))
        for variant in 0..<3 {
            let record = UsageRecord(
                id: UUID(),
                kind: variant == 2 ? .reversal : .order,
                tenantId: UUID(),
                authorizationId: order.authorizationId,
                agreementId: UUID(),
                supplierId: UUID(),
                category: "43211507",
                poNumber: order.poNumber,
                orderDate: order.orderDate,
                amountCents: variant == 2 ? -1_000 : order.amountCents,
                lines: variant == 2 ? [] : lines,
                reversesId: variant == 2 ? UUID() : nil,
                reason: variant == 2 ? "Returned \"one\" item" : nil,
                source: variant == 1 ? "import" : "agency",
                importId: variant == 1 ? UUID() : nil,
                createdAt: Date(timeIntervalSince1970: 1_796_000_000.456),
                authorizationRemainingCents: variant == 0 ? 1_790_200 : nil
            )
            #expect(record.responseJSON() == Array(try JSONCoding.encoder.encode(record)), "variant \(variant)")
        }
    }
}
