import PostgresNIO

extension PSQLError {
    /// The server's SQLSTATE, named through PostgresNIO's catalogue (`.uniqueViolation`, `.deadlockDetected`, ...).
    /// (`code` is taken: it is the driver's own kind of failure.)
    public var sqlState: PostgresError.Code? {
        serverInfo?[.sqlState].map(PostgresError.Code.init(raw:))
    }
}
