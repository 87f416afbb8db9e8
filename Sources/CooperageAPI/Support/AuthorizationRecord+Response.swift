import CooperageCore
import Foundation
import Hummingbird
import NIOCore

extension AuthorizationRecord: ResponseGenerator {
    /// The record as JSON, written by ``responseJSON()`` rather than the context's encoder.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let bytes = try responseJSON()
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .contentLength: String(bytes.count)],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }

    /// Byte for byte what ``JSONCoding/encoder`` writes for the record (tested), with its envelope and its
    /// decisions written by hand: every decision answers one, and the encoder was a tenth of a decision's work.
    public func responseJSON() throws -> [UInt8] {
        let encoder = JSONCoding.encoder
        let parts = (
            evidence: try encoder.encode(evidence), fundingLines: try encoder.encode(fundingLines),
            approvals: try approvals.map { try encoder.encode($0) }
        )
        var json = JSONText(capacity: 4096)
        json.object { object in
            object.member("agreementId") { $0.string(agreementId) }
            object.member("amountCents") { $0.int(amountCents) }
            if let approvals = parts.approvals { object.member("approvals") { $0.raw(approvals) } }
            object.member("authorizedAmountCents") { $0.int(authorizedAmountCents) }
            object.member("category") { $0.string(category) }
            object.member("createdAt") { $0.string(JSONCoding.timestampFormatter.string(from: createdAt)) }
            object.member("decision") { decision.write(into: &$0) }
            if let decisions {
                object.member("decisions") { value in
                    value.array { array in
                        for decision in decisions { decision.write(into: &array) }
                    }
                }
            }
            object.member("evidence") { $0.raw(parts.evidence) }
            object.member("fundingLines") { $0.raw(parts.fundingLines) }
            object.member("id") { $0.string(id) }
            object.member("outcome") { $0.string(outcome.rawValue) }
            object.member("policyVersion") { $0.int(policyVersion) }
            object.member("purchaseDate") { $0.string(purchaseDate) }
            object.member("purpose") { $0.string(purpose) }
            object.member("supplierId") { $0.string(supplierId) }
            object.member("tenantId") { $0.string(tenantId) }
            if let validFrom { object.member("validFrom") { $0.string(validFrom) } }
            if let validUntil { object.member("validUntil") { $0.string(validUntil) } }
        }
        return json.bytes
    }
}

extension DecisionRecord {
    func write(into json: inout JSONText) {
        json.object { object in
            if let agreementTermsVersion { object.member("agreementTermsVersion") { $0.int(agreementTermsVersion) } }
            object.member("authorizedAmountCents") { $0.int(authorizedAmountCents) }
            object.member("decidedAt") { $0.string(JSONCoding.timestampFormatter.string(from: decidedAt)) }
            object.member("outcome") { $0.string(outcome.rawValue) }
            object.member("policyVersion") { $0.int(policyVersion) }
            object.member("results") { $0.raw(RuleResult.jsonText(results)) }
            object.member("seq") { $0.int(seq) }
            object.member("trigger") { $0.string(trigger) }
            if let validFrom { object.member("validFrom") { $0.string(validFrom) } }
            if let validUntil { object.member("validUntil") { $0.string(validUntil) } }
        }
    }
}
