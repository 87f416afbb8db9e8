import CooperageStore
import Hummingbird
import Logging

/// Liveness (the process answers) and readiness (the database answers and is migrated).
struct HealthController {
    let migrations: MigrationStatus
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
            applied = try await migrations.latestApplied(answeringWithin: Self.answerWithin)
        } catch {
            context.logger.warning("readiness check failed", metadata: ["error": "\(String(reflecting: error))"])
            throw Problem.unavailable
        }
        guard let applied, applied >= expectedMigration else { throw Problem.unavailable }
        return Status(status: "ready", migration: applied)
    }
}
