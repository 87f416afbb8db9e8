import Foundation

extension BuyingPowerReport {
    /// The report's JSON, byte for byte what `JSONEncoder` (sorted keys, unescaped slashes) writes, written by
    /// hand: a cooperative report by agreement and quarter has thousands of rows, and the encoder took about
    /// 150 ms of CPU for 4,000 of them.
    public var jsonText: String? { jsonText(freshness: nil) }

    /// ``jsonText`` with the members `asOf` and `readFrom` when `freshness` is given, in their sorted places.
    public func jsonText(freshness: ReportFreshness?) -> String? {
        var json = JSONText(capacity: 512 + 220 * rows.count)
        json.object { report in
            if let totals = agreementTotals {
                report.member("agreementTotals") { value in
                    value.array { array in
                        for total in totals {
                            array.object { object in
                                object.member("agencyCount") { $0.int(total.agencyCount) }
                                object.member("agreementId") { $0.string(total.agreementId) }
                                object.member("agreementNumber") { $0.string(total.agreementNumber) }
                                object.member("orderCount") { $0.int(total.orderCount) }
                                object.member("totalCents") { $0.int(total.totalCents) }
                            }
                        }
                    }
                }
            }
            if let freshness { report.member("asOf") { $0.string(freshness.asOfText) } }
            if let categoryDigits { report.member("categoryDigits") { $0.int(categoryDigits) } }
            if let fiscalYearStartMonth { report.member("fiscalYearStartMonth") { $0.int(fiscalYearStartMonth) } }
            if let from { report.member("from") { $0.string(from) } }
            report.member("groupBy") { value in
                value.array { array in
                    for dimension in groupBy { array.string(dimension.rawValue) }
                }
            }
            if let period { report.member("period") { $0.string(period.rawValue) } }
            if let freshness { report.member("readFrom") { $0.string(freshness.source.rawValue) } }
            report.member("report") { $0.string(self.report.rawValue) }
            report.member("rows") { value in
                value.array { array in
                    for row in rows { array.object { row.write(into: &$0) } }
                }
            }
            report.member("scope") { $0.string(scope.name) }
            if let tenantId { report.member("tenantId") { $0.string(tenantId) } }
            if let to { report.member("to") { $0.string(to) } }
        }
        return json.text
    }
}

extension BuyingPowerRow {
    /// The row's members in sorted order, absent ones left out (as the encoder's `encodeIfPresent` does).
    func write(into object: inout JSONText) {
        object.member("agencyCount") { $0.int(agencyCount) }
        if let agreementId { object.member("agreementId") { $0.string(agreementId) } }
        if let agreementNumber { object.member("agreementNumber") { $0.string(agreementNumber) } }
        if let category { object.member("category") { $0.string(category) } }
        if let entityType { object.member("entityType") { $0.string(entityType) } }
        if let leadAgencyId { object.member("leadAgencyId") { $0.string(leadAgencyId) } }
        if let leadAgencyName { object.member("leadAgencyName") { $0.string(leadAgencyName) } }
        object.member("orderCount") { $0.int(orderCount) }
        if let period { object.member("period") { $0.string(period) } }
        if let periodEnd { object.member("periodEnd") { $0.string(periodEnd) } }
        if let periodStart { object.member("periodStart") { $0.string(periodStart) } }
        if let state { object.member("state") { $0.string(state) } }
        if let supplierId { object.member("supplierId") { $0.string(supplierId) } }
        if let supplierName { object.member("supplierName") { $0.string(supplierName) } }
        if let tenantId { object.member("tenantId") { $0.string(tenantId) } }
        if let tenantName { object.member("tenantName") { $0.string(tenantName) } }
        object.member("totalCents") { $0.int(totalCents) }
    }
}
