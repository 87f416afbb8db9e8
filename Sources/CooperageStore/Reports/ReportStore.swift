import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// Builds the reports of `GET /v1/reports/{name}` and `cooperage report NAME`.
///
/// Every report but the statement reads `usage_monthly` (maintained with each usage write), never raw usage,
/// or, for buying power by agreement, the agreement rollups maintained with it (``buyingPowerFromRollups(_:period:)``).
/// The cooperative scope reads across tenants through ``Database/withCooperativeScope(_:)``; an agency's
/// scope reads its own rows through ``Database/withTenant(_:_:)``, and the agreement-level figures it may
/// see about everyone (buying power, tiers) come from one aggregate-only query in the cooperative scope
/// that returns agreement ids, totals and agency counts, never another agency's identity.
public struct ReportStore: Sendable {
    public let database: Database
    /// Whether reports the agreement rollups can answer read them; false reads `usage_monthly` for every
    /// report (the tests compare the two).
    public let useRollups: Bool

    public init(database: Database, useRollups: Bool = true) {
        self.database = database
        self.useRollups = useRollups
    }

    /// The report `parameters` name, as `scope` may see it.
    public func build(_ parameters: ReportParameters, scope: ReportScope) async throws -> any ReportDocument {
        if case .cooperative(let tenant?) = scope { try await requireTenant(tenant) }
        switch parameters.name {
        case .buyingPower: return try await buyingPower(parameters, scope: scope)
        case .tiers: return try await tiers(parameters, scope: scope)
        case .adminFees: return try await adminFees(parameters, scope: scope)
        case .savings: return try await savings(parameters, scope: scope)
        case .reconciliation: return try await reconciliation(parameters, scope: scope)
        case .statement: return try await statement(parameters, scope: scope)
        }
    }

    // MARK: Scopes

    /// Runs `body` where `scope` may read: the cooperative's cross-tenant path, or the agency's own rows.
    func read<T: Sendable>(
        _ scope: ReportScope,
        _ body: sending @escaping (PostgresConnection) async throws -> T
    ) async throws -> T {
        switch scope {
        case .cooperative: try await database.withCooperativeScope(body)
        case .agency(let tenant): try await database.withTenant(tenant, body)
        }
    }

    func requireTenant(_ id: UUID) async throws {
        let found = try await database.withTransaction { connection in
            try await connection.query("SELECT 1 FROM tenant WHERE id = \(id)", logger: database.logger).decode(Int.self).array()
        }
        guard !found.isEmpty else { throw StoreError.notFound("tenant") }
    }

    /// Every agency's figures for `agreements` in the range: the only cross-tenant read an agency's report makes,
    /// and it returns agreement ids, totals and the number of distinct agencies only.
    func agreementTotals(_ agreements: [UUID], from: LocalDate?, to: LocalDate?) async throws -> [UUID: (
        totalCents: Int, orderCount: Int, agencyCount: Int
    )] {
        guard !agreements.isEmpty else { return [:] }
        if from == nil && to == nil && useRollups { return try await agreementTotalsFromRollups(agreements) }
        return try await database.withCooperativeScope { connection in
            var totals: [UUID: (totalCents: Int, orderCount: Int, agencyCount: Int)] = [:]
            for try await (agreement, total, orders, agencies) in try await connection.query(
                """
                SELECT m.agreement_id, sum(m.amount_cents)::bigint, sum(m.order_count)::bigint, count(DISTINCT m.tenant_id)::bigint
                FROM usage_monthly m
                WHERE m.agreement_id = ANY(\(agreements)::uuid[])
                  AND (\(from?.description)::date IS NULL OR m.month >= \(from?.description)::date)
                  AND (\(to?.description)::date IS NULL OR m.month <= \(to?.description)::date)
                GROUP BY m.agreement_id
                """,
                logger: database.logger
            ).decode((UUID, Int, Int, Int).self) {
                totals[agreement] = (total, orders, agencies)
            }
            return totals
        }
    }

    /// The filter every aggregate query shares, bound as `$1` (first day), `$2` (last day), `$3` (agreement ids,
    /// empty for all) and `$4` (one tenant, or null). ``usageFilter`` applies it to `usage_monthly m`.
    struct Filter: Sendable {
        var from: LocalDate?
        var to: LocalDate?
        var agreements: [UUID]
        var tenant: UUID?

        init(_ parameters: ReportParameters, tenant: UUID?, wholeQuarters: Bool = false) {
            from = parameters.from
            to = parameters.to
            if wholeQuarters {
                // Quarterly reports count whole quarters, whatever months the range names.
                from = from.map(\.firstOfQuarter)
                to = to.map { ReportPeriod.quarter.end(start: $0.firstOfQuarter) }
            }
            agreements = parameters.agreementIds
            self.tenant = tenant
        }

        /// `sql` (which may use `$1` to `$4`) with this filter bound.
        func query(_ sql: String) -> PostgresQuery {
            var binds = PostgresBindings(capacity: 4)
            binds.append(from?.description)
            binds.append(to?.description)
            binds.append(agreements)
            binds.append(tenant)
            return PostgresQuery(unsafeSQL: sql, binds: binds)
        }
    }

    static let usageFilter = """
        ($1::date IS NULL OR m.month >= $1::date) AND ($2::date IS NULL OR m.month <= $2::date)
        AND (cardinality($3::uuid[]) = 0 OR m.agreement_id = ANY($3::uuid[])) AND ($4::uuid IS NULL OR m.tenant_id = $4::uuid)
        """

    // MARK: Buying power

    func buyingPower(_ parameters: ReportParameters, scope: ReportScope) async throws -> BuyingPowerReport {
        if let period = Self.rollupPeriod(for: parameters, scope: scope), useRollups {
            return BuyingPowerReport(
                scope: scope,
                groupBy: parameters.groupBy,
                categoryDigits: nil,
                period: parameters.period,
                fiscalYearStartMonth: nil,
                from: parameters.from,
                to: parameters.to,
                rows: try await buyingPowerFromRollups(parameters, period: period),
                agreementTotals: nil
            )
        }
        let query = BuyingPowerQuery(parameters: parameters, filter: Filter(parameters, tenant: scope.tenant))
        let (rows, fiscal, agreements) = try await read(scope) { connection in
            let fiscal = try await fiscalYearStartMonth(parameters, scope: scope, on: connection)
            let rows = try await query.rows(fiscalYearStartMonth: fiscal, on: connection, logger: database.logger)
            // An agency also sees every agency's totals of the agreements it bought under: their numbers first.
            let agreements = scope.isAgency ? try await query.agreementNumbers(on: connection, logger: database.logger) : [:]
            return (rows, fiscal, agreements)
        }
        return BuyingPowerReport(
            scope: scope,
            groupBy: parameters.groupBy,
            categoryDigits: parameters.groupBy.contains(.category) ? parameters.categoryDigits : nil,
            period: parameters.period,
            fiscalYearStartMonth: parameters.period == .fiscalYear ? fiscal : nil,
            from: parameters.from,
            to: parameters.to,
            rows: rows,
            agreementTotals: scope.isAgency ? try await everyAgencysTotals(of: agreements, parameters) : nil
        )
    }

    /// The month fiscal years start in, for a fiscal-year report: the parameter, else the agency's own, else July.
    private func fiscalYearStartMonth(
        _ parameters: ReportParameters,
        scope: ReportScope,
        on connection: PostgresConnection
    ) async throws -> Int? {
        guard parameters.period == .fiscalYear else { return parameters.fiscalYearStartMonth }
        if let asked = parameters.fiscalYearStartMonth { return asked }
        if case .agency(let own) = scope {
            let stored = try await connection.query(
                "SELECT fiscal_year_start_month::int FROM tenant WHERE id = \(own)",
                logger: database.logger
            ).decode(Int.self).array().first
            if let stored { return stored }
        }
        return ReportPeriod.defaultFiscalYearStartMonth
    }

    /// Every agency's totals of `agreements` (id to number), in agreement-number order, never naming the agencies.
    private func everyAgencysTotals(of agreements: [UUID: String], _ parameters: ReportParameters) async throws
        -> [AgreementTotal]
    {
        let figures = try await agreementTotals(Array(agreements.keys), from: parameters.from, to: parameters.to)
        return figures.map { id, figure in
            AgreementTotal(
                agreementId: id,
                agreementNumber: agreements[id] ?? "",
                totalCents: figure.totalCents,
                orderCount: figure.orderCount,
                agencyCount: figure.agencyCount
            )
        }.sorted { ($0.agreementNumber, $0.agreementId.uuidString) < ($1.agreementNumber, $1.agreementId.uuidString) }
    }

    // MARK: Tiers

    func tiers(_ parameters: ReportParameters, scope: ReportScope) async throws -> TierReport {
        let tenant = scope.tenant
        let filter = Filter(parameters, tenant: tenant)
        // The agreements to show: for one tenant those it bought under; for the cooperative every agreement
        // with price tiers or usage in the range (an uncorrelated IN, which Citus can plan next to a reference table).
        let chosen: [UUID: Int] = try await read(scope) { connection in
            var chosen: [UUID: Int] = [:]
            if tenant != nil {
                for try await (id, volume) in try await connection.query(
                    filter.query(
                        """
                        SELECT m.agreement_id, sum(m.amount_cents)::bigint FROM usage_monthly m
                        WHERE \(Self.usageFilter) GROUP BY m.agreement_id
                        """
                    ),
                    logger: database.logger
                ).decode((UUID, Int).self) {
                    chosen[id] = volume
                }
            } else {
                for try await id in try await connection.query(
                    filter.query(
                        """
                        SELECT a.id FROM agreement a
                        WHERE (cardinality($3::uuid[]) = 0 OR a.id = ANY($3::uuid[]))
                          AND (jsonb_array_length(a.price_tiers) > 0
                               OR a.id IN (SELECT m.agreement_id FROM usage_monthly m WHERE \(Self.usageFilter)))
                        """
                    ),
                    logger: database.logger
                ).decode(UUID.self) {
                    chosen[id] = 0
                }
            }
            return chosen
        }
        let ids = Array(chosen.keys)
        let totals = try await agreementTotals(ids, from: parameters.from, to: parameters.to)
        let rows: [TierRow] = try await database.withTransaction { connection in
            var rows: [TierRow] = []
            for try await (id, number, supplier, supplierName, tiers) in try await connection.query(
                """
                SELECT a.id, a.number, s.id, s.name, a.price_tiers::text
                FROM agreement a JOIN supplier s ON s.id = a.supplier_id
                WHERE a.id = ANY(\(ids)::uuid[]) ORDER BY a.number, a.id
                """,
                logger: database.logger
            ).decode((UUID, String, UUID, String, String).self) {
                let figure = totals[id] ?? (0, 0, 0)
                rows.append(
                    TierRow(
                        agreementId: id,
                        agreementNumber: number,
                        supplierId: supplier,
                        supplierName: supplierName,
                        volumeCents: figure.totalCents,
                        orderCount: figure.orderCount,
                        agencyCount: figure.agencyCount,
                        tenantVolumeCents: tenant == nil ? nil : chosen[id],
                        tiers: try JSONColumn.value([PriceTier].self, from: tiers)
                    )
                )
            }
            return rows
        }
        return TierReport(scope: scope, from: parameters.from, to: parameters.to, rows: rows)
    }
}
