import CooperageCore
import Foundation
import Hummingbird
import NIOCore

extension UsageRecord: ResponseGenerator {
    /// The record as JSON, written by ``responseJSON()`` rather than the context's encoder.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let bytes = responseJSON()
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .contentLength: String(bytes.count)],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }

    /// Byte for byte what ``JSONCoding/encoder`` writes for the record (tested): every registration answers one.
    public func responseJSON() -> [UInt8] {
        var json = JSONText(capacity: 512 + 128 * lines.count)
        json.object { object in
            object.member("agreementId") { $0.string(agreementId) }
            object.member("amountCents") { $0.int(amountCents) }
            object.member("authorizationId") { $0.string(authorizationId) }
            if let remaining = authorizationRemainingCents {
                object.member("authorizationRemainingCents") { $0.int(remaining) }
            }
            object.member("category") { $0.string(category) }
            object.member("createdAt") { $0.string(JSONCoding.timestampFormatter.string(from: createdAt)) }
            object.member("id") { $0.string(id) }
            if let importId { object.member("importId") { $0.string(importId) } }
            object.member("kind") { $0.string(kind.rawValue) }
            object.member("lines") { $0.raw(UsageLine.jsonText(lines).utf8) }
            object.member("orderDate") { $0.string(orderDate) }
            object.member("poNumber") { $0.string(poNumber) }
            if let reason { object.member("reason") { $0.string(reason) } }
            if let reversesId { object.member("reversesId") { $0.string(reversesId) } }
            object.member("source") { $0.string(source) }
            object.member("supplierId") { $0.string(supplierId) }
            object.member("tenantId") { $0.string(tenantId) }
        }
        return json.bytes
    }
}
