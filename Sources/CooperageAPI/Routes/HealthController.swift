import CooperageStore
import Hummingbird
import Logging
import PostgresNIO

/// Liveness (the process answers) and readiness (the database answers and is migrated).
struct HealthController {
    let database: Database
    let expectedMigration: Int

    func register(on router: Router<CooperageRequestContext>) {
        router.get("health/live") { _, _ in Status(status: "ok") }
        router.get("health/ready", use: ready)
    }

    struct Status: ResponseEncodableBody {
        var status: String
        var migration: Int?
    }

    /// Readiness answers within a second whatever PostgreSQL does: load balancers and orchestrators time out
    /// their probes, and a probe that hangs tells them nothing.
    static let answerWithin = Duration.milliseconds(800)

    @Sendable func ready(_ request: Request, context: CooperageRequestContext) async throws -> Status {
        let applied: Int?
        do {
            applied = try await database.withTransaction(answeringWithin: Self.answerWithin) { connection in
                try await connection.query(
                    "SELECT max(version) FROM public.cooperage_schema_migrations",
                    logger: context.logger
                ).decode(Int?.self).array().first ?? nil
            }
        } catch {
            context.logger.warning("readiness check failed", metadata: ["error": "\(String(reflecting: error))"])
            throw Problem.unavailable
        }
        guard let applied, applied >= expectedMigration else { throw Problem.unavailable }
        return Status(status: "ready", migration: applied)
    }
}
