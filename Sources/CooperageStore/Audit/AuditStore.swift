import Foundation
import Logging
import PostgresNIO

/// Reads the audit trail for the API: one tenant's chain, or every chain together for the cooperative.
public struct AuditStore: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// One tenant's chain, newest first, before the sequence number `before` (0: from the newest).
    public func events(tenant: UUID, before: Int64, limit: Int) async throws -> [AuditEvent] {
        try await database.withTenant(tenant) { connection in
            try await AuditLog.events(
                on: connection,
                tenant: tenant,
                after: before,
                limit: limit,
                descending: true,
                logger: database.logger
            )
        }
    }

    /// Every agency's chain and the cooperative's, newest first, before `beforeMicros` when given.
    public func allEvents(beforeMicros: Int64?, limit: Int) async throws -> [AuditEvent] {
        try await database.withCooperativeScope { connection in
            try await AuditLog.allEvents(on: connection, beforeMicros: beforeMicros, limit: limit, logger: database.logger)
        }
    }

    /// Checks the chains as `cooperage audit verify` does (``AuditVerifier``), from the server: all of them, or the
    /// cooperative's and one tenant's. Reads in the cooperative scope, which sees every chain; the caller decides
    /// what of the answer a person may see.
    public func verify(_ chains: AuditVerifier.Chains) async throws -> AuditVerifier.Report {
        try await database.withCooperativeScope { [logger = database.logger] connection in
            try await AuditVerifier.verify(on: connection, chains: chains, logger: logger)
        }
    }
}
