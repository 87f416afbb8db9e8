import CooperageCore
import Foundation
import Logging
import PostgresNIO

/// Usage: purchase orders under approved authorizations and their reversals. Append-only; every write
/// moves the authorization's used amount, the monthly aggregates and the audit trail in one transaction.
public struct UsageStore: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Registers one order for the agency whose token (or console session) is `credential`, when it is usable, the
    /// agency active and the token's role one of `roles`; otherwise throws a ``TokenStore/Rejection`` and writes
    /// nothing. A retry with the same Idempotency-Key and body returns the first result.
    ///
    /// One statement (`usage_register_presented`, sql/schema.sql) does it all in its own transaction: the token, the
    /// tenant, the key's lock and replay, the checks, the insert, the aggregates and the audit event.
    /// - Returns: the record and whether this call created it (false: a replay).
    public func register(
        _ order: NewUsage,
        presenting credential: PresentedCredential,
        roles: [Role],
        idempotencyKey: String
    ) async throws -> (UsageRecord, created: Bool) {
        guard let tenantID = credential.secret.tenantID else { throw TokenStore.Rejection.invalid }
        // The request's digest identifies a retry, and is the audit event's payload digest too.
        let digest = AuditEvent.digest(json: order.canonicalJSON)
        let rows: [PostgresRow]
        do {
            rows = try await database.statement(
                RegisterUsageStatement(
                    tenantID: tenantID,
                    secretHash: credential.secret.hash,
                    credential: credential.kind,
                    roles: roles,
                    idempotencyKey: idempotencyKey,
                    requestDigest: digest,
                    id: .timeOrdered(),
                    order: order
                )
            )
        } catch let error as PSQLError where error.serverInfo?[.constraintName] == "usage_record_po_key" {
            throw UsageRejection(reasons: [
                .init(
                    index: 0,
                    pointer: "/poNumber",
                    detail: "purchase order \(order.poNumber) is already registered by this agency"
                )
            ])
        }
        guard let row = rows.first else { throw StoreError.notFound("usage record") }
        let columns = NamedRow(row)
        let status: String = try columns["status"]
        if let rejection = try TokenStore.Rejection(status: status, row: columns, roles: roles) { throw rejection }
        switch status {
        case "created": return (try UsageRecord(row: columns, tenantID: tenantID), true)
        case "replayed": return (try UsageRecord(row: columns, tenantID: tenantID), false)
        case "conflict":
            throw StoreError.conflict(pointer: "", detail: "this Idempotency-Key was already used with a different request")
        default:
            let facts = try (columns["outcome"] as String?).map { outcome in
                UsageCheck.Authorization(
                    outcome: outcome,
                    authorizedCents: try columns["authorized_cents"],
                    usedCents: try columns["used_cents"],
                    validFrom: try columns.optionalDate("valid_from"),
                    validUntil: try columns.optionalDate("valid_until")
                )
            }
            let registered = try await database.withTenant(tenantID) { connection in
                try await UsageWriter(connection: connection, tenantID: tenantID, logger: database.logger)
                    .registeredPONumbers([order.poNumber])
            }
            var reasons = UsageCheck.reasons(
                for: [order],
                authorizations: facts.map { [order.authorizationId: $0] } ?? [:],
                registeredPONumbers: registered
            )
            if reasons.isEmpty {
                reasons = [.init(index: 0, pointer: "", detail: "the order cannot be registered under this authorization")]
            }
            throw UsageRejection(reasons: reasons)
        }
    }

    /// Records a reversal of (part of) an order: a new negative row; the authorization's amount is restored.
    public func reverse(
        _ orderID: UUID,
        _ reversal: NewReversal,
        tenantID: UUID,
        by actor: Actor,
        idempotencyKey: String
    ) async throws -> (UsageRecord, created: Bool) {
        let digest = AuditEvent.digest(of: ["order": orderID.uuidString, "reversal": AuditEvent.digest(of: reversal)])
        return try await idempotent(key: idempotencyKey, digest: digest, tenantID: tenantID) { connection in
            let original = try await fetch(orderID, tenantID: tenantID, on: connection)
            guard original.kind == .order else {
                throw UsageRejection(reasons: [.init(index: 0, pointer: "", detail: "a reversal cannot itself be reversed")])
            }
            let writer = UsageWriter(connection: connection, tenantID: tenantID, logger: database.logger)
            _ = try await writer.lockAuthorizations([original.authorizationId])
            let reversed =
                try await connection.query(
                    """
                    SELECT coalesce(-sum(amount_cents), 0)::bigint FROM usage_record
                    WHERE tenant_id = \(tenantID) AND reverses_id = \(orderID)
                    """,
                    logger: database.logger
                ).decode(Int.self).array().first ?? 0
            let open = original.amountCents - reversed
            let amount = reversal.amountCents ?? open
            guard open > 0 else {
                throw UsageRejection(reasons: [.init(index: 0, pointer: "", detail: "this order is already fully reversed")])
            }
            guard amount <= open else {
                throw UsageRejection(
                    reasons: [
                        .init(
                            index: 0,
                            pointer: "/amountCents",
                            detail:
                                "\(MoneyFormatter.dollars(cents: amount)) exceeds the \(MoneyFormatter.dollars(cents: open)) of this order not yet reversed"
                        )
                    ])
            }
            // List-price figures shrink in proportion, so savings stay consistent after a partial reversal.
            let order = NewUsage(
                authorizationId: original.authorizationId,
                poNumber: original.poNumber,
                orderDate: original.orderDate,
                amountCents: original.amountCents,
                lines: original.lines
            )
            let (list, paid) = order.listedTotals
            // figure x amount / order amount, in exact integers rounded half away from zero (an order's amount is
            // positive; the guard only keeps a division by zero impossible).
            func share(of figure: Int) -> Int {
                let whole = Int128(max(original.amountCents, 1))
                let product = Int128(figure) * Int128(amount)
                return Int(clamping: (product + (product < 0 ? -whole / 2 : whole / 2)) / whole)
            }
            let listDelta = -share(of: list)
            let paidDelta = -share(of: paid)
            let id = UUID.timeOrdered()
            try await connection.query(
                """
                INSERT INTO usage_record (tenant_id, id, kind, authorization_id, agreement_id, supplier_id, category, po_number,
                    order_date, amount_cents, list_cents, listed_paid_cents, reverses_id, reason, source, idempotency_key,
                    request_digest, recorded_by)
                VALUES (\(tenantID), \(id), 'reversal', \(original.authorizationId), \(original.agreementId),
                        \(original.supplierId), \(original.category), \(original.poNumber),
                        \(original.orderDate.description)::date, \(-amount), \(listDelta), \(paidDelta), \(orderID),
                        \(reversal.reason), 'agency', \(idempotencyKey), \(digest), \(actor.tokenID))
                """,
                logger: database.logger
            )
            try await AuditLog.append(
                on: connection,
                tenant: tenantID,
                actor: actor,
                action: .usageReversed,
                subject: .usage(id),
                payload: ["reverses": orderID.uuidString, "amountCents": String(amount)],
                logger: database.logger
            )
            try await writer.aggregate(
                authorization: original.authorizationId,
                agreement: original.agreementId,
                category: original.category,
                month: original.orderDate.firstOfMonth,
                amountCents: -amount,
                orders: 0,
                listCents: listDelta,
                paidCents: paidDelta
            )
            return try await fetch(id, tenantID: tenantID, on: connection)
        }
    }

    /// Imports a whole file's orders at once, or none of them. The same file (same digest) imported again
    /// returns the first import without counting anything twice.
    public func importOrders(
        _ orders: [NewUsage],
        fileDigest: String,
        fileName: String?,
        lineCount: Int,
        tenantID: UUID,
        by actor: Actor
    ) async throws -> (UsageImport, created: Bool) {
        do {
            // The import's row comes first, so a file imported before (callers look with `existingImport` first)
            // or concurrently stops at the digest's unique key before anything else is written.
            return try await database.withTenant(tenantID) { connection in
                let total = orders.reduce(0) { $0 + $1.amountCents }
                var record = UsageImport(
                    id: UUID(),
                    tenantId: tenantID,
                    fileDigest: fileDigest,
                    fileName: fileName,
                    orderCount: orders.count,
                    lineCount: lineCount,
                    totalCents: total,
                    createdAt: Date()
                )
                record.createdAt =
                    try await connection.query(
                        """
                        INSERT INTO usage_import (tenant_id, id, file_digest, file_name, order_count, line_count, total_cents, imported_by)
                        VALUES (\(tenantID), \(record.id), \(fileDigest), \(fileName), \(orders.count), \(lineCount), \(total),
                                \(actor.tokenID))
                        RETURNING created_at
                        """,
                        logger: database.logger
                    ).decode(Date.self).array().first ?? record.createdAt
                try await UsageWriter(connection: connection, tenantID: tenantID, logger: database.logger).insertOrders(
                    orders,
                    importID: record.id,
                    event: .init(
                        actor: actor,
                        action: .usageImported,
                        subject: .usageImport(record.id),
                        payloadDigest: AuditEvent.digest(
                            of: ["fileDigest": fileDigest, "orders": String(orders.count), "totalCents": String(total)]
                        )
                    )
                )
                return (record, true)
            }
        } catch let error as PSQLError where error.serverInfo?[.constraintName] == "usage_import_file_key" {
            // The same file was imported before or concurrently, and committed first.
            return try await database.withTenant(tenantID) { connection in
                guard let existing = try await findImport(digest: fileDigest, tenantID: tenantID, on: connection) else {
                    throw error
                }
                return (existing, false)
            }
        } catch let error as PSQLError where error.serverInfo?[.constraintName] == "usage_record_po_key" {
            // A purchase order of the file is registered already: name every one that cannot be imported.
            throw try await database.withTenant(tenantID) { connection in
                try await UsageWriter(connection: connection, tenantID: tenantID, logger: database.logger)
                    .explainRefusal(of: orders)
            }
        }
    }

    public func get(_ id: UUID, tenantID: UUID) async throws -> UsageRecord {
        try await database.withTenant(tenantID) { connection in try await fetch(id, tenantID: tenantID, on: connection) }
    }

    /// A page of the agency's usage, newest first, with optional filters.
    public func list(
        tenantID: UUID,
        limit: Int,
        before cursor: Int64?,
        agreementID: UUID?,
        from: LocalDate?,
        to: LocalDate?,
        poNumber: String?
    ) async throws -> ([UsageRecord], next: Int64?) {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: UsageRecord.columns) FROM usage_record u
                JOIN authorization_request r ON r.tenant_id = u.tenant_id AND r.id = u.authorization_id
                WHERE u.tenant_id = \(tenantID) AND (\(cursor)::bigint IS NULL OR u.seq < \(cursor))
                  AND (\(agreementID)::uuid IS NULL OR u.agreement_id = \(agreementID))
                  AND (\(from?.description)::date IS NULL OR u.order_date >= \(from?.description)::date)
                  AND (\(to?.description)::date IS NULL OR u.order_date <= \(to?.description)::date)
                  AND (\(poNumber)::text IS NULL OR u.po_number = \(poNumber))
                ORDER BY u.seq DESC LIMIT \(limit + 1)
                """,
                logger: database.logger
            )
            var page: [(UsageRecord, Int64)] = []
            for try await row in rows {
                let row = NamedRow(row)
                page.append((try UsageRecord(row: row, tenantID: tenantID), try row["seq"]))
            }
            let next = page.count > limit ? page[limit - 1].1 : nil
            return (page.prefix(limit).map(\.0), next)
        }
    }

    // MARK: Helpers

    /// Runs `body` unless `key` was used before: then answers with that result (same body) or a conflict (another body).
    private func idempotent(
        key: String,
        digest: String,
        tenantID: UUID,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> UsageRecord
    ) async throws -> (UsageRecord, created: Bool) {
        let replay: @Sendable (PostgresConnection) async throws -> UsageRecord? = { connection in
            let rows = try await connection.query(
                "SELECT id, request_digest FROM usage_record WHERE tenant_id = \(tenantID) AND idempotency_key = \(key)",
                logger: database.logger
            ).decode((UUID, String?).self).array()
            guard let (id, stored) = rows.first else { return nil }
            guard stored == digest else {
                throw StoreError.conflict(pointer: "", detail: "this Idempotency-Key was already used with a different request")
            }
            return try await fetch(id, tenantID: tenantID, on: connection)
        }
        do {
            return try await database.withTenant(tenantID) { connection in
                try await IdempotencyLock.acquire(key: key, tenantID: tenantID, on: connection, logger: database.logger)
                if let first = try await replay(connection) { return (first, false) }
                return (try await body(connection), true)
            }
        } catch let error as PSQLError where error.serverInfo?[.constraintName] == "usage_record_idempotency_key" {
            // A concurrent retry with the same key committed first: answer with its result.
            return try await database.withTenant(tenantID) { connection in
                guard let first = try await replay(connection) else { throw error }
                return (first, false)
            }
        }
    }

    /// The tenant's import of the file with this digest, if there is one.
    public func existingImport(digest: String, tenantID: UUID) async throws -> UsageImport? {
        try await database.withTenant(tenantID) { connection in
            try await findImport(digest: digest, tenantID: tenantID, on: connection)
        }
    }

    private func findImport(digest: String, tenantID: UUID, on connection: PostgresConnection) async throws -> UsageImport? {
        try await connection.query(
            """
            SELECT id, file_name, order_count, line_count, total_cents, created_at FROM usage_import
            WHERE tenant_id = \(tenantID) AND file_digest = \(digest)
            """,
            logger: database.logger
        ).decode((UUID, String?, Int, Int, Int, Date).self).array().first.map { id, name, orders, lines, total, at in
            UsageImport(
                id: id,
                tenantId: tenantID,
                fileDigest: digest,
                fileName: name,
                orderCount: orders,
                lineCount: lines,
                totalCents: total,
                createdAt: at
            )
        }
    }

    func fetch(_ id: UUID, tenantID: UUID, on connection: PostgresConnection) async throws -> UsageRecord {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: UsageRecord.columns) FROM usage_record u
            JOIN authorization_request r ON r.tenant_id = u.tenant_id AND r.id = u.authorization_id
            WHERE u.tenant_id = \(tenantID) AND u.id = \(id)
            """,
            logger: database.logger
        )
        for try await row in rows { return try UsageRecord(row: NamedRow(row), tenantID: tenantID) }
        throw StoreError.notFound("usage record")
    }
}
