import CooperageCore
import CooperageStore
import CooperageWebhooks
import Foundation
import Hummingbird
import HummingbirdAuth
import HummingbirdCore
import Logging
import NIOCore

/// Settings of the HTTP server that are not about the database.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// Usage files read at once (``ImportSlots``).
    public var concurrentImports: Int
    /// How often the cooperative chain records every tenant chain's head (``AuditHeadRecorder``).
    public var auditAnchorInterval: Duration
    /// A connection with no request in progress is closed after this long (keep-alive idle, a stalled body).
    public var idleTimeout: Duration = .seconds(60)
    /// A request's headers must arrive within this long of its first byte.
    public var headerTimeout: Duration = .seconds(10)
    /// A request body must arrive at this many bytes a second or more, once ``bodyGracePeriod`` has passed.
    public var minimumBodyBytesPerSecond: Int = 10_240
    public var bodyGracePeriod: Duration = .seconds(10)
    /// Addresses of reverse proxies whose `X-Forwarded-Proto` and `X-Forwarded-Host` are believed; empty: none.
    public var trustedProxies: [String] = []
    /// The origin written into exported documents (`https://coop.example.org`); nil: the request's own.
    public var publicBaseURL: String?
    /// How often date-driven alerts are checked (``AlertScheduler``); nil turns the scheduler off.
    public var alertInterval: Duration? = AlertScheduler.defaultInterval
    /// How webhooks are checked and delivered (``WebhookDispatcher``).
    public var webhooks = WebhookSettings()

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        concurrentImports: Int = ImportSlots.defaultLimit,
        auditAnchorInterval: Duration = AuditHeadRecorder.defaultInterval
    ) {
        self.host = host
        self.port = port
        self.concurrentImports = concurrentImports
        self.auditAnchorInterval = auditAnchorInterval
    }
}

/// Builds the Cooperage HTTP application over a ``Database``.
///
/// ```swift
/// let app = CooperageServer.application(settings: .init(port: 8080), database: database, logger: logger)
/// try await app.runService()
/// ```
public enum CooperageServer {
    /// The router with every route, middleware and controller; tests call it directly.
    public static func router(
        database: Database,
        expectedMigration: Int,
        importSlots: ImportSlots = ImportSlots(),
        settings: ServerSettings = ServerSettings(),
        replica: ReadReplica? = nil,
        additionalRoutes: [any RouteSet] = []
    ) -> Router<CooperageRequestContext> {
        CooperageMetrics.bootstrap()
        let stores = Stores(database: database, replica: replica)
        let router = Router(context: CooperageRequestContext.self)
        router.addMiddleware {
            LogRequestsMiddleware(.info)
            MetricsMiddleware()
            ProblemMiddleware()
            URITextMiddleware()
        }
        HealthController(migrations: stores.migrations, expectedMigration: expectedMigration).register(on: router)
        DocumentController(registry: CooperageMetrics.registry).register(on: router)
        let v1 = router.group("v1").add(middleware: BearerAuthenticator(tokens: stores.tokens))
        let routes = APIRoutes(
            authenticated: v1.group(context: AuthenticatedRequestContext.self),
            agency: v1.group(context: AgencyRequestContext.self),
            caller: v1.group(context: CallerRequestContext.self),
            supplier: v1.group(context: SupplierRequestContext.self),
            // The hottest writes check their agency token in the statement that does their work.
            deferring: router.group("v1").add(middleware: BearerAuthenticator(tokens: stores.tokens, defersAgencyTokens: true))
        )
        TenantController(tenants: stores.tenants).register(on: routes)
        TokenController(tokens: stores.tokens, tenants: stores.tenants).register(on: routes)
        SupplierTokenController(tokens: stores.tokens).register(on: routes)
        MeController(tenants: stores.tenants, suppliers: stores.suppliers).register(on: routes)
        SupplierController(suppliers: stores.suppliers).register(on: routes)
        SolicitationController(solicitations: stores.solicitations).register(on: routes)
        AgreementController(agreements: stores.agreements).register(on: routes)
        ParticipationController(participations: stores.participations).register(on: routes)
        PolicyController(policies: stores.policies, templates: .bundled).register(on: routes)
        PolicyTemplateController(catalog: .bundled).register(on: routes)
        AuthorizationController(authorizations: stores.authorizations, tokens: stores.tokens).register(on: routes)
        AuditController(audit: stores.audit).register(on: routes)
        EventController(events: stores.events).register(on: routes)
        UsageController(usage: stores.usage, tokens: stores.tokens).register(on: routes)
        UsageImportController(imports: stores.imports, slots: importSlots).register(on: routes)
        SupplierReportController(reports: stores.supplierReports).register(on: routes)
        SupplierSelfServiceController(reports: stores.supplierReports).register(on: routes)
        ReportController(reports: stores.reportReader).register(on: routes)
        OCDSExportController(stores: stores, settings: settings).register(on: routes)
        WebhookController(webhooks: stores.webhooks, settings: settings.webhooks).register(on: routes)
        for routeSet in additionalRoutes { routeSet.register(on: router, stores: stores) }
        return router
    }

    /// The date-driven alerts of the service group: the scheduler's own (agreements and participations expiring) and
    /// supplier reports overdue (``SupplierReportStore/raiseOverdueAlerts(asOf:)``).
    public static func alertScheduler(
        database: Database,
        interval: Duration = AlertScheduler.defaultInterval,
        logger: Logger
    ) -> AlertScheduler {
        let supplierReports = SupplierReportStore(database: database)
        return AlertScheduler(
            database: database,
            interval: interval,
            checks: [{ try await supplierReports.raiseOverdueAlerts(asOf: $0) }],
            logger: logger
        )
    }

    /// HTTP/1.1 with the channel handlers Hummingbird does not bring (``ExpectContinueHandler``,
    /// ``RequestDeadlineHandler``) and the idle timeout it leaves off by default.
    public static func httpServer(settings: ServerSettings, logger: Logger) -> HTTPServerBuilder {
        let limits = RequestDeadlineHandler.Limits(
            headerTimeout: TimeAmount(settings.headerTimeout),
            minimumBodyRate: settings.minimumBodyBytesPerSecond,
            bodyGracePeriod: TimeAmount(settings.bodyGracePeriod)
        )
        return .http1(
            configuration: .init(
                additionalChannelHandlers: [ExpectContinueHandler(), RequestDeadlineHandler(limits: limits, logger: logger)],
                idleTimeout: TimeAmount(settings.idleTimeout)
            )
        )
    }

    public static func application(
        settings: ServerSettings,
        database: Database,
        expectedMigration: Int,
        replica: ReadReplica? = nil,
        bootstrapAdminToken: String? = nil,
        additionalRoutes: [any RouteSet] = [],
        logger: Logger
    ) -> some ApplicationProtocol {
        var app = Application(
            router: router(
                database: database,
                expectedMigration: expectedMigration,
                importSlots: ImportSlots(limit: settings.concurrentImports),
                settings: settings,
                replica: replica,
                additionalRoutes: additionalRoutes
            ),
            server: httpServer(settings: settings, logger: logger),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "cooperage"),
            logger: logger
        )
        // Started in this order and stopped in reverse: the dispatcher stops before the pool it records with.
        app.addServices(database)
        // The replica's pool runs and is watched like the primary's; it is not in /health/ready: reports fall back.
        if let replica { app.addServices(replica.database) }
        app.addServices(AuditHeadRecorder(database: database, interval: settings.auditAnchorInterval, logger: logger))
        if let alertInterval = settings.alertInterval {
            app.addServices(alertScheduler(database: database, interval: alertInterval, logger: logger))
        }
        if settings.webhooks.deliver {
            app.addServices(WebhookDispatcher(database: database, settings: settings.webhooks, logger: logger))
        }
        if !database.preparedStatements {
            // Behind a transaction pooler the sessions carry the role's timeouts, not the configured ones: say so when
            // they differ (a database that does not answer yet is the health check's to report, not this one's).
            app.beforeServerStarts {
                do {
                    for difference in try await database.sessionTimeoutDifferences() { logger.warning("\(difference)") }
                } catch {
                    logger.notice("could not compare the sessions' timeouts with the settings", metadata: ["error": "\(error)"])
                }
            }
        }
        if let bootstrapAdminToken {
            app.beforeServerStarts {
                switch try await TokenStore(database: database).ensureBootstrapToken(TokenSecret(text: bootstrapAdminToken)) {
                case .created: logger.notice("BOOTSTRAP_ADMIN_TOKEN: created the first cooperative-admin token")
                case .alreadyInPlace: logger.info("BOOTSTRAP_ADMIN_TOKEN: the bootstrap token is in place")
                case .ignoredRevoked:
                    logger.warning("BOOTSTRAP_ADMIN_TOKEN ignored: that token was revoked or has expired, and is never revived")
                case .ignoredNotFirstStart:
                    logger.warning(
                        "BOOTSTRAP_ADMIN_TOKEN ignored: another cooperative-admin token works, so this is not a first start"
                    )
                }
            }
        }
        return app
    }
}
