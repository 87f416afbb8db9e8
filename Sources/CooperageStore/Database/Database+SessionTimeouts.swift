import PostgresNIO

extension Database {
    /// The session limits PostgreSQL applies to the server's connections where they differ from ``timeouts``, one
    /// sentence each, with the statement that fixes it; empty when they agree.
    ///
    /// With ``preparedStatements`` the pool sends both limits when each connection starts, so they always agree.
    /// Without (behind PgBouncer, which refuses startup parameters it does not track) the sessions take the role's
    /// settings, which sql/0001 sets to the defaults (30 s and 60 s): a different `database.timeouts.*` must then be
    /// set on the role, or in the pooler's `connect_query`.
    public func sessionTimeoutDifferences() async throws -> [String] {
        let logger = logger
        let found = try await withTransaction { connection in
            try await connection.query(
                """
                SELECT name, setting::bigint, current_database() FROM pg_settings
                WHERE name IN ('statement_timeout', 'idle_in_transaction_session_timeout') ORDER BY name
                """,
                logger: logger
            ).decode((String, Int64, String).self).array()
        }
        let wanted: [String: (key: String, milliseconds: Int64)] = [
            "statement_timeout": ("database.timeouts.statementSeconds", Timeouts.milliseconds(timeouts.statement)),
            "idle_in_transaction_session_timeout": (
                "database.timeouts.idleInTransactionSeconds", Timeouts.milliseconds(timeouts.idleInTransaction)
            ),
        ]
        return found.compactMap { name, milliseconds, database in
            guard let wanted = wanted[name], wanted.milliseconds != milliseconds else { return nil }
            let quoted = "\"" + database.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            return """
                \(name) of the server's sessions is \(milliseconds) ms, but \(wanted.key) asks for \(wanted.milliseconds) \
                ms: the sessions carry no settings of their own when database.preparedStatements is false; set it on the \
                role: ALTER ROLE cooperage_app IN DATABASE \(quoted) SET \(name) = \(wanted.milliseconds)
                """
        }
    }
}

extension Database {
    /// PgBouncer's refusal of the session settings this pool sends when each connection starts (the timeouts, with
    /// ``preparedStatements``), in its words; nil when they are taken (PostgreSQL, or a PgBouncer whose
    /// `ignore_startup_parameters` lists them), or when it cannot be told (no connection). One connection, closed at once.
    public func startupParametersRefusal() async -> String? {
        do {
            let connection = try await appURL.connect(
                logger: logger,
                connectTimeout: timeouts.probe,
                startupParameters: configuration.options.additionalStartupParameters
            )
            try? await connection.close()
            return nil
        } catch  where DatabaseURL.isPoolerRefusal(error) {
            return (error as? PSQLError)?.serverInfo?[.message] ?? "unsupported startup parameter"
        } catch {
            return nil
        }
    }
}
