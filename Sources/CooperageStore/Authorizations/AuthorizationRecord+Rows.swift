import CooperageCore
import Foundation
import PostgresNIO

// How an authorization, its decisions and its approvals are read: each type's column list next to its mapping.

extension AuthorizationRecord {
    /// A request (`r`) joined with its latest decision (`d`); `list_seq` is the request's position for paging.
    static let columns = """
        r.id, r.tenant_id, r.agreement_id, r.supplier_id, r.amount_cents, r.purchase_date::text AS purchase_date,
        r.category, r.funding_lines::text AS funding_lines, r.purpose, r.evidence::text AS evidence, r.outcome,
        r.authorized_amount_cents, r.valid_from::text AS valid_from, r.valid_until::text AS valid_until, r.policy_version,
        r.created_at, r.seq AS list_seq,
        d.seq AS decision_seq, d.outcome AS decision_outcome, d.results::text AS decision_results,
        d.policy_version AS decision_policy_version, d.authorized_amount_cents AS decision_authorized_amount_cents,
        d.valid_from::text AS decision_valid_from, d.valid_until::text AS decision_valid_until,
        d.trigger AS decision_trigger, d.decided_at AS decision_decided_at,
        d.agreement_terms_version AS decision_agreement_terms_version
        """

    init(row: NamedRow) throws {
        self.init(
            id: try row["id"],
            tenantId: try row["tenant_id"],
            agreementId: try row["agreement_id"],
            supplierId: try row["supplier_id"],
            amountCents: try row["amount_cents"],
            purchaseDate: try row.date("purchase_date"),
            category: try row["category"],
            fundingLines: try row.json("funding_lines", [AuthorizationContext.FundingLine].self),
            purpose: try row["purpose"],
            evidence: try row.json("evidence", AuthorizationContext.Evidence.self),
            outcome: try row.enumValue("outcome", DecisionOutcome.self),
            authorizedAmountCents: try row["authorized_amount_cents"],
            validFrom: try row.optionalDate("valid_from"),
            validUntil: try row.optionalDate("valid_until"),
            policyVersion: try row["policy_version"],
            createdAt: try row["created_at"],
            decision: try DecisionRecord(row: row, prefix: "decision_")
        )
    }
}

extension DecisionRecord {
    static let columns = """
        seq, outcome, results::text AS results, policy_version, authorized_amount_cents, valid_from::text AS valid_from,
        valid_until::text AS valid_until, trigger, decided_at, agreement_terms_version
        """

    /// - Parameter prefix: the columns' prefix when the decision is read joined with its request.
    init(row: NamedRow, prefix: String = "") throws {
        self.init(
            seq: try row[prefix + "seq"],
            outcome: try row.enumValue(prefix + "outcome", DecisionOutcome.self),
            results: try row.json(prefix + "results", [RuleResult].self),
            policyVersion: try row[prefix + "policy_version"],
            authorizedAmountCents: try row[prefix + "authorized_amount_cents"],
            validFrom: try row.optionalDate(prefix + "valid_from"),
            validUntil: try row.optionalDate(prefix + "valid_until"),
            trigger: try row[prefix + "trigger"],
            decidedAt: try row[prefix + "decided_at"],
            agreementTermsVersion: try row[prefix + "agreement_terms_version"]
        )
    }
}

extension ApprovalRecord {
    static let columns = """
        seq, rule_type, rule_index, approver_role, approver_token_id, resolution_number,
        resolution_date::text AS resolution_date, evidence::text AS evidence, note, created_at
        """

    init(row: NamedRow) throws {
        self.init(
            seq: try row["seq"],
            ruleType: try row["rule_type"],
            ruleIndex: try row["rule_index"],
            approverRole: try row["approver_role"],
            approverTokenId: try row["approver_token_id"],
            resolutionNumber: try row["resolution_number"],
            resolutionDate: try row.optionalDate("resolution_date"),
            evidence: try row.json("evidence", AuthorizationContext.Evidence.self),
            note: try row["note"],
            createdAt: try row["created_at"]
        )
    }
}
