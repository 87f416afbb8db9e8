import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// Supplier quarterly sales reports: cooperative-level data (the supplier reports to the cooperative), filed by the
/// cooperative for a supplier or by the supplier itself, lines matched to agencies by cooperative number, audited on
/// the cooperative chain.
///
/// A report is versioned: the first one of an agreement and quarter is version 1, and an amendment files the next
/// version, which supersedes the current one. No version is ever changed or removed (sql/0024); reconciliation and
/// admin fees read the latest version of each agreement and quarter.
public struct SupplierReportStore: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Whose reports a call reads and files.
    public enum Reader: Sendable, Hashable {
        /// Cooperative staff: every supplier's reports, as the server's role.
        case cooperative
        /// A supplier's own token: its reports, agreements and usage only, under row-level security
        /// (``Database/withSupplier(_:_:)``). Another supplier's objects are not found.
        case supplier(UUID)
    }

    /// Runs `body` in the transaction `reader` reads in.
    func scoped<Result: Sendable>(
        _ reader: Reader,
        _ body: sending @escaping (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        switch reader {
        case .cooperative: try await database.withTransaction(body)
        case .supplier(let supplierID): try await database.withSupplier(supplierID, body)
        }
    }

    /// Files the first report of an agreement and quarter. A second one is a conflict naming the report to amend; a
    /// line is matched to the one tenant whose cooperative number it quotes (no match when none or several have it).
    /// A supplier files only for its own agreements (another's is not found).
    public func record(_ report: NewSupplierReport, as reader: Reader = .cooperative, by actor: Actor) async throws
        -> SupplierReport
    {
        try await file(report, amending: nil, as: reader, by: actor)
    }

    /// Files a new version of the report `id`, which must be the latest of its agreement and quarter, for the same
    /// agreement, year and quarter. The amended version is kept; the new one supersedes it.
    public func amend(_ id: UUID, with report: NewSupplierReport, as reader: Reader = .cooperative, by actor: Actor)
        async throws -> SupplierReport
    {
        try await file(report, amending: id, as: reader, by: actor)
    }

    /// What an amendment's audit event records: the new version's body, and what it supersedes.
    struct Amendment: Encodable {
        var report: NewSupplierReport
        var version: Int
        var supersedes: UUID
    }

    private func file(_ report: NewSupplierReport, amending previousID: UUID?, as reader: Reader, by actor: Actor)
        async throws -> SupplierReport
    {
        let logger = database.logger
        do {
            return try await scoped(reader) { connection in
                var version = 1
                if let previousID {
                    version = try await Self.nextVersion(amending: previousID, with: report, on: connection, logger: logger)
                }
                guard
                    let (supplierID, dueDays) = try await connection.query(
                        "SELECT supplier_id, supplier_report_due_days FROM agreement WHERE id = \(report.agreementId)",
                        logger: logger
                    ).decode((UUID, Int).self).array().first
                else {
                    if case .supplier = reader { throw StoreError.notFound("agreement") }
                    throw StoreError.invalid(pointer: "/agreementId", detail: "no Master Agreement has this id")
                }
                if previousID == nil, let existing = try await Self.latest(of: report, on: connection, logger: logger) {
                    throw Self.duplicate(report, latest: existing)
                }
                let numbers = Array(Set(report.lines.compactMap(\.normalizedCooperativeNumber))).sorted()
                var tenants: [String: UUID] = [:]
                for try await (number, tenant, count) in try await connection.query(
                    """
                    SELECT cooperative_number, (array_agg(id))[1], count(*)::bigint FROM tenant
                    WHERE cooperative_number = ANY(\(numbers)::text[]) GROUP BY cooperative_number
                    """,
                    logger: logger
                ).decode((String, UUID, Int).self) where count == 1 {
                    tenants[number] = tenant
                }
                let id = UUID()
                guard let total = Money.sum(report.lines.map(\.amountCents), maximum: .max),
                    let fees = Money.sum(report.lines.map(\.feeCents), maximum: .max)
                else { throw StoreError.invalid(pointer: "/lines", detail: "the lines add up to more than 64-bit cents hold") }
                let dueOn = NewSupplierReport.quarterDays(year: report.year, quarter: report.quarter).upperBound
                    .adding(days: dueDays)
                try await connection.run(
                    """
                    INSERT INTO supplier_report (id, agreement_id, supplier_id, year, quarter, version, supersedes_id, due_on,
                                                 total_cents, fee_cents, line_count, submitted_by)
                    VALUES (\(id), \(report.agreementId), \(supplierID), \(report.year), \(report.quarter), \(version),
                            \(previousID), \(dueOn.description)::date, \(total), \(fees), \(report.lines.count), \(actor.tokenID))
                    """,
                    logger: logger
                )
                if !report.lines.isEmpty {
                    let lines = report.lines
                    try await connection.run(
                        """
                        INSERT INTO supplier_report_line (report_id, supplier_id, line_number, agency_name, cooperative_number,
                                                          agency_tenant_id, invoice_date, amount_cents, fee_cents)
                        SELECT \(id), \(supplierID), l.line_number, l.agency_name, NULLIF(l.cooperative_number, ''),
                               NULLIF(l.tenant, '')::uuid, l.invoice_date, l.amount_cents, l.fee_cents
                        FROM unnest(
                            \(Array(1...lines.count))::int4[], \(lines.map { $0.agencyName.trimmingCharacters(in: .whitespaces) })::text[],
                            \(lines.map { $0.normalizedCooperativeNumber ?? "" })::text[],
                            \(lines.map { $0.normalizedCooperativeNumber.flatMap { tenants[$0]?.uuidString } ?? "" })::text[],
                            \(lines.map(\.invoiceDate.description))::date[], \(lines.map(\.amountCents))::int8[],
                            \(lines.map(\.feeCents))::int8[])
                            AS l(line_number, agency_name, cooperative_number, tenant, invoice_date, amount_cents, fee_cents)
                        """,
                        logger: logger
                    )
                }
                let filed = try await fetch(id, lines: true, on: connection)
                // The cooperative's audit chain is out of the supplier's role's reach: the event is appended as the
                // server, in the same transaction as the report.
                if case .supplier = reader { try await Database.leaveSupplierScope(on: connection, logger: logger) }
                if let previousID {
                    try await AuditLog.append(
                        on: connection,
                        tenant: nil,
                        actor: actor,
                        action: .supplierReportAmended,
                        subject: .supplierReport(id),
                        payload: Amendment(report: report, version: version, supersedes: previousID),
                        logger: logger
                    )
                } else {
                    try await AuditLog.append(
                        on: connection,
                        tenant: nil,
                        actor: actor,
                        action: .supplierReportRecorded,
                        subject: .supplierReport(id),
                        payload: report,
                        logger: logger
                    )
                }
                return filed
            }
        } catch let error as PSQLError where error.sqlState == .uniqueViolation {
            switch error.serverInfo?[.constraintName] {
            case "supplier_report_version_key" where previousID == nil:
                // A concurrent request filed this agreement and quarter first.
                let latest = try await scoped(reader) { connection in
                    try await Self.latest(of: report, on: connection, logger: logger)
                }
                guard let latest else { throw error }
                throw Self.duplicate(report, latest: latest)
            case "supplier_report_version_key", "supplier_report_supersedes_key":
                throw StoreError.conflict(
                    pointer: "",
                    detail:
                        "another amendment of this report was filed at the same moment; read the latest version and amend that one if needed"
                )
            default:
                throw error
            }
        }
    }

    /// The version an amendment of `previousID` files: one more than it, when it is the latest version and `report`
    /// names its agreement and quarter.
    private static func nextVersion(
        amending previousID: UUID,
        with report: NewSupplierReport,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> Int {
        guard
            let row = try await connection.query(
                """
                SELECT r.agreement_id, r.year, r.quarter, r.version,
                       (SELECT n.id FROM supplier_report n WHERE n.supersedes_id = r.id) AS superseded_by
                FROM supplier_report r WHERE r.id = \(previousID)
                """,
                logger: logger
            ).array().first.map(NamedRow.init)
        else { throw StoreError.notFound("supplier report") }
        var issues: [FieldIssue] = []
        let agreement: UUID = try row["agreement_id"]
        let year: Int = try row["year"]
        let quarter: Int = try row["quarter"]
        if agreement != report.agreementId {
            issues.append(
                FieldIssue(pointer: "/agreementId", detail: "must be the amended report's agreement, \(agreement.lowercased)")
            )
        }
        if year != report.year {
            issues.append(FieldIssue(pointer: "/year", detail: "must be the amended report's year, \(year)"))
        }
        if quarter != report.quarter {
            issues.append(FieldIssue(pointer: "/quarter", detail: "must be the amended report's quarter, \(quarter)"))
        }
        if let issue = issues.first { throw StoreError.invalid(pointer: issue.pointer, detail: issue.detail) }
        if let successor: UUID = try row["superseded_by"] {
            throw StoreError.conflict(
                pointer: "",
                detail:
                    "this version is superseded by \(successor.lowercased); amend the latest version of the \(year)-Q\(quarter) report"
            )
        }
        let version: Int = try row["version"]
        return version + 1
    }

    /// The latest version of the report for `report`'s agreement and quarter, if one was filed.
    private static func latest(of report: NewSupplierReport, on connection: PostgresConnection, logger: Logger) async throws
        -> UUID?
    {
        try await connection.query(
            """
            SELECT id FROM supplier_report_latest
            WHERE agreement_id = \(report.agreementId) AND year = \(report.year) AND quarter = \(report.quarter)
            """,
            logger: logger
        ).decode(UUID.self).array().first
    }

    static func duplicate(_ report: NewSupplierReport, latest: UUID) -> StoreError {
        .conflict(
            pointer: "",
            detail:
                "a report for this agreement and \(report.year)-Q\(report.quarter) is already filed (latest version \(latest.lowercased)); to correct it, file an amendment: POST /v1/supplier-reports/\(latest.lowercased)/amendments"
        )
    }

    /// One report (any version) with its lines.
    public func get(_ id: UUID, as reader: Reader = .cooperative) async throws -> SupplierReport {
        try await scoped(reader) { connection in try await fetch(id, lines: true, on: connection) }
    }

    /// A page of reports (every version, each saying whether it is the latest), newest first, optionally for one
    /// agreement, or only the latest versions.
    public func list(
        limit: Int,
        before cursor: Int64?,
        agreementID: UUID?,
        latestOnly: Bool = false,
        as reader: Reader = .cooperative
    ) async throws -> ([SupplierReport], next: Int64?) {
        let logger = database.logger
        return try await scoped(reader) { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.source)
                WHERE (\(cursor)::bigint IS NULL OR r.seq < \(cursor)) AND (\(agreementID)::uuid IS NULL OR r.agreement_id = \(agreementID))
                  AND (NOT \(latestOnly) OR NOT EXISTS (SELECT 1 FROM supplier_report n WHERE n.supersedes_id = r.id))
                ORDER BY r.seq DESC LIMIT \(limit + 1)
                """,
                logger: logger
            )
            var page: [(SupplierReport, Int64)] = []
            for try await row in rows { page.append(try Self.decode(row)) }
            let next = page.count > limit ? page[limit - 1].1 : nil
            return (page.prefix(limit).map(\.0), next)
        }
    }

    static let columns = """
        r.id, r.agreement_id, a.number AS agreement_number, r.supplier_id, s.name AS supplier_name, r.year, r.quarter,
        r.version, r.supersedes_id, (SELECT n.id FROM supplier_report n WHERE n.supersedes_id = r.id) AS superseded_by_id,
        to_char(r.due_on, 'YYYY-MM-DD') AS due_on, to_char((r.created_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS submitted_on,
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
                version: try row["version"],
                supersedesId: try row["supersedes_id"],
                supersededById: try row["superseded_by_id"],
                dueOn: try row.optionalDate("due_on"),
                submittedOn: try row.date("submitted_on"),
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

extension UUID {
    /// The id as the API writes it.
    fileprivate var lowercased: String { uuidString.lowercased() }
}
