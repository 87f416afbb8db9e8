/// One of each store over one database: what the API's controllers are given.
public struct Stores: Sendable {
    public let database: Database
    public let tenants: TenantStore
    public let tokens: TokenStore
    public let suppliers: SupplierStore
    public let solicitations: SolicitationStore
    public let agreements: AgreementStore
    public let participations: ParticipationStore
    public let policies: PolicyStore
    public let authorizations: AuthorizationStore
    public let usage: UsageStore
    public let imports: UsageImportStore
    public let supplierReports: SupplierReportStore
    public let reports: ReportStore
    /// The reports of `GET /v1/reports/{name}`: from the read replica when one is configured and usable.
    public let reportReader: ReportReader
    public let audit: AuditStore
    public let events: EventStore
    public let webhooks: WebhookStore
    public let migrations: MigrationStatus

    /// - Parameter replica: the read replica that serves reports (`database.replicaURL`); nil: the primary serves them.
    public init(database: Database, replica: ReadReplica? = nil) {
        self.database = database
        tenants = TenantStore(database: database)
        tokens = TokenStore(database: database)
        suppliers = SupplierStore(database: database)
        solicitations = SolicitationStore(database: database)
        agreements = AgreementStore(database: database)
        participations = ParticipationStore(database: database)
        policies = PolicyStore(database: database)
        authorizations = AuthorizationStore(database: database)
        usage = UsageStore(database: database)
        imports = UsageImportStore(database: database)
        supplierReports = SupplierReportStore(database: database)
        reports = ReportStore(database: database)
        reportReader = ReportReader(primary: reports, replica: replica)
        audit = AuditStore(database: database)
        events = EventStore(database: database)
        webhooks = WebhookStore(database: database)
        migrations = MigrationStatus(database: database)
    }
}
