import CooperageCore
import Foundation
import Logging
import PostgresNIO

extension ReportStore {
    // MARK: Administrative fees

    /// Registered spend per agreement and quarter with the fee it carries, beside what the supplier reported
    /// (for one tenant: the supplier's lines that name it).
    func adminFees(_ parameters: ReportParameters, scope: ReportScope) async throws -> AdminFeeReport {
        let filter = Filter(parameters, tenant: scope.tenant, wholeQuarters: true)
        let rows: [AdminFeeRow] = try await read(scope) { connection in
            var rows: [AdminFeeRow] = []
            for try await row
                in try await connection
                .query(
                    filter.query(
                        """
                        WITH spend AS (
                            SELECT m.agreement_id, extract(year FROM m.month)::int AS year, extract(quarter FROM m.month)::int AS quarter,
                                   sum(m.amount_cents)::bigint AS cents
                            FROM usage_monthly m WHERE \(Self.usageFilter) GROUP BY 1, 2, 3),
                        reported AS (
                            SELECT r.agreement_id, r.year, r.quarter, r.total_cents AS sales, r.fee_cents AS fees
                            FROM supplier_report_latest r
                            WHERE $4::uuid IS NULL AND \(Self.reportFilter)
                            UNION ALL
                            SELECT r.agreement_id, r.year, r.quarter, sum(l.amount_cents)::bigint, sum(l.fee_cents)::bigint
                            FROM supplier_report_latest r JOIN supplier_report_line l ON l.report_id = r.id
                            WHERE l.agency_tenant_id = $4::uuid AND \(Self.reportFilter)
                            GROUP BY 1, 2, 3)
                        SELECT x.agreement_id, a.number AS agreement_number, a.admin_fee_basis_points, s.id AS supplier_id,
                               s.name AS supplier_name, x.year, x.quarter, coalesce(x.cents, 0)::bigint AS spend_cents,
                               x.sales, x.fees
                        FROM (spend sp FULL JOIN reported rp USING (agreement_id, year, quarter)) AS x
                        JOIN agreement a ON a.id = x.agreement_id JOIN supplier s ON s.id = a.supplier_id
                        ORDER BY s.name, s.id, a.number, a.id, x.year, x.quarter
                        """
                    ),
                    logger: database.logger
                )
            {
                let row = NamedRow(row)
                rows.append(
                    AdminFeeRow(
                        supplierId: try row["supplier_id"],
                        supplierName: try row["supplier_name"],
                        agreementId: try row["agreement_id"],
                        agreementNumber: try row["agreement_number"],
                        year: try row["year"],
                        quarter: try row["quarter"],
                        spendCents: try row["spend_cents"],
                        adminFeeBasisPoints: try row["admin_fee_basis_points"],
                        reportedSalesCents: try row["sales"],
                        reportedFeeCents: try row["fees"]
                    )
                )
            }
            return rows
        }
        return AdminFeeReport(scope: scope, from: filter.from, to: filter.to, rows: rows)
    }

    /// Supplier reports (`r`, the latest version of each agreement and quarter: `supplier_report_latest`) whose quarter
    /// falls in `$1...$2` for the agreements `$3`.
    static let reportFilter = """
        ($1::date IS NULL OR make_date(r.year, r.quarter * 3 - 2, 1) >= $1::date)
        AND ($2::date IS NULL OR make_date(r.year, r.quarter * 3 - 2, 1) <= $2::date)
        AND (cardinality($3::uuid[]) = 0 OR r.agreement_id = ANY($3::uuid[]))
        """

    // MARK: Savings

    /// List price minus price paid per agreement (and per tenant for the cooperative).
    func savings(_ parameters: ReportParameters, scope: ReportScope) async throws -> SavingsReport {
        let filter = Filter(parameters, tenant: scope.tenant)
        let perTenant = if case .cooperative = scope { true } else { false }
        let tenantColumns =
            perTenant ? "t.id AS tenant_id, t.legal_name AS tenant_name" : "NULL::uuid AS tenant_id, NULL::text AS tenant_name"
        let rows: [SavingsRow] = try await read(scope) { connection in
            var rows: [SavingsRow] = []
            for try await row in try await connection.query(
                filter.query(
                    """
                    SELECT a.id AS agreement_id, a.number AS agreement_number, s.id AS supplier_id, s.name AS supplier_name,
                           \(tenantColumns), sum(m.amount_cents)::bigint AS spend_cents, sum(m.list_cents)::bigint AS list_cents,
                           sum(m.listed_paid_cents)::bigint AS listed_paid_cents
                    FROM usage_monthly m JOIN agreement a ON a.id = m.agreement_id JOIN supplier s ON s.id = a.supplier_id
                    JOIN tenant t ON t.id = m.tenant_id
                    WHERE \(Self.usageFilter)
                    GROUP BY a.id, a.number, s.id, s.name\(perTenant ? ", t.id, t.legal_name" : "")
                    ORDER BY agreement_number, agreement_id, tenant_name, tenant_id
                    """
                ),
                logger: database.logger
            ) {
                let row = NamedRow(row)
                rows.append(
                    SavingsRow(
                        agreementId: try row["agreement_id"],
                        agreementNumber: try row["agreement_number"],
                        supplierId: try row["supplier_id"],
                        supplierName: try row["supplier_name"],
                        tenantId: try row["tenant_id"],
                        tenantName: try row["tenant_name"],
                        spendCents: try row["spend_cents"],
                        listCents: try row["list_cents"],
                        listedPaidCents: try row["listed_paid_cents"]
                    )
                )
            }
            return rows
        }
        return SavingsReport(
            scope: scope,
            from: parameters.from,
            to: parameters.to,
            rows: rows
        )
    }

    // MARK: Reconciliation

    /// Per agency, agreement and quarter: registered usage against the supplier's reported sales. Quarters with
    /// neither are left out; for the cooperative, reported lines that matched no agency are listed too.
    func reconciliation(_ parameters: ReportParameters, scope: ReportScope) async throws -> ReconciliationReport {
        let filter = Filter(parameters, tenant: scope.tenant, wholeQuarters: true)
        let rows: [ReconciliationRow] = try await read(scope) { connection in
            var rows: [ReconciliationRow] = []
            for try await row
                in try await connection
                .query(
                    filter.query(
                        """
                        WITH registered AS (
                            SELECT m.tenant_id, m.agreement_id, extract(year FROM m.month)::int AS year,
                                   extract(quarter FROM m.month)::int AS quarter, sum(m.amount_cents)::bigint AS registered
                            FROM usage_monthly m WHERE \(Self.usageFilter) GROUP BY 1, 2, 3, 4),
                        filed AS (SELECT r.id, r.agreement_id, r.year, r.quarter FROM supplier_report_latest r WHERE \(Self.reportFilter)),
                        reported AS (
                            SELECT l.agency_tenant_id AS tenant_id, f.agreement_id, f.year, f.quarter, sum(l.amount_cents)::bigint AS reported
                            FROM filed f JOIN supplier_report_line l ON l.report_id = f.id
                            WHERE l.agency_tenant_id IS NOT NULL AND ($4::uuid IS NULL OR l.agency_tenant_id = $4::uuid)
                            GROUP BY 1, 2, 3, 4)
                        SELECT x.tenant_id, t.legal_name AS tenant_name, t.cooperative_number, x.agreement_id,
                               a.number AS agreement_number, x.year, x.quarter, coalesce(x.registered, 0)::bigint AS registered_cents,
                               CASE WHEN EXISTS (SELECT 1 FROM filed f WHERE f.agreement_id = x.agreement_id AND f.year = x.year
                                                                           AND f.quarter = x.quarter)
                                    THEN coalesce(x.reported, 0) END::bigint AS reported_cents
                        FROM (registered rg FULL JOIN reported rp USING (tenant_id, agreement_id, year, quarter)) AS x
                        JOIN tenant t ON t.id = x.tenant_id JOIN agreement a ON a.id = x.agreement_id
                        ORDER BY a.number, a.id, x.year, x.quarter, t.legal_name, t.id
                        """
                    ),
                    logger: database.logger
                )
            {
                let row = NamedRow(row)
                let registered: Int = try row["registered_cents"]
                let reported: Int? = try row["reported_cents"]
                // Nothing registered (or all of it reversed) and nothing reported: nothing to reconcile.
                if registered == 0 && (reported ?? 0) == 0 { continue }
                rows.append(
                    ReconciliationRow(
                        tenantId: try row["tenant_id"],
                        tenantName: try row["tenant_name"],
                        reportedAgencyName: nil,
                        cooperativeNumber: try row["cooperative_number"],
                        agreementId: try row["agreement_id"],
                        agreementNumber: try row["agreement_number"],
                        year: try row["year"],
                        quarter: try row["quarter"],
                        registeredCents: registered,
                        reportedCents: reported
                    )
                )
            }
            if case .cooperative(nil) = scope {
                for try await row in try await connection.query(
                    filter.query(
                        """
                        SELECT l.agency_name, l.cooperative_number, r.agreement_id, a.number AS agreement_number, r.year,
                               r.quarter, sum(l.amount_cents)::bigint AS reported_cents
                        FROM supplier_report_latest r JOIN supplier_report_line l ON l.report_id = r.id JOIN agreement a ON a.id = r.agreement_id
                        WHERE l.agency_tenant_id IS NULL AND \(Self.reportFilter) AND $4::uuid IS NULL
                        GROUP BY 1, 2, 3, 4, 5, 6
                        ORDER BY a.number, r.agreement_id, r.year, r.quarter, l.agency_name, l.cooperative_number
                        """
                    ),
                    logger: database.logger
                ) {
                    let row = NamedRow(row)
                    rows.append(
                        ReconciliationRow(
                            tenantId: nil,
                            tenantName: nil,
                            reportedAgencyName: try row["agency_name"],
                            cooperativeNumber: try row["cooperative_number"],
                            agreementId: try row["agreement_id"],
                            agreementNumber: try row["agreement_number"],
                            year: try row["year"],
                            quarter: try row["quarter"],
                            registeredCents: 0,
                            reportedCents: try row["reported_cents"]
                        )
                    )
                }
            }
            return rows
        }
        return ReconciliationReport(
            scope: scope,
            from: filter.from,
            to: filter.to,
            rows: rows
        )
    }

    // MARK: Statement

    /// One agency's authorizations (by purchase date in the range) with authorized, used and remaining amounts,
    /// and every order and reversal under each. The one report that reads usage rows: a single agency's detail.
    func statement(_ parameters: ReportParameters, scope: ReportScope) async throws -> StatementReport {
        guard let tenant = scope.tenant else {
            throw StoreError.invalid(pointer: "tenantId", detail: "the statement is one agency's: name it with tenantId")
        }
        let filter = Filter(parameters, tenant: tenant)
        return try await read(scope) { connection in
            guard
                let name = try await connection.query(
                    "SELECT legal_name FROM tenant WHERE id = \(tenant)",
                    logger: database.logger
                ).decode(String.self).array().first
            else { throw StoreError.notFound("tenant") }
            var authorizations: [StatementAuthorization] = []
            for try await row in try await connection.query(
                filter.query(
                    """
                    SELECT r.id, r.agreement_id, a.number AS agreement_number, r.purchase_date::text AS purchase_date,
                           r.category, r.outcome, r.amount_cents, r.authorized_amount_cents, r.used_cents,
                           r.valid_from::text AS valid_from, r.valid_until::text AS valid_until
                    FROM authorization_request r JOIN agreement a ON a.id = r.agreement_id
                    WHERE r.tenant_id = $4::uuid
                      AND ($1::date IS NULL OR r.purchase_date >= $1::date) AND ($2::date IS NULL OR r.purchase_date <= $2::date)
                      AND (cardinality($3::uuid[]) = 0 OR r.agreement_id = ANY($3::uuid[]))
                    ORDER BY r.purchase_date, r.seq
                    """
                ),
                logger: database.logger
            ) {
                let row = NamedRow(row)
                authorizations.append(
                    StatementAuthorization(
                        authorizationId: try row["id"],
                        agreementId: try row["agreement_id"],
                        agreementNumber: try row["agreement_number"],
                        purchaseDate: try row.date("purchase_date"),
                        category: try row["category"],
                        outcome: try row["outcome"],
                        requestedCents: try row["amount_cents"],
                        authorizedCents: try row["authorized_amount_cents"],
                        usedCents: try row["used_cents"],
                        validFrom: try row.optionalDate("valid_from"),
                        validUntil: try row.optionalDate("valid_until"),
                        usage: []
                    )
                )
            }
            var usage: [UUID: [StatementUsage]] = [:]
            for try await row in try await connection.query(
                """
                SELECT u.id, u.kind, u.authorization_id, u.po_number, u.order_date::text AS order_date, u.amount_cents,
                       u.reverses_id, u.reason
                FROM usage_record u
                WHERE u.tenant_id = \(tenant) AND u.authorization_id = ANY(\(authorizations.map(\.authorizationId))::uuid[])
                ORDER BY u.seq
                """,
                logger: database.logger
            ) {
                let row = NamedRow(row)
                let authorization: UUID = try row["authorization_id"]
                usage[authorization, default: []].append(
                    StatementUsage(
                        usageId: try row["id"],
                        kind: try row["kind"],
                        poNumber: try row["po_number"],
                        orderDate: try row.date("order_date"),
                        amountCents: try row["amount_cents"],
                        reversesId: try row["reverses_id"],
                        reason: try row["reason"]
                    )
                )
            }
            for index in authorizations.indices {
                authorizations[index].usage = usage[authorizations[index].authorizationId] ?? []
            }
            return StatementReport(
                tenantId: tenant,
                tenantName: name,
                from: parameters.from,
                to: parameters.to,
                authorizations: authorizations
            )
        }
    }
}
