import CooperageCore
import Foundation

extension UsageRecord {
    /// A record (`u`) with its authorization (`r`) for the remaining amount; `seq` is its position for paging.
    /// `usage_register_presented` returns the same names.
    static let columns = """
        u.id, u.kind, u.authorization_id, u.agreement_id, u.supplier_id, u.category, u.po_number,
        u.order_date::text AS order_date, u.amount_cents, u.lines::text AS lines, u.reverses_id, u.reason, u.source,
        u.import_id, u.created_at, r.authorized_amount_cents - r.used_cents AS remaining_cents, u.seq
        """

    init(row: NamedRow, tenantID: UUID) throws {
        self.init(
            id: try row["id"],
            kind: try row.enumValue("kind", Kind.self),
            tenantId: tenantID,
            authorizationId: try row["authorization_id"],
            agreementId: try row["agreement_id"],
            supplierId: try row["supplier_id"],
            category: try row["category"],
            poNumber: try row["po_number"],
            orderDate: try row.date("order_date"),
            amountCents: try row["amount_cents"],
            lines: try row.json("lines", [UsageLine].self),
            reversesId: try row["reverses_id"],
            reason: try row["reason"],
            source: try row["source"],
            importId: try row["import_id"],
            createdAt: try row["created_at"],
            authorizationRemainingCents: try row["remaining_cents"]
        )
    }
}
