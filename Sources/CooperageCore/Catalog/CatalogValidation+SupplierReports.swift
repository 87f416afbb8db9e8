extension CatalogValidation {
    /// The days a supplier has to file a quarter's sales report once the quarter ends.
    public static let supplierReportDueDaysRange = 0...365

    /// `supplierReportDueDays` of an agreement, when supplied.
    public static func supplierReportDueDaysIssues(_ days: Int?) -> [FieldIssue] {
        guard let days, !supplierReportDueDaysRange.contains(days) else { return [] }
        return [
            FieldIssue(
                pointer: "/supplierReportDueDays",
                detail:
                    "must be a number of days from \(supplierReportDueDaysRange.lowerBound) to \(supplierReportDueDaysRange.upperBound)"
            )
        ]
    }
}
