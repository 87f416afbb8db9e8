import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// Writes usage in the caller's tenant transaction through the SQL functions of sql/schema.sql: a
/// batch of orders is a few statements whatever its size (the authorizations locked; `usage_import_orders` per
/// chunk: every order checked, its rows inserted from arrays, since COPY is refused under row-level security;
/// `usage_import_finish`: the audit event appended and every aggregate moved).
/// All or nothing: when one order cannot be accepted nothing is written and ``UsageRejection`` names every
/// order that breaks a condition.
struct UsageWriter {
    let connection: PostgresConnection
    let tenantID: UUID
    let logger: Logger

    /// Locks the authorizations (in id order, so concurrent writers cannot deadlock) and reads their facts.
    func lockAuthorizations(_ ids: Set<UUID>) async throws -> [UUID: UsageCheck.Authorization] {
        try await authorizations(ids, lock: true)
    }

    /// The audit event of a batch, appended with it.
    struct BatchEvent {
        var actor: Actor
        var action: AuditAction
        var subject: AuditSubject
        var payloadDigest: String
    }

    /// Orders go to the database in chunks of this many: the server builds each chunk's columns while the
    /// database writes the one before, instead of one side waiting for the other over the whole file.
    static let chunkSize = 5_000

    /// Inserts every order with the batch's audit event, or throws ``UsageRejection`` listing why not. A
    /// purchase-order number already registered surfaces as the database's unique violation on
    /// `usage_record_po_key` (see ``explainRefusal(of:)``).
    ///
    /// Locks every authorization the orders name first and checks the orders against them, then writes the
    /// orders chunk by chunk (`usage_import_orders`, which checks them again: with the locks held, a refusal
    /// there is a defect of this check, not of the file) and ends with the audit event and the aggregates
    /// (`usage_import_finish`): the lock order every usage writer follows (`usage_add` in sql/schema.sql).
    func insertOrders(_ orders: [NewUsage], importID: UUID, event: BatchEvent) async throws {
        let facts = try await lockAuthorizations(Set(orders.map(\.authorizationId)))
        if !UsageCheck.reasons(for: orders, authorizations: facts, registeredPONumbers: []).isEmpty {
            throw UsageRejection(
                reasons: UsageCheck.reasons(
                    for: orders,
                    authorizations: facts,
                    registeredPONumbers: try await registeredPONumbers(orders.map(\.poNumber))
                )
            )
        }
        let chunks = stride(from: 0, to: orders.count, by: Self.chunkSize).map {
            orders[$0..<min($0 + Self.chunkSize, orders.count)]
        }
        // Each chunk's statement, its arrays encoded, is ready before the database finishes the one before.
        func statement(_ chunk: Int) -> PostgresQuery? {
            chunks.indices.contains(chunk)
                ? chunkStatement(UsageColumns(chunks[chunk]), importID: importID, recordedBy: event.actor.tokenID) : nil
        }
        var next = statement(0)
        for index in chunks.indices {
            guard let query = next else { break }
            async let written: Void = connection.run(query, logger: logger)
            next = statement(index + 1)
            try await written
        }
        try await connection.run(
            """
            SELECT usage_import_finish(\(tenantID), \(event.actor.tokenID), \(event.actor.role),
                                       \(event.action.rawValue), \(event.subject.type.rawValue), \(event.subject.id),
                                       \(event.payloadDigest))
            """,
            logger: logger
        )
    }

    private func chunkStatement(_ columns: UsageColumns, importID: UUID, recordedBy: UUID?) -> PostgresQuery {
        """
        SELECT usage_import_orders(\(tenantID), \(importID), \(recordedBy), \(columns.ids), \(columns.authorizations),
                                   \(columns.poNumbers), \(columns.orderDates)::date[], \(columns.amounts),
                                   \(columns.listCents), \(columns.paidCents), \(columns.lines))
        """
    }

    /// Why `orders` cannot be registered, read in a transaction of its own after the database refused them.
    func explainRefusal(of orders: [NewUsage]) async throws -> UsageRejection {
        let reasons = UsageCheck.reasons(
            for: orders,
            authorizations: try await authorizations(Set(orders.map(\.authorizationId)), lock: false),
            registeredPONumbers: try await registeredPONumbers(orders.map(\.poNumber))
        )
        // A concurrent transaction registered one of the purchase orders first and has since rolled back.
        return UsageRejection(
            reasons: reasons.isEmpty
                ? [.init(index: 0, pointer: "/poNumber", detail: "a purchase order number is already registered")] : reasons
        )
    }

    /// Adds one authorization's usage in one month to its used amount and every aggregate (a reversal: a negative
    /// amount, no order). Callers lock the authorization and append their audit event first: every writer locks the
    /// shared aggregate rows last.
    func aggregate(
        authorization: UUID,
        agreement: UUID,
        category: String,
        month: LocalDate,
        amountCents: Int,
        orders: Int,
        listCents: Int,
        paidCents: Int
    ) async throws {
        try await connection.query(
            """
            UPDATE authorization_request SET used_cents = used_cents + \(amountCents)
            WHERE tenant_id = \(tenantID) AND id = \(authorization)
            """,
            logger: logger
        )
        try await connection.run(
            """
            SELECT usage_add(\(tenantID), \(agreement), \(category), \(month.description)::date, \(amountCents),
                             \(orders)::integer, \(listCents), \(paidCents))
            """,
            logger: logger
        )
    }

    private func authorizations(_ ids: Set<UUID>, lock: Bool) async throws -> [UUID: UsageCheck.Authorization] {
        let rows = try await connection.query(
            """
            SELECT id, outcome, authorized_amount_cents, used_cents, valid_from::text, valid_until::text
            FROM authorization_request
            WHERE tenant_id = \(tenantID) AND id = ANY(\(Array(ids)))
            ORDER BY id \(unescaped: lock ? "FOR UPDATE" : "")
            """,
            logger: logger
        ).decode((UUID, String, Int, Int, String?, String?).self).array()
        return Dictionary(uniqueKeysWithValues: rows.map { Self.facts($0.0, $0.1, $0.2, $0.3, $0.4, $0.5) })
    }

    func registeredPONumbers(_ poNumbers: [String]) async throws -> Set<String> {
        Set(
            try await connection.query(
                """
                SELECT po_number FROM usage_record
                WHERE tenant_id = \(tenantID) AND kind = 'order' AND po_number = ANY(\(poNumbers))
                """,
                logger: logger
            ).decode(String.self).array()
        )
    }

    static func facts(_ id: UUID, _ outcome: String, _ authorized: Int, _ used: Int, _ from: String?, _ until: String?)
        -> (UUID, UsageCheck.Authorization)
    {
        (
            id,
            UsageCheck.Authorization(
                outcome: outcome,
                authorizedCents: authorized,
                usedCents: used,
                validFrom: from.flatMap { LocalDate(iso8601: $0) },
                validUntil: until.flatMap { LocalDate(iso8601: $0) }
            )
        )
    }
}
