import CooperageCore
import Crypto
import Foundation
import Logging
import PostgresNIO

/// Authorization requests: decided by the rule engine when made and after each approval, every
/// decision appended, never edited. The agreement's running commitment moves in the same transaction.
public struct AuthorizationStore: Sendable {
    public let database: Database
    /// How long an approval stays usable, in days from the purchase date (never past the agreement's expiry).
    public var validityDays = 90

    public init(database: Database) {
        self.database = database
    }

    /// Decides a new request for the agency whose token is `credential`, when the token is usable, the agency
    /// active and the token's role one of `roles` (otherwise throws a ``TokenStore/Rejection`` and writes
    /// nothing), and records it with its first decision.
    ///
    /// Two statements in one transaction: the facts (which also check the token, set the tenant and, with a key,
    /// serialize and replay retries: `authorization_decision_facts_presented`) and the record of the request, its decision and their audit
    /// events. The engine decides in between, while the agreement's commitment row is locked. The answer is built from
    /// what was written.
    /// - Parameter idempotencyKey: a retry with the same key and body returns the first result; another body is a conflict.
    /// - Returns: the authorization and whether it was created now (false for an idempotent replay).
    public func request(
        _ body: NewAuthorization,
        presenting credential: TokenSecret,
        roles: [Role],
        idempotencyKey: String?
    ) async throws -> (AuthorizationRecord, created: Bool) {
        guard let tenantID = credential.tenantID else { throw TokenStore.Rejection.invalid }
        return try await request(
            NewRequest(body: body, tenantID: tenantID, idempotencyKey: idempotencyKey),
            asker: .presenting(credential, roles: roles)
        )
    }

    /// Decides a new request for the agency of `principal`, whose token was already checked (a console session
    /// checks it on every page): the same decision and record as ``request(_:presenting:roles:idempotencyKey:)``,
    /// audited as that token.
    /// - Throws: ``StoreError/notFound(_:)`` for a principal without an agency.
    public func request(_ body: NewAuthorization, by principal: Principal, idempotencyKey: String?) async throws
        -> (AuthorizationRecord, created: Bool)
    {
        guard let tenantID = principal.tenantID else { throw StoreError.notFound("tenant") }
        return try await request(
            NewRequest(body: body, tenantID: tenantID, idempotencyKey: idempotencyKey),
            asker: .checked(Actor(principal))
        )
    }

    /// Who asks for a decision: a token to check in the facts' statement, or one already checked.
    private enum Asker: Sendable {
        case presenting(TokenSecret, roles: [Role])
        case checked(Actor)
    }

    private func request(_ new: NewRequest, asker: Asker) async throws -> (AuthorizationRecord, created: Bool) {
        let tenantID = new.tenantID
        let idempotencyKey = new.idempotencyKey
        do {
            // The first statement (authorization_decision_facts, or its _presented form) sets the tenant for this
            // transaction.
            return try await database.withTenantSetByFirstCall(tenantID) { connection in
                try await decide(new, asker: asker, on: connection)
            }
        } catch let error as PSQLError where error.sqlState == .uniqueViolation && idempotencyKey != nil {
            // A concurrent retry with the same key committed first: answer with its result.
            return try await database.withTenant(tenantID) { connection in
                guard let idempotencyKey,
                    let existing = try await replay(idempotencyKey, digest: new.digest, tenantID: tenantID, on: connection)
                else {
                    throw error
                }
                return (existing, false)
            }
        }
    }

    /// What a new request is, with the digest that tells a retry from another request under the same key.
    private struct NewRequest: Sendable {
        var body: NewAuthorization
        var tenantID: UUID
        var idempotencyKey: String?
        var digest: String

        init(body: NewAuthorization, tenantID: UUID, idempotencyKey: String?) {
            self.body = body
            self.tenantID = tenantID
            self.idempotencyKey = idempotencyKey
            digest = AuditEvent.digest(of: body)
        }
    }

    /// Reads the facts (checking the token), decides, and writes the request with its first decision; or answers
    /// the earlier request of the same key.
    private func decide(
        _ new: NewRequest,
        asker: Asker,
        on connection: PostgresConnection
    ) async throws -> (AuthorizationRecord, created: Bool) {
        let loader = DecisionContextLoader(connection: connection, logger: database.logger, prepared: database.preparedStatements)
        let result: DecisionContextLoader.Result
        let askedBy: Actor
        switch asker {
        case .presenting(let credential, let roles):
            (result, askedBy) = try await loader.load(
                presenting: credential.hash,
                roles: roles,
                tenantID: new.tenantID,
                idempotencyKey: new.idempotencyKey,
                request: new.body.engineRequest,
                agreementID: new.body.agreementId
            )
        case .checked(let actor):
            result = try await loader.load(
                tenantID: new.tenantID,
                idempotencyKey: new.idempotencyKey,
                request: new.body.engineRequest,
                agreementID: new.body.agreementId,
                approvals: [],
                excluding: nil,
                policyVersion: nil
            )
            askedBy = actor
        }
        let loaded: DecisionContextLoader.Loaded
        switch result {
        case .replay(let id, let storedDigest):
            guard storedDigest == new.digest else { throw Self.keyReused }
            return (try await fetch(id, tenantID: new.tenantID, on: connection, details: true), false)
        case .loaded(let facts):
            loaded = facts
        }
        let decision = AuthorizationEngine.decide(loaded.context, policy: loaded.policy, validityDays: validityDays)
        let supplierID = loaded.context.agreement.supplier.id
        // The results are written once, for the row, the audit digest and the answer's decision.
        let results = RuleResult.jsonText(decision.results)
        let create = CreateAuthorizationStatement(
            tenantID: new.tenantID,
            agreementID: new.body.agreementId,
            supplierID: supplierID,
            request: loaded.context.request,
            idempotencyKey: new.idempotencyKey,
            requestDigest: new.digest,
            decision: decision,
            results: String(decoding: results, as: UTF8.self),
            policyVersion: loaded.policyVersion,
            inputs: String(decoding: try loaded.context.storedJSON(encoder: JSONColumn.encoder), as: UTF8.self),
            actor: askedBy,
            decisionDigest: AuditEvent.digest(json: decision.canonicalJSON(results: results)),
            agreementTermsVersion: loaded.agreementTermsVersion
        )
        let written = try await connection.rows(of: create, prepared: database.preparedStatements, logger: database.logger)
        let (id, _, createdAt, decidedAt) = try written.first(or: StoreError.notFound("authorization"))
        let first = DecisionRecord(
            seq: 1,
            outcome: decision.outcome,
            results: decision.results,
            policyVersion: loaded.policyVersion,
            authorizedAmountCents: decision.authorizedAmountCents,
            validFrom: decision.validFrom,
            validUntil: decision.validUntil,
            trigger: "request",
            decidedAt: decidedAt,
            agreementTermsVersion: loaded.agreementTermsVersion
        )
        let request = loaded.context.request
        let record = AuthorizationRecord(
            id: id,
            tenantId: new.tenantID,
            agreementId: new.body.agreementId,
            supplierId: supplierID,
            amountCents: request.amountCents,
            purchaseDate: request.purchaseDate,
            category: request.category,
            fundingLines: request.fundingLines,
            purpose: request.purpose,
            evidence: request.evidence,
            outcome: decision.outcome,
            authorizedAmountCents: decision.authorizedAmountCents,
            validFrom: decision.validFrom,
            validUntil: decision.validUntil,
            policyVersion: loaded.policyVersion,
            createdAt: createdAt,
            decision: first,
            decisions: [first],
            approvals: []
        )
        return (record, true)
    }

    private static let keyReused = StoreError.conflict(
        pointer: "",
        detail: "this Idempotency-Key was already used with a different request body"
    )

    /// Records an approval and re-decides the request under the policy version it was first decided with.
    public func approve(_ id: UUID, approval: NewApproval, tenantID: UUID, by principal: Principal) async throws
        -> AuthorizationRecord
    {
        try await database.withTenant(tenantID) { connection in
            let current = try await fetch(id, tenantID: tenantID, on: connection, details: true, forUpdate: true)
            guard current.outcome == .pending else {
                throw StoreError.conflict(
                    pointer: "",
                    detail: "only pending authorizations take approvals; this one is \(current.outcome.rawValue)"
                )
            }
            let approvals = try await insert(approval, into: current, by: principal, on: connection)
            let loaded = try await facts(of: current, approvals: approvals, on: connection)
            // After the agreement's lock, as every writer takes it before the tenant's audit chain.
            try await AuditLog.append(
                on: connection,
                tenant: tenantID,
                actor: Actor(principal),
                action: .authorizationApprovalRecorded,
                subject: .authorization(id),
                payload: approval,
                logger: database.logger
            )
            let decision = AuthorizationEngine.decide(loaded.context, policy: loaded.policy, validityDays: validityDays)
            try await record(
                decision,
                seq: current.decision.seq + 1,
                trigger: "approval",
                for: id,
                tenantID: tenantID,
                loaded: loaded,
                by: Actor(principal),
                on: connection
            )
            return try await fetch(id, tenantID: tenantID, on: connection, details: true)
        }
    }

    /// Writes the approval and returns every approval of the request, the new one last.
    private func insert(
        _ approval: NewApproval,
        into current: AuthorizationRecord,
        by principal: Principal,
        on connection: PostgresConnection
    ) async throws -> [ApprovalRecord] {
        let seq = (current.approvals?.count ?? 0) + 1
        let evidence = approval.evidence?.evidence ?? AuthorizationContext.Evidence()
        try await connection.query(
            """
            INSERT INTO authorization_approval (tenant_id, authorization_id, seq, rule_type, rule_index, approver_role,
                approver_token_id, resolution_number, resolution_date, evidence, note)
            VALUES (\(current.tenantId), \(current.id), \(seq), \(approval.ruleType), \(approval.ruleIndex),
                    \(principal.role.rawValue), \(principal.tokenID), \(approval.resolutionNumber),
                    \(approval.resolutionDate?.description)::date, \(try JSONColumn.text(evidence))::jsonb, \(approval.note))
            """,
            logger: database.logger
        )
        let added = ApprovalRecord(
            seq: seq,
            ruleType: approval.ruleType,
            ruleIndex: approval.ruleIndex,
            approverRole: principal.role.rawValue,
            approverTokenId: principal.tokenID,
            resolutionNumber: approval.resolutionNumber,
            resolutionDate: approval.resolutionDate,
            evidence: evidence,
            note: approval.note,
            createdAt: Date()
        )
        return (current.approvals ?? []) + [added]
    }

    /// The facts to re-decide `current` with: its request, the evidence of every approval joined to its own, the
    /// approvals, and its first policy version; the request itself left out of the history and totals.
    private func facts(
        of current: AuthorizationRecord,
        approvals: [ApprovalRecord],
        on connection: PostgresConnection
    ) async throws -> DecisionContextLoader.Loaded {
        let request = AuthorizationContext.Request(
            amountCents: current.amountCents,
            purchaseDate: current.purchaseDate,
            category: current.category,
            fundingLines: current.fundingLines,
            purpose: current.purpose,
            evidence: approvals.reduce(current.evidence) { $0.merging($1.evidence) }
        )
        let result = try await DecisionContextLoader(
            connection: connection,
            logger: database.logger,
            prepared: database.preparedStatements
        ).load(
            tenantID: current.tenantId,
            idempotencyKey: nil,
            request: request,
            agreementID: current.agreementId,
            approvals: approvals.map {
                AuthorizationContext.RecordedApproval(
                    ruleType: $0.ruleType,
                    ruleIndex: $0.ruleIndex,
                    approverRole: $0.approverRole,
                    resolutionNumber: $0.resolutionNumber,
                    resolutionDate: $0.resolutionDate,
                    note: $0.note
                )
            },
            excluding: current.id,
            policyVersion: current.policyVersion
        )
        guard case .loaded(let loaded) = result else { throw StoreError.notFound("authorization") }
        return loaded
    }

    /// One authorization with its decisions and approvals.
    public func get(_ id: UUID, tenantID: UUID) async throws -> AuthorizationRecord {
        try await database.withTenant(tenantID) { connection in
            try await fetch(id, tenantID: tenantID, on: connection, details: true)
        }
    }

    /// A page of a tenant's authorizations, newest first, after `cursor` (a `seq`).
    public func list(
        tenantID: UUID,
        limit: Int,
        before cursor: Int64?,
        outcome: DecisionOutcome?,
        agreementID: UUID?
    ) async throws -> ([AuthorizationRecord], next: Int64?) {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: AuthorizationRecord.columns) FROM authorization_request r
                JOIN authorization_decision d ON d.tenant_id = r.tenant_id AND d.authorization_id = r.id AND d.seq = r.decision_count
                WHERE r.tenant_id = \(tenantID) AND (\(cursor)::bigint IS NULL OR r.seq < \(cursor))
                  AND (\(outcome?.rawValue)::text IS NULL OR r.outcome = \(outcome?.rawValue))
                  AND (\(agreementID)::uuid IS NULL OR r.agreement_id = \(agreementID))
                ORDER BY r.seq DESC LIMIT \(limit + 1)
                """,
                logger: database.logger
            )
            var records: [(AuthorizationRecord, Int64)] = []
            for try await row in rows {
                let row = NamedRow(row)
                records.append((try AuthorizationRecord(row: row), try row["list_seq"]))
            }
            let next = records.count > limit ? records[limit - 1].1 : nil
            return (records.prefix(limit).map(\.0), next)
        }
    }

    // MARK: Writing decisions

    private func record(
        _ decision: Decision,
        seq: Int,
        trigger: String,
        for id: UUID,
        tenantID: UUID,
        loaded: DecisionContextLoader.Loaded,
        by actor: Actor,
        on connection: PostgresConnection
    ) async throws {
        let results = RuleResult.jsonText(decision.results)
        let inputs = String(decoding: try loaded.context.storedJSON(encoder: JSONColumn.encoder), as: UTF8.self)
        try await connection.run(
            """
            SELECT authorization_record_decision(
                \(tenantID), \(id), \(seq)::integer, \(trigger), \(decision.outcome.rawValue),
                \(String(decoding: results, as: UTF8.self))::jsonb, \(loaded.policyVersion)::integer, \(inputs)::jsonb,
                \(decision.authorizedAmountCents), \(decision.validFrom?.description)::date,
                \(decision.validUntil?.description)::date, \(loaded.context.agreement.id), \(actor.tokenID),
                \(actor.role), \(AuditEvent.digest(json: decision.canonicalJSON(results: results))),
                \(loaded.agreementTermsVersion)::integer)
            """,
            logger: database.logger
        )
    }

    // MARK: Reading

    private func replay(_ key: String, digest: String, tenantID: UUID, on connection: PostgresConnection) async throws
        -> AuthorizationRecord?
    {
        let rows = try await connection.query(
            "SELECT id, request_digest FROM authorization_request WHERE tenant_id = \(tenantID) AND idempotency_key = \(key)",
            logger: database.logger
        ).decode((UUID, String?).self).array()
        guard let (id, storedDigest) = rows.first else { return nil }
        guard storedDigest == digest else { throw Self.keyReused }
        return try await fetch(id, tenantID: tenantID, on: connection, details: true)
    }

    func fetch(_ id: UUID, tenantID: UUID, on connection: PostgresConnection, details: Bool, forUpdate: Bool = false) async throws
        -> AuthorizationRecord
    {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: AuthorizationRecord.columns) FROM authorization_request r
            JOIN authorization_decision d ON d.tenant_id = r.tenant_id AND d.authorization_id = r.id AND d.seq = r.decision_count
            WHERE r.tenant_id = \(tenantID) AND r.id = \(id)
            \(unescaped: forUpdate ? "FOR UPDATE OF r" : "")
            """,
            logger: database.logger
        )
        var found: AuthorizationRecord?
        for try await row in rows { found = try AuthorizationRecord(row: NamedRow(row)) }
        guard var record = found else { throw StoreError.notFound("authorization") }
        guard details else { return record }
        record.decisions = try await connection.query(
            """
            SELECT \(unescaped: DecisionRecord.columns)
            FROM authorization_decision WHERE tenant_id = \(tenantID) AND authorization_id = \(id) ORDER BY seq
            """,
            logger: database.logger
        ).array().map { try DecisionRecord(row: NamedRow($0)) }
        record.approvals = try await connection.query(
            """
            SELECT \(unescaped: ApprovalRecord.columns)
            FROM authorization_approval WHERE tenant_id = \(tenantID) AND authorization_id = \(id) ORDER BY seq
            """,
            logger: database.logger
        ).array().map { try ApprovalRecord(row: NamedRow($0)) }
        return record
    }
}
