import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// Writes a batch of orders in the caller's tenant transaction with a fixed number of statements,
/// whatever the batch size: lock the authorizations, check every order, insert all rows from arrays
/// (`unnest`; COPY is refused under row-level security), move the authorizations' used amounts and
/// the monthly aggregates. All or nothing: one bad order rejects the batch.
struct UsageWriter {
    let connection: PostgresConnection
    let tenantID: UUID
    let logger: Logger

    struct Written {
        var ids: [UUID]
        /// Remaining authorized amount per authorization after the batch.
        var remaining: [UUID: Int]
    }

    struct Authorization {
        var outcome: String
        var authorized: Int
        var used: Int
        var validFrom: LocalDate?
        var validUntil: LocalDate?
        var agreementID: UUID
        var supplierID: UUID
        var category: String
    }

    /// Locks the authorizations (in id order, so concurrent batches cannot deadlock) and reads their state.
    func lockAuthorizations(_ ids: Set<UUID>) async throws -> [UUID: Authorization] {
        let rows = try await connection.query(
            """
            SELECT id, outcome, authorized_amount_cents, used_cents, valid_from::text, valid_until::text, agreement_id,
                   supplier_id, category
            FROM authorization_request
            WHERE tenant_id = \(tenantID) AND id = ANY(\(Array(ids)))
            ORDER BY id FOR UPDATE
            """,
            logger: logger
        ).decode((UUID, String, Int, Int, String?, String?, UUID, UUID, String).self).array()
        return Dictionary(
            uniqueKeysWithValues: rows.map { id, outcome, authorized, used, from, until, agreement, supplier, category in
                (
                    id,
                    Authorization(
                        outcome: outcome,
                        authorized: authorized,
                        used: used,
                        validFrom: from.flatMap { LocalDate(iso8601: $0) },
                        validUntil: until.flatMap { LocalDate(iso8601: $0) },
                        agreementID: agreement,
                        supplierID: supplier,
                        category: category
                    )
                )
            }
        )
    }

    /// Checks and writes the orders; throws ``UsageRejection`` naming every order that cannot be accepted.
    func insertOrders(
        _ orders: [NewUsage],
        source: String,
        importID: UUID?,
        idempotencyKey: String?,
        digest: String?,
        recordedBy: UUID?
    ) async throws -> Written {
        var authorizations = try await lockAuthorizations(Set(orders.map(\.authorizationId)))
        var reasons: [UsageRejection.Reason] = []
        let taken = Set(
            try await connection.query(
                """
                SELECT po_number FROM usage_record
                WHERE tenant_id = \(tenantID) AND kind = 'order' AND po_number = ANY(\(orders.map(\.poNumber)))
                """,
                logger: logger
            ).decode(String.self).array()
        )
        var seen: Set<String> = []
        for (index, order) in orders.enumerated() {
            func reject(_ pointer: String, _ detail: String) {
                reasons.append(.init(index: index, pointer: pointer, detail: detail))
            }
            if taken.contains(order.poNumber) {
                reject("/poNumber", "purchase order \(order.poNumber) is already registered by this agency")
            } else if !seen.insert(order.poNumber).inserted {
                reject("/poNumber", "purchase order \(order.poNumber) appears twice")
            }
            guard var authorization = authorizations[order.authorizationId] else {
                reject("/authorizationId", "no authorization of this agency has this id")
                continue
            }
            guard authorization.outcome == "approved" else {
                reject("/authorizationId", "the authorization is \(authorization.outcome), not approved")
                continue
            }
            if let from = authorization.validFrom, let until = authorization.validUntil, !(from...until).contains(order.orderDate)
            {
                reject("/orderDate", "\(order.orderDate) is outside the authorization's validity, \(from) to \(until)")
                continue
            }
            let remaining = authorization.authorized - authorization.used
            if order.amountCents > remaining {
                reject(
                    "/amountCents",
                    "\(MoneyFormatter.dollars(cents: order.amountCents)) exceeds the \(MoneyFormatter.dollars(cents: remaining)) the authorization still allows"
                )
                continue
            }
            authorization.used += order.amountCents
            authorizations[order.authorizationId] = authorization
        }
        guard reasons.isEmpty else { throw UsageRejection(reasons: reasons) }

        let ids = orders.map { _ in UUID() }
        let facts = orders.map { authorizations[$0.authorizationId]! }
        let listed = orders.map(\.listedTotals)
        do {
            try await connection.query(
                """
                INSERT INTO usage_record (tenant_id, id, kind, authorization_id, agreement_id, supplier_id, category, po_number,
                    order_date, amount_cents, list_cents, listed_paid_cents, lines, source, import_id, idempotency_key,
                    request_digest, recorded_by)
                SELECT \(tenantID), u.id, 'order', u.authorization_id, u.agreement_id, u.supplier_id, u.category, u.po_number,
                       u.order_date, u.amount_cents, u.list_cents, u.listed_paid_cents, u.lines, \(source), \(importID),
                       \(idempotencyKey), \(digest), \(recordedBy)
                FROM unnest(\(ids)::uuid[], \(orders.map(\.authorizationId))::uuid[], \(facts.map(\.agreementID))::uuid[],
                            \(facts.map(\.supplierID))::uuid[], \(facts.map(\.category))::text[], \(orders.map(\.poNumber))::text[],
                            \(orders.map(\.orderDate.description))::date[], \(orders.map(\.amountCents))::int8[],
                            \(listed.map(\.listCents))::int8[], \(listed.map(\.paidCents))::int8[],
                            \(try orders.map { try JSONColumn.text($0.lines) })::jsonb[])
                    AS u(id, authorization_id, agreement_id, supplier_id, category, po_number, order_date, amount_cents,
                         list_cents, listed_paid_cents, lines)
                """,
                logger: logger
            )
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            // A concurrent transaction registered one of these purchase orders first.
            if error.serverInfo?[.constraintName] == "usage_record_po_key" {
                throw UsageRejection(reasons: [
                    .init(index: 0, pointer: "/poNumber", detail: "a purchase order number is already registered")
                ])
            }
            throw error
        }
        let used = Dictionary(orders.map { ($0.authorizationId, $0.amountCents) }, uniquingKeysWith: +)
        try await moveUsed(used)
        try await addToAggregates(
            orders.enumerated().map { index, order in
                AggregateDelta(
                    agreementID: facts[index].agreementID,
                    category: facts[index].category,
                    month: order.orderDate.firstOfMonth,
                    amountCents: order.amountCents,
                    orders: 1,
                    listCents: listed[index].listCents,
                    listedPaidCents: listed[index].paidCents
                )
            }
        )
        return Written(ids: ids, remaining: authorizations.mapValues { $0.authorized - $0.used })
    }

    /// Adds `deltas` (negative for reversals) to the authorizations' used amounts.
    func moveUsed(_ deltas: [UUID: Int]) async throws {
        let keys = deltas.keys.sorted { $0.uuidString < $1.uuidString }
        try await connection.query(
            """
            UPDATE authorization_request AS r SET used_cents = r.used_cents + d.delta
            FROM unnest(\(keys)::uuid[], \(keys.map { deltas[$0]! })::int8[]) AS d(id, delta)
            WHERE r.tenant_id = \(tenantID) AND r.id = d.id
            """,
            logger: logger
        )
    }

    struct AggregateDelta {
        var agreementID: UUID
        var category: String
        var month: LocalDate
        var amountCents: Int
        var orders: Int
        var listCents: Int
        var listedPaidCents: Int
    }

    /// Folds the deltas into `usage_monthly`, one upsert for the whole batch.
    func addToAggregates(_ deltas: [AggregateDelta]) async throws {
        struct Key: Hashable {
            var agreementID: UUID
            var category: String
            var month: LocalDate
        }
        var grouped: [Key: AggregateDelta] = [:]
        for delta in deltas {
            let key = Key(agreementID: delta.agreementID, category: delta.category, month: delta.month)
            if var existing = grouped[key] {
                existing.amountCents += delta.amountCents
                existing.orders += delta.orders
                existing.listCents += delta.listCents
                existing.listedPaidCents += delta.listedPaidCents
                grouped[key] = existing
            } else {
                grouped[key] = delta
            }
        }
        // A stable order keeps concurrent writers from deadlocking on the same aggregate rows.
        let rows = grouped.values.sorted {
            ($0.agreementID.uuidString, $0.category, $0.month) < ($1.agreementID.uuidString, $1.category, $1.month)
        }
        try await connection.query(
            """
            INSERT INTO usage_monthly AS m (tenant_id, agreement_id, category, month, amount_cents, order_count, list_cents,
                listed_paid_cents)
            SELECT \(tenantID), d.* FROM unnest(\(rows.map(\.agreementID))::uuid[], \(rows.map(\.category))::text[],
                \(rows.map(\.month.description))::date[], \(rows.map(\.amountCents))::int8[], \(rows.map(\.orders))::int4[],
                \(rows.map(\.listCents))::int8[], \(rows.map(\.listedPaidCents))::int8[])
                AS d(agreement_id, category, month, amount_cents, order_count, list_cents, listed_paid_cents)
            ON CONFLICT (tenant_id, agreement_id, category, month) DO UPDATE SET
                amount_cents = m.amount_cents + EXCLUDED.amount_cents,
                order_count = m.order_count + EXCLUDED.order_count,
                list_cents = m.list_cents + EXCLUDED.list_cents,
                listed_paid_cents = m.listed_paid_cents + EXCLUDED.listed_paid_cents
            """,
            logger: logger
        )
    }
}

extension LocalDate {
    /// The first day of this date's month (the aggregates' period key).
    public var firstOfMonth: LocalDate { LocalDate(year: year, month: month, day: 1)! }
}
