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
            for try await (agreement, number, basisPoints, supplier, supplierName, year, quarter, spend, sales, fees)
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
                            FROM supplier_report r
                            WHERE $4::uuid IS NULL AND \(Self.reportFilter)
                            UNION ALL
                            SELECT r.agreement_id, r.year, r.quarter, sum(l.amount_cents)::bigint, sum(l.fee_cents)::bigint
                            FROM supplier_report r JOIN supplier_report_line l ON l.report_id = r.id
                            WHERE l.agency_tenant_id = $4::uuid AND \(Self.reportFilter)
                            GROUP BY 1, 2, 3)
                        SELECT x.agreement_id, a.number, a.admin_fee_basis_points, s.id, s.name, x.year, x.quarter,
                               coalesce(x.cents, 0)::bigint, x.sales, x.fees
                        FROM (spend sp FULL JOIN reported rp USING (agreement_id, year, quarter)) AS x
                        JOIN agreement a ON a.id = x.agreement_id JOIN supplier s ON s.id = a.supplier_id
                        ORDER BY s.name, s.id, a.number, a.id, x.year, x.quarter
                        """
                    ),
                    logger: database.logger
                ).decode((UUID, String, Int, UUID, String, Int, Int, Int, Int?, Int?).self)
            {
                rows.append(
                    AdminFeeRow(
                        supplierId: supplier,
                        supplierName: supplierName,
                        agreementId: agreement,
                        agreementNumber: number,
                        year: year,
                        quarter: quarter,
                        spendCents: spend,
                        adminFeeBasisPoints: basisPoints,
                        reportedSalesCents: sales,
                        reportedFeeCents: fees
                    )
                )
            }
            return rows
        }
        return AdminFeeReport(scope: Self.scopeName(scope), tenantId: scope.tenant, from: filter.from, to: filter.to, rows: rows)
    }

    /// Supplier reports (`r`) whose quarter falls in `$1...$2` for the agreements `$3`.
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
        let tenantColumns = perTenant ? "t.id, t.legal_name" : "NULL::uuid, NULL::text"
        let rows: [SavingsRow] = try await read(scope) { connection in
            var rows: [SavingsRow] = []
            for try await (agreement, number, supplier, supplierName, tenant, tenantName, spend, list, paid)
                in try await connection.query(
                    filter.query(
                        """
                        SELECT a.id, a.number, s.id, s.name, \(tenantColumns), sum(m.amount_cents)::bigint, sum(m.list_cents)::bigint,
                               sum(m.listed_paid_cents)::bigint
                        FROM usage_monthly m JOIN agreement a ON a.id = m.agreement_id JOIN supplier s ON s.id = a.supplier_id
                        JOIN tenant t ON t.id = m.tenant_id
                        WHERE \(Self.usageFilter)
                        GROUP BY a.id, a.number, s.id, s.name\(perTenant ? ", t.id, t.legal_name" : "")
                        ORDER BY 2, 1, 6, 5
                        """
                    ),
                    logger: database.logger
                ).decode((UUID, String, UUID, String, UUID?, String?, Int, Int, Int).self)
            {
                rows.append(
                    SavingsRow(
                        agreementId: agreement,
                        agreementNumber: number,
                        supplierId: supplier,
                        supplierName: supplierName,
                        tenantId: tenant,
                        tenantName: tenantName,
                        spendCents: spend,
                        listCents: list,
                        listedPaidCents: paid
                    )
                )
            }
            return rows
        }
        return SavingsReport(
            scope: Self.scopeName(scope),
            tenantId: scope.tenant,
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
            for try await (tenant, tenantName, cooperativeNumber, agreement, number, year, quarter, registered, reported)
                in try await connection
                .query(
                    filter.query(
                        """
                        WITH registered AS (
                            SELECT m.tenant_id, m.agreement_id, extract(year FROM m.month)::int AS year,
                                   extract(quarter FROM m.month)::int AS quarter, sum(m.amount_cents)::bigint AS registered
                            FROM usage_monthly m WHERE \(Self.usageFilter) GROUP BY 1, 2, 3, 4),
                        filed AS (SELECT r.id, r.agreement_id, r.year, r.quarter FROM supplier_report r WHERE \(Self.reportFilter)),
                        reported AS (
                            SELECT l.agency_tenant_id AS tenant_id, f.agreement_id, f.year, f.quarter, sum(l.amount_cents)::bigint AS reported
                            FROM filed f JOIN supplier_report_line l ON l.report_id = f.id
                            WHERE l.agency_tenant_id IS NOT NULL AND ($4::uuid IS NULL OR l.agency_tenant_id = $4::uuid)
                            GROUP BY 1, 2, 3, 4)
                        SELECT x.tenant_id, t.legal_name, t.cooperative_number, x.agreement_id, a.number, x.year, x.quarter,
                               coalesce(x.registered, 0)::bigint,
                               CASE WHEN EXISTS (SELECT 1 FROM filed f WHERE f.agreement_id = x.agreement_id AND f.year = x.year
                                                                           AND f.quarter = x.quarter)
                                    THEN coalesce(x.reported, 0) END::bigint
                        FROM (registered rg FULL JOIN reported rp USING (tenant_id, agreement_id, year, quarter)) AS x
                        JOIN tenant t ON t.id = x.tenant_id JOIN agreement a ON a.id = x.agreement_id
                        ORDER BY a.number, a.id, x.year, x.quarter, t.legal_name, t.id
                        """
                    ),
                    logger: database.logger
                ).decode((UUID, String, String?, UUID, String, Int, Int, Int, Int?).self)
            {
                // Nothing registered (or all of it reversed) and nothing reported: nothing to reconcile.
                if registered == 0 && (reported ?? 0) == 0 { continue }
                rows.append(
                    ReconciliationRow(
                        tenantId: tenant,
                        tenantName: tenantName,
                        reportedAgencyName: nil,
                        cooperativeNumber: cooperativeNumber,
                        agreementId: agreement,
                        agreementNumber: number,
                        year: year,
                        quarter: quarter,
                        registeredCents: registered,
                        reportedCents: reported
                    )
                )
            }
            if case .cooperative(nil) = scope {
                for try await (name, cooperativeNumber, agreement, number, year, quarter, reported) in try await connection.query(
                    filter.query(
                        """
                        SELECT l.agency_name, l.cooperative_number, r.agreement_id, a.number, r.year, r.quarter,
                               sum(l.amount_cents)::bigint
                        FROM supplier_report r JOIN supplier_report_line l ON l.report_id = r.id JOIN agreement a ON a.id = r.agreement_id
                        WHERE l.agency_tenant_id IS NULL AND \(Self.reportFilter) AND $4::uuid IS NULL
                        GROUP BY 1, 2, 3, 4, 5, 6
                        ORDER BY a.number, r.agreement_id, r.year, r.quarter, l.agency_name, l.cooperative_number
                        """
                    ),
                    logger: database.logger
                ).decode((String, String?, UUID, String, Int, Int, Int).self) {
                    rows.append(
                        ReconciliationRow(
                            tenantId: nil,
                            tenantName: nil,
                            reportedAgencyName: name,
                            cooperativeNumber: cooperativeNumber,
                            agreementId: agreement,
                            agreementNumber: number,
                            year: year,
                            quarter: quarter,
                            registeredCents: 0,
                            reportedCents: reported
                        )
                    )
                }
            }
            return rows
        }
        return ReconciliationReport(
            scope: Self.scopeName(scope),
            tenantId: scope.tenant,
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
            for try await (
                id, agreement, number, purchaseDate, category, outcome, requested, authorized, used, validFrom, validUntil
            )
                in try await connection.query(
                    filter.query(
                        """
                        SELECT r.id, r.agreement_id, a.number, r.purchase_date::text, r.category, r.outcome, r.amount_cents,
                               r.authorized_amount_cents, r.used_cents, r.valid_from::text, r.valid_until::text
                        FROM authorization_request r JOIN agreement a ON a.id = r.agreement_id
                        WHERE r.tenant_id = $4::uuid
                          AND ($1::date IS NULL OR r.purchase_date >= $1::date) AND ($2::date IS NULL OR r.purchase_date <= $2::date)
                          AND (cardinality($3::uuid[]) = 0 OR r.agreement_id = ANY($3::uuid[]))
                        ORDER BY r.purchase_date, r.seq
                        """
                    ),
                    logger: database.logger
                ).decode((UUID, UUID, String, String, String, String, Int, Int, Int, String?, String?).self)
            {
                authorizations.append(
                    StatementAuthorization(
                        authorizationId: id,
                        agreementId: agreement,
                        agreementNumber: number,
                        purchaseDate: try CatalogSQL.requiredDate(purchaseDate, column: "purchase_date"),
                        category: category,
                        outcome: outcome,
                        requestedCents: requested,
                        authorizedCents: authorized,
                        usedCents: used,
                        validFrom: validFrom.flatMap { LocalDate(iso8601: $0) },
                        validUntil: validUntil.flatMap { LocalDate(iso8601: $0) },
                        usage: []
                    )
                )
            }
            var usage: [UUID: [StatementUsage]] = [:]
            for try await (id, kind, authorization, po, date, amount, reverses, reason) in try await connection.query(
                """
                SELECT u.id, u.kind, u.authorization_id, u.po_number, u.order_date::text, u.amount_cents, u.reverses_id, u.reason
                FROM usage_record u
                WHERE u.tenant_id = \(tenant) AND u.authorization_id = ANY(\(authorizations.map(\.authorizationId))::uuid[])
                ORDER BY u.seq
                """,
                logger: database.logger
            ).decode((UUID, String, UUID, String, String, Int, UUID?, String?).self) {
                usage[authorization, default: []].append(
                    StatementUsage(
                        usageId: id,
                        kind: kind,
                        poNumber: po,
                        orderDate: try CatalogSQL.requiredDate(date, column: "order_date"),
                        amountCents: amount,
                        reversesId: reverses,
                        reason: reason
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
