public import Foundation

/// `savings`: list price minus price paid, over the order lines that carry a list price.
public struct SavingsReport: ScopedReport, Hashable {
    public var report: ReportName { .savings }
    public var scope: ReportScope
    public var from: LocalDate?
    public var to: LocalDate?
    public var rows: [SavingsRow]

    public init(scope: ReportScope, from: LocalDate?, to: LocalDate?, rows: [SavingsRow]) {
        self.scope = scope
        self.from = from
        self.to = to
        self.rows = rows
    }

    enum CodingKeys: String, CodingKey { case rows }

    public func encode(to encoder: any Encoder) throws {
        try encodeHeader(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rows, forKey: .rows)
    }

    public var csvTable: CSVTable {
        CSVTable(
            header: [
                "agreement_id", "agreement_number", "supplier_id", "supplier_name", "tenant_id", "tenant_name", "spend_cents",
                "list_cents", "listed_paid_cents", "savings_cents", "savings_basis_points",
            ],
            rows: rows.map { row in
                [
                    Cell.id(row.agreementId), row.agreementNumber, Cell.id(row.supplierId), row.supplierName,
                    Cell.id(row.tenantId),
                    Cell.text(row.tenantName), String(row.spendCents), String(row.listCents), String(row.listedPaidCents),
                    String(row.savingsCents), Cell.int(row.savingsBasisPoints),
                ]
            },
            numberColumns: ["spend_cents", "list_cents", "listed_paid_cents", "savings_cents", "savings_basis_points"]
        )
    }
}

public struct SavingsRow: Codable, Hashable, Sendable {
    public var agreementId: UUID
    public var agreementNumber: String
    public var supplierId: UUID
    public var supplierName: String
    /// Per tenant for the cooperative; absent in an agency's own report.
    public var tenantId: UUID?
    public var tenantName: String?
    /// All registered spend (orders minus reversals), with or without list prices.
    public var spendCents: Int
    /// List-price total of the lines that carry one.
    public var listCents: Int
    /// What was paid for those same lines.
    public var listedPaidCents: Int
    /// `listCents - listedPaidCents`.
    public var savingsCents: Int
    /// Savings as a share of list, in basis points (rounded half away from zero); nil without list prices.
    public var savingsBasisPoints: Int?

    public init(
        agreementId: UUID,
        agreementNumber: String,
        supplierId: UUID,
        supplierName: String,
        tenantId: UUID?,
        tenantName: String?,
        spendCents: Int,
        listCents: Int,
        listedPaidCents: Int
    ) {
        self.agreementId = agreementId
        self.agreementNumber = agreementNumber
        self.supplierId = supplierId
        self.supplierName = supplierName
        self.tenantId = tenantId
        self.tenantName = tenantName
        self.spendCents = spendCents
        self.listCents = listCents
        self.listedPaidCents = listedPaidCents
        self.savingsCents = Money.clampedDifference(listCents, listedPaidCents)
        self.savingsBasisPoints = AdminFee.basisPoints(of: savingsCents, in: listCents)
    }
}
