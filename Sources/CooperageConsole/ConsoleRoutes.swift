import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// The web console under `/console` (and `/`, which leads there): pages for people, over the same stores as the
/// API. Every page but sign-in needs a session; every response carries the console's security headers.
public struct ConsoleRoutes: RouteSet {
    let settings: ConsoleSettings
    let renderer: ConsoleRenderer
    let stylesheet: ByteBuffer
    let limiter: SignInLimiter
    let uploadScript: ByteBuffer

    public init(settings: ConsoleSettings = ConsoleSettings()) throws {
        self.settings = settings
        renderer = try ConsoleRenderer()
        guard let css = Bundle.module.url(forResource: "console", withExtension: "css", subdirectory: "Assets") else {
            throw ConsoleSetupError("The console's stylesheet is missing from this build's resources.")
        }
        stylesheet = ByteBuffer(bytes: try Data(contentsOf: css))
        limiter = SignInLimiter(limit: settings.signInAttemptsPerMinute)
        uploadScript = try UsageImportPages.script()
    }

    public func register(on router: Router<CooperageRequestContext>, stores: Stores) {
        let sessions = ConsoleSessionStore(
            database: stores.database,
            idleTimeout: settings.idleTimeout,
            lifetime: settings.lifetime
        )
        router.get("") { _, _ in SessionPages.redirect(to: "/console") }
        let console = router.group("console")
            .add(middleware: ConsoleMiddleware(renderer: renderer, sessions: sessions))
        let signedIn = console.group(context: SignedInContext.self)
        console.get("assets/console.css") { [stylesheet] _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: stylesheet)
            )
        }
        SessionPages(tokens: stores.tokens, sessions: sessions, renderer: renderer, limiter: limiter, settings: settings)
            .register(visitor: console, signedIn: signedIn)
        HomePage(overviews: AdminOverviewStore(database: stores.database), renderer: renderer).register(signedIn: signedIn)
        AgencyPages(
            tenants: stores.tenants,
            participations: stores.participations,
            policies: stores.policies,
            tokens: stores.tokens,
            renderer: renderer
        ).register(signedIn: signedIn)
        ParticipationPages(tenants: stores.tenants, participations: stores.participations, renderer: renderer)
            .register(signedIn: signedIn)
        AgencyTokenPages(tenants: stores.tenants, tokens: stores.tokens, renderer: renderer).register(signedIn: signedIn)
        AgencyStatusPages(tenants: stores.tenants, renderer: renderer).register(signedIn: signedIn)
        SupplierPages(suppliers: stores.suppliers, agreements: stores.agreements, renderer: renderer).register(signedIn: signedIn)
        SolicitationPages(solicitations: stores.solicitations, renderer: renderer).register(signedIn: signedIn)
        AgreementAdminPages(agreements: stores.agreements, solicitations: stores.solicitations, renderer: renderer)
            .register(signedIn: signedIn)
        SupplierReportPages(reports: stores.supplierReports, renderer: renderer).register(signedIn: signedIn)
        ReportPages(reports: stores.reports, agreements: stores.agreements, tenants: stores.tenants, renderer: renderer)
            .register(signedIn: signedIn)
        AuditPage(audit: stores.audit, tenants: stores.tenants, renderer: renderer).register(signedIn: signedIn)
        AlertPages(events: stores.events, renderer: renderer).register(signedIn: signedIn)
        AgreementPages(
            agreements: stores.agreements,
            suppliers: stores.suppliers,
            authorizations: stores.authorizations,
            renderer: renderer
        ).register(signedIn: signedIn)
        AuthorizationPages(authorizations: stores.authorizations, agreements: stores.agreements, renderer: renderer)
            .register(signedIn: signedIn)
        ApprovalPages(authorizations: stores.authorizations, agreements: stores.agreements, renderer: renderer)
            .register(signedIn: signedIn)
        UsagePages(usage: stores.usage, renderer: renderer).register(signedIn: signedIn)
        UsageOrderPages(usage: stores.usage, renderer: renderer).register(signedIn: signedIn)
        UsageImportPages(imports: stores.imports, renderer: renderer, script: uploadScript)
            .register(visitor: console, signedIn: signedIn)
        PolicyPages(policies: stores.policies, templates: .bundled, renderer: renderer).register(signedIn: signedIn)
    }
}
