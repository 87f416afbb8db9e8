public import Foundation

/// A report over the cooperative or one agency, for a range of months: the members its JSON starts with.
public protocol ScopedReport: ReportDocument {
    var scope: ReportScope { get }
    var from: LocalDate? { get }
    var to: LocalDate? { get }
}

extension ScopedReport {
    /// The one agency whose rows are shown, if the scope names one.
    public var tenantId: UUID? { scope.tenant }

    /// Writes `report`, `scope`, `tenantId`, `from` and `to`; the report adds its own members after.
    func encodeHeader(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: HeaderKeys.self)
        try container.encode(report, forKey: .report)
        try container.encode(scope.name, forKey: .scope)
        try container.encodeIfPresent(tenantId, forKey: .tenantId)
        try container.encodeIfPresent(from, forKey: .from)
        try container.encodeIfPresent(to, forKey: .to)
    }
}

private enum HeaderKeys: String, CodingKey {
    case report, scope, tenantId, from, to
}
