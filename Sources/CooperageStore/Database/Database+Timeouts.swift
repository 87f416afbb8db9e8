extension Database {
    /// How long database work may take, and how the server watches PostgreSQL when it stops answering.
    ///
    /// ```swift
    /// let database = Database(url: url, appPassword: nil, timeouts: .init(wait: .seconds(5)), logger: logger)
    /// ```
    public struct Timeouts: Sendable, Equatable {
        /// How long a call waits for a connection and its answers before the server asks whether PostgreSQL
        /// answers at all: if it does not, the call fails with ``DatabaseUnavailable`` (503); if it does, the work
        /// is slow rather than stuck (a large import) and the call waits on, its statements bounded by
        /// ``statement``. `database.timeouts.wait`.
        public var wait: Duration
        /// PostgreSQL's `statement_timeout` for the server's sessions: a statement running longer is cancelled
        /// (SQLSTATE 57014, answered 503). Nil: none. `database.timeouts.statement`.
        public var statement: Duration?
        /// PostgreSQL's `idle_in_transaction_session_timeout`: a session whose transaction waits longer for its
        /// next statement is closed, so a stuck request cannot hold row locks. Nil: none.
        /// `database.timeouts.idleInTransaction`.
        public var idleInTransaction: Duration?
        /// How long a probe (a new connection and `SELECT 1`) may take before PostgreSQL counts as unreachable.
        public var probe: Duration
        /// How often PostgreSQL is probed once a call saw the connection fail, until a probe succeeds.
        public var probeInterval: Duration

        public init(
            wait: Duration = .seconds(5),
            statement: Duration? = .seconds(30),
            idleInTransaction: Duration? = .seconds(60),
            probe: Duration = .seconds(2),
            probeInterval: Duration = .milliseconds(500)
        ) {
            self.wait = wait
            self.statement = statement
            self.idleInTransaction = idleInTransaction
            self.probe = probe
            self.probeInterval = probeInterval
        }

        /// The session settings sent when each pooled connection starts.
        var startupParameters: [(String, String)] {
            [("statement_timeout", statement), ("idle_in_transaction_session_timeout", idleInTransaction)].map {
                ($0.0, String(Self.milliseconds($0.1)))
            }
        }

        /// Whole milliseconds, at least 1 for a positive duration; 0 (PostgreSQL's "none") for nil or zero.
        static func milliseconds(_ duration: Duration?) -> Int64 {
            guard let duration, duration > .zero else { return 0 }
            let (seconds, attoseconds) = duration.components
            let (total, overflow) = seconds.multipliedReportingOverflow(by: 1000)
            guard !overflow else { return Int64(Int32.max) }
            return max(1, min(Int64(Int32.max), total + attoseconds / 1_000_000_000_000_000))
        }
    }
}
