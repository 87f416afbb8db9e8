/// The migration URL leads to PgBouncer: migrations hold a session-level advisory lock (two servers starting together
/// take turns) for the whole run, and a pooler in transaction mode hands each statement whichever server connection is
/// free, so the lock would stay behind on a connection other clients then use. Nothing was run.
///
/// The command line names the setting to change (`database.migrationURL`); the server's own connections may stay on
/// the pooler.
public struct MigrationNeedsDirectConnection: Error, Sendable, CustomStringConvertible {
    /// The URL, its password masked.
    public let url: String

    public var description: String {
        """
        Migrations need a direct connection to PostgreSQL, but \(url) leads to PgBouncer (it refused the startup \
        parameter \(DatabaseURL.directConnectionProbe.0)): migrations hold a session lock, which a transaction pooler \
        would leave on a server connection other clients then use
        """
    }
}
