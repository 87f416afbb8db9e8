import CooperageCore
import Foundation
import PostgresNIO

extension SupplierReportStore {
    /// Raises `supplier-report.overdue`, a cooperative alert, for every report missing past its due date on `today`
    /// (``overdue(asOf:agreementID:as:)``) and returns how many it raised. Each agreement and quarter is raised once,
    /// whatever the number of server instances or runs: its dedupe key
    /// (``OverdueSupplierReport/alertDedupeKey``) is unique in the outbox. The daily ``AlertScheduler`` runs it.
    public func raiseOverdueAlerts(asOf today: LocalDate) async throws -> Int {
        let missing = try await overdue(asOf: today).filter { $0.status == .missing }
        guard !missing.isEmpty else { return 0 }
        let logger = database.logger
        return try await database.withTransaction { connection in
            var raised = 0
            for report in missing {
                let agreement = report.agreementId.uuidString.lowercased()
                let published = try await EventLog.publish(
                    on: connection,
                    scope: .cooperative,
                    type: .supplierReportOverdue,
                    subject: Event.Subject(type: "agreement", id: agreement),
                    data: .object([
                        "agreementId": .string(agreement),
                        "number": .string(report.agreementNumber),
                        "supplierId": .string(report.supplierId.uuidString.lowercased()),
                        "supplierName": .string(report.supplierName),
                        "year": .int(report.year),
                        "quarter": .int(report.quarter),
                        "period": .string(report.period),
                        "quarterEndsOn": .string(report.quarterEndsOn.description),
                        "dueOn": .string(report.dueOn.description),
                        "daysOverdue": .int(report.daysOverdue),
                    ]),
                    dedupeKey: report.alertDedupeKey,
                    logger: logger
                )
                if published != nil { raised += 1 }
            }
            return raised
        }
    }
}
