import Logging
import PostgresNIO

extension PostgresConnection {
    /// Runs a statement for its effect and reads its answer to the end.
    ///
    /// A `SELECT f(...)` is described (its row description sent) before it runs, so an error it raises while
    /// running arrives with its rows: dropping them unread drops the error too, and the transaction's COMMIT then
    /// rolls back without a word. Every statement run for its effect goes through here.
    func run(_ query: PostgresQuery, logger: Logger) async throws {
        for try await _ in try await self.query(query, logger: logger) {}
    }
}
