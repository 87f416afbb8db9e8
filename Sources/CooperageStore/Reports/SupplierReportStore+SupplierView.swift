import CooperageCore
import Foundation
import PostgresNIO

/// What a supplier's own token reads besides its reports: its agreements and the usage agencies registered under
/// them. Both run under the supplier's row-level security (``Database/withSupplier(_:_:)``).
extension SupplierReportStore {
    /// The supplier's agreements in publication order, or the one `agreementID` (not found when it is another
    /// supplier's).
    public func agreements(of supplierID: UUID, agreementID: UUID? = nil) async throws -> [SupplierAgreement] {
        let logger = database.logger
        let agreements = try await database.withSupplier(supplierID) { connection in
            var agreements: [SupplierAgreement] = []
            for try await row in try await connection.query(
                """
                SELECT a.id, a.number, a.title, a.lead_tenant_id, l.legal_name AS lead_agency_name, a.categories,
                       to_char(a.effective_on, 'YYYY-MM-DD') AS effective_on, to_char(a.expires_on, 'YYYY-MM-DD') AS expires_on,
                       a.status, a.admin_fee_basis_points, a.supplier_report_due_days
                FROM agreement a JOIN tenant l ON l.id = a.lead_tenant_id
                WHERE a.supplier_id = \(supplierID) AND (\(agreementID)::uuid IS NULL OR a.id = \(agreementID))
                ORDER BY a.seq
                """,
                logger: logger
            ) {
                let row = NamedRow(row)
                agreements.append(
                    SupplierAgreement(
                        id: try row["id"],
                        number: try row["number"],
                        title: try row["title"],
                        leadTenantId: try row["lead_tenant_id"],
                        leadAgencyName: try row["lead_agency_name"],
                        categories: try row["categories"],
                        effectiveOn: try row.date("effective_on"),
                        expiresOn: try row.date("expires_on"),
                        status: try row.enumValue("status", AuthorizationContext.AgreementStatus.self),
                        adminFeeBasisPoints: try row["admin_fee_basis_points"],
                        supplierReportDueDays: try row["supplier_report_due_days"]
                    )
                )
            }
            return agreements
        }
        if agreementID != nil, agreements.isEmpty { throw StoreError.notFound("agreement") }
        return agreements
    }

    /// Per agreement, quarter and agency, what agencies registered under the supplier's agreements with an order date
    /// in `period` (all time when nil): orders and the amount net of reversals. Optionally for one agreement (not
    /// found when it is another supplier's).
    public func usage(of supplierID: UUID, period: ClosedRange<LocalDate>?, agreementID: UUID? = nil) async throws
        -> [SupplierUsage]
    {
        let logger = database.logger
        let from = period?.lowerBound.description
        let to = period?.upperBound.description
        return try await database.withSupplier(supplierID) { connection in
            if let agreementID {
                let visible =
                    try await connection.query(
                        "SELECT count(*) FROM agreement WHERE id = \(agreementID)",
                        logger: logger
                    ).decode(Int.self).array().first ?? 0
                guard visible > 0 else { throw StoreError.notFound("agreement") }
            }
            var rows: [SupplierUsage] = []
            for try await row in try await connection.query(
                """
                SELECT u.agreement_id, a.number AS agreement_number, u.tenant_id, t.legal_name AS agency_name,
                       t.cooperative_number, extract(year FROM u.order_date)::int AS year,
                       extract(quarter FROM u.order_date)::int AS quarter,
                       (count(*) FILTER (WHERE u.kind = 'order'))::bigint AS order_count,
                       sum(u.amount_cents)::bigint AS amount_cents
                FROM usage_record u JOIN agreement a ON a.id = u.agreement_id JOIN tenant t ON t.id = u.tenant_id
                WHERE u.supplier_id = \(supplierID)
                  AND (\(from)::date IS NULL OR u.order_date >= \(from)::date)
                  AND (\(to)::date IS NULL OR u.order_date <= \(to)::date)
                  AND (\(agreementID)::uuid IS NULL OR u.agreement_id = \(agreementID))
                GROUP BY u.agreement_id, a.number, u.tenant_id, t.legal_name, t.cooperative_number, 6, 7
                ORDER BY year, quarter, agreement_number, u.agreement_id, agency_name, u.tenant_id
                """,
                logger: logger
            ) {
                let row = NamedRow(row)
                rows.append(
                    SupplierUsage(
                        agreementId: try row["agreement_id"],
                        agreementNumber: try row["agreement_number"],
                        tenantId: try row["tenant_id"],
                        agencyName: try row["agency_name"],
                        cooperativeNumber: try row["cooperative_number"],
                        year: try row["year"],
                        quarter: try row["quarter"],
                        orderCount: try row["order_count"],
                        amountCents: try row["amount_cents"]
                    )
                )
            }
            return rows
        }
    }
}
