/// What an audit event records. The raw value is what the trail stores and hashes: never rename a case's value.
///
/// Some are written by SQL functions rather than Swift (`usage.registered` by `usage_register_presented`,
/// `authorization.requested` and `authorization.decided` by `authorization_create` and
/// `authorization_record_decision`); they are listed so the trail's vocabulary is read in one place.
/// ``AuditEvent/action`` stays text: a trail written by a newer server must still verify with this one.
public enum AuditAction: String, CaseIterable, Sendable {
    case tenantCreated = "tenant.created"
    case tenantUpdated = "tenant.updated"
    case tenantSuspended = "tenant.suspended"
    case tenantStatusChanged = "tenant.status-changed"
    case tokenIssued = "token.issued"
    case tokenRevoked = "token.revoked"
    case tokenBootstrapCreated = "token.bootstrap-created"
    case supplierCreated = "supplier.created"
    case supplierUpdated = "supplier.updated"
    case solicitationCreated = "solicitation.created"
    case agreementCreated = "agreement.created"
    case agreementUpdated = "agreement.updated"
    /// A renewal option exercised (`POST /v1/agreements/{id}/renewals`); an amendment of the terms is an update.
    case agreementRenewed = "agreement.renewed"
    case participationRecorded = "participation.recorded"
    case policyVersionCreated = "policy.version-created"
    case authorizationRequested = "authorization.requested"
    case authorizationDecided = "authorization.decided"
    case authorizationApprovalRecorded = "authorization.approval-recorded"
    case usageRegistered = "usage.registered"
    case usageReversed = "usage.reversed"
    case usageImported = "usage.imported"
    case supplierReportRecorded = "supplier-report.recorded"
    case supplierReportAmended = "supplier-report.amended"
    case auditHeadsRecorded = "audit.heads-recorded"
    case alertAcknowledged = "alert.acknowledged"
    case webhookCreated = "webhook.created"
    case webhookUpdated = "webhook.updated"
    case webhookDeleted = "webhook.deleted"
    case webhookSecretRotated = "webhook.secret-rotated"
    /// The dispatcher stopped deliveries to an endpoint that kept failing or answered 410 Gone.
    case webhookDisabled = "webhook.disabled"
    case webhookDeliveryRetried = "webhook.delivery-retried"
}
