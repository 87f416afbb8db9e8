import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// Supplier quarterly sales reports: cooperative-level data (the supplier reports to the cooperative),
/// recorded once per agreement and quarter, lines matched to agencies by cooperative number, audited on
/// the cooperative chain.
public struct SupplierReportStore: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Records a report. A second report for the same agreement and quarter is a conflict; a line is matched
    /// to the one tenant whose cooperative number it quotes (no match when none or several have it).
    public func record(_ report: NewSupplierReport, by actor: Actor) async throws -> SupplierReport {
        do {
            return try await database.withTransaction { connection in
                guard
                    let supplierID = try await connection.query(
                        "SELECT supplier_id FROM agreement WHERE id = \(report.agreementId)",
                        logger: database.logger
                    ).decode(UUID.self).array().first
                else {
                    throw StoreError.invalid(pointer: "/agreementId", detail: "no Master Agreement has this id")
                }
                if let existing = try await connection.query(
                    """
                    SELECT id FROM supplier_report
                    WHERE agreement_id = \(report.agreementId) AND year = \(report.year) AND quarter = \(report.quarter)
                    """,
                    logger: database.logger
                ).decode(UUID.self).array().first {
                    throw Self.duplicate(report, existing: existing)
                }
                let numbers = Array(Set(report.lines.compactMap(\.normalizedCooperativeNumber))).sorted()
                var tenants: [String: UUID] = [:]
                for try await (number, tenant, count) in try await connection.query(
                    """
                    SELECT cooperative_number, (array_agg(id))[1], count(*)::bigint FROM tenant
                    WHERE cooperative_number = ANY(\(numbers)::text[]) GROUP BY cooperative_number
                    """,
                    logger: database.logger
                ).decode((String, UUID, Int).self) where count == 1 {
                    tenants[number] = tenant
                }
                let id = UUID()
                guard let total = Money.sum(report.lines.map(\.amountCents), maximum: .max),
                    let fees = Money.sum(report.lines.map(\.feeCents), maximum: .max)
                else { throw StoreError.invalid(pointer: "/lines", detail: "the lines add up to more than 64-bit cents hold") }
                try await connection.query(
                    """
                    INSERT INTO supplier_report (id, agreement_id, supplier_id, year, quarter, total_cents, fee_cents, line_count,
                                                 submitted_by)
                    VALUES (\(id), \(report.agreementId), \(supplierID), \(report.year), \(report.quarter), \(total), \(fees),
                            \(report.lines.count), \(actor.tokenID))
                    """,
                    logger: database.logger
                )
                if !report.lines.isEmpty {
                    let lines = report.lines
                    try await connection.query(
                        """
                        INSERT INTO supplier_report_line (report_id, line_number, agency_name, cooperative_number, agency_tenant_id,
                                                          invoice_date, amount_cents, fee_cents)
                        SELECT \(id), l.line_number, l.agency_name, NULLIF(l.cooperative_number, ''), NULLIF(l.tenant, '')::uuid,
                               l.invoice_date, l.amount_cents, l.fee_cents
                        FROM unnest(
                            \(Array(1...lines.count))::int4[], \(lines.map { $0.agencyName.trimmingCharacters(in: .whitespaces) })::text[],
                            \(lines.map { $0.normalizedCooperativeNumber ?? "" })::text[],
                            \(lines.map { $0.normalizedCooperativeNumber.flatMap { tenants[$0]?.uuidString } ?? "" })::text[],
                            \(lines.map(\.invoiceDate.description))::date[], \(lines.map(\.amountCents))::int8[],
                            \(lines.map(\.feeCents))::int8[])
                            AS l(line_number, agency_name, cooperative_number, tenant, invoice_date, amount_cents, fee_cents)
                        """,
                        logger: database.logger
                    )
                }
                try await AuditLog.append(
                    on: connection,
                    tenant: nil,
                    actor: actor,
                    action: .supplierReportRecorded,
                    subject: .supplierReport(id),
                    payload: report,
                    logger: database.logger
                )
                return try await fetch(id, lines: true, on: connection)
            }
        } catch let error as PSQLError where error.serverInfo?[.constraintName] == "supplier_report_period_key" {
            // A concurrent request recorded this agreement and quarter first.
            let existing = try await database.withTransaction { connection in
                try await connection.query(
                    """
                    SELECT id FROM supplier_report
                    WHERE agreement_id = \(report.agreementId) AND year = \(report.year) AND quarter = \(report.quarter)
                    """,
                    logger: database.logger
                ).decode(UUID.self).array().first
            }
            guard let existing else { throw error }
            throw Self.duplicate(report, existing: existing)
        }
    }

    static func duplicate(_ report: NewSupplierReport, existing: UUID) -> StoreError {
        .conflict(
            pointer: "",
            detail:
                "a report for this agreement and \(report.year)-Q\(report.quarter) is already recorded (\(existing.uuidString.lowercased())); corrections are not supported yet"
        )
    }

    /// One report with its lines.
    public func get(_ id: UUID) async throws -> SupplierReport {
        try await database.withTransaction { connection in try await fetch(id, lines: true, on: connection) }
    }

    /// A page of reports, newest first, optionally for one agreement.
    public func list(limit: Int, before cursor: Int64?, agreementID: UUID?) async throws -> ([SupplierReport], next: Int64?) {
        try await database.withTransaction { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.source)
                WHERE (\(cursor)::bigint IS NULL OR r.seq < \(cursor)) AND (\(agreementID)::uuid IS NULL OR r.agreement_id = \(agreementID))
                ORDER BY r.seq DESC LIMIT \(limit + 1)
                """,
                logger: database.logger
            )
            var page: [(SupplierReport, Int64)] = []
            for try await row in rows { page.append(try Self.decode(row)) }
            let next = page.count > limit ? page[limit - 1].1 : nil
            return (page.prefix(limit).map(\.0), next)
        }
    }

    static let columns = """
        r.id, r.agreement_id, a.number AS agreement_number, r.supplier_id, s.name AS supplier_name, r.year, r.quarter,
        r.total_cents, r.fee_cents, r.line_count,
        (SELECT count(*) FROM supplier_report_line l WHERE l.report_id = r.id AND l.agency_tenant_id IS NOT NULL)::bigint
            AS matched_line_count,
        r.submitted_by, r.created_at, r.seq
        """
    static let source = "supplier_report r JOIN agreement a ON a.id = r.agreement_id JOIN supplier s ON s.id = r.supplier_id"

    static func decode(_ row: PostgresRow) throws -> (SupplierReport, Int64) {
        let row = NamedRow(row)
        return (
            SupplierReport(
                id: try row["id"],
                agreementId: try row["agreement_id"],
                agreementNumber: try row["agreement_number"],
                supplierId: try row["supplier_id"],
                supplierName: try row["supplier_name"],
                year: try row["year"],
                quarter: try row["quarter"],
                totalCents: try row["total_cents"],
                feeCents: try row["fee_cents"],
                lineCount: try row["line_count"],
                matchedLineCount: try row["matched_line_count"],
                submittedBy: try row["submitted_by"],
                createdAt: try row["created_at"]
            ),
            try row["seq"]
        )
    }

    func fetch(_ id: UUID, lines: Bool, on connection: PostgresConnection) async throws -> SupplierReport {
        var found: SupplierReport?
        for try await row in try await connection.query(
            "SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.source) WHERE r.id = \(id)",
            logger: database.logger
        ) {
            found = try Self.decode(row).0
        }
        guard var report = found else { throw StoreError.notFound("supplier report") }
        if lines {
            var items: [SupplierReportLine] = []
            for try await row in try await connection.query(
                """
                SELECT line_number, agency_name, cooperative_number, agency_tenant_id, invoice_date::text AS invoice_date,
                       amount_cents, fee_cents
                FROM supplier_report_line WHERE report_id = \(id) ORDER BY line_number
                """,
                logger: database.logger
            ) {
                let row = NamedRow(row)
                items.append(
                    SupplierReportLine(
                        lineNumber: try row["line_number"],
                        agencyName: try row["agency_name"],
                        cooperativeNumber: try row["cooperative_number"],
                        agencyTenantId: try row["agency_tenant_id"],
                        invoiceDate: try row.date("invoice_date"),
                        amountCents: try row["amount_cents"],
                        feeCents: try row["fee_cents"]
                    )
                )
            }
            report.lines = items
        }
        return report
    }
}
