/// What an event says happened. The raw value is the `type` stored in the outbox, sent to webhooks and subscribed to:
/// never rename one.
///
/// Change-driven events are published by triggers in the transaction of the change (sql/0022); date-driven ones
/// (`agreement.expiring`, `participation.expiring`, `supplier-report.overdue`) by the alert scheduler.
public enum EventType: String, CaseIterable, Codable, Sendable {
    case authorizationDecided = "authorization.decided"
    case authorizationApproved = "authorization.approved"
    case usageRegistered = "usage.registered"
    case usageReversed = "usage.reversed"
    case usageImportCompleted = "usage-import.completed"
    case agreementExpiring = "agreement.expiring"
    case agreementCeiling = "agreement.ceiling"
    case agreementTierReached = "agreement.tier-reached"
    case participationExpiring = "participation.expiring"
    case supplierReportOverdue = "supplier-report.overdue"
    case tenantSuspended = "tenant.suspended"
    case tenantReactivated = "tenant.reactivated"
    case webhookEndpointDisabled = "webhook.endpoint-disabled"

    /// Who may close an alert of their scope: its administrators and finance staff (buyers and approvers read them).
    public static let acknowledgingRoles: Set<Role> = [.cooperativeAdmin, .cooperativeFinance, .agencyAdmin, .agencyFinance]

    /// Alerts ask a person to act, so they stay open until someone acknowledges them (`GET /v1/alerts`).
    public var isAlert: Bool {
        switch self {
        case .agreementExpiring, .agreementCeiling, .agreementTierReached, .participationExpiring,
            .supplierReportOverdue, .webhookEndpointDisabled:
            true
        default: false
        }
    }
}
