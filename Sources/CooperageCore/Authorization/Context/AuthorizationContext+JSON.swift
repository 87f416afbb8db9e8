public import Foundation

extension AuthorizationContext {
    /// The context as a decision stores it (its `inputs`): what `JSONEncoder` writes for it, keys in any order,
    /// with the long lists (an agency's orders of two years) written by hand and the rest by `encoder`.
    /// Decoding it gives the context back (tested), so a decision can be reproduced from what it stored.
    public func storedJSON(encoder: JSONEncoder) throws -> [UInt8] {
        let parts = (
            request: try encoder.encode(request), approvals: try encoder.encode(approvals), tenant: try encoder.encode(tenant),
            agreement: try encoder.encode(agreement), instruments: try encoder.encode(participationInstruments)
        )
        var json = JSONText(capacity: 2048 + 160 * recentOrders.count)
        json.object { object in
            object.member("request") { $0.raw(parts.request) }
            object.member("approvals") { $0.raw(parts.approvals) }
            object.member("tenant") { $0.raw(parts.tenant) }
            object.member("agreement") { $0.raw(parts.agreement) }
            object.member("participationInstruments") { $0.raw(parts.instruments) }
            object.member("committedOnAgreementCents") { $0.int(committedOnAgreementCents) }
            object.member("tenantSpendOnAgreementCents") { $0.int(tenantSpendOnAgreementCents) }
            object.member("tenantSpendOnAgreementThisFiscalYearCents") { $0.int(tenantSpendOnAgreementThisFiscalYearCents) }
            object.member("recentOrders") { value in
                value.array { array in
                    for order in recentOrders {
                        array.object { order.write(into: &$0) }
                    }
                }
            }
            object.member("accountSpentCents") { value in
                value.object { accounts in
                    for (account, cents) in accountSpentCents.sorted(by: { $0.key < $1.key }) {
                        accounts.member(account) { $0.int(cents) }
                    }
                }
            }
            object.member("alternativeSources") { value in
                value.array { array in
                    for source in alternativeSources { array.string(source.rawValue) }
                }
            }
        }
        return json.bytes
    }
}

extension AuthorizationContext.PriorOrder {
    func write(into object: inout JSONText) {
        object.member("date") { $0.string(date) }
        object.member("amountCents") { $0.int(amountCents) }
        object.member("category") { $0.string(category) }
        object.member("supplierId") { $0.string(supplierId) }
        object.member("agreementId") { $0.string(agreementId) }
    }
}
