public import Foundation

/// `tiers`: each agreement's aggregate volume (all agencies) against its price tiers.
public struct TierReport: ScopedReport, Hashable {
    public var report: ReportName { .tiers }
    public var scope: ReportScope
    public var from: LocalDate?
    public var to: LocalDate?
    public var rows: [TierRow]

    public init(scope: ReportScope, from: LocalDate?, to: LocalDate?, rows: [TierRow]) {
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
        let own = tenantId != nil
        var header = [
            "agreement_id", "agreement_number", "supplier_id", "supplier_name", "volume_cents", "order_count", "agency_count",
        ]
        if own { header.append("tenant_volume_cents") }
        header += [
            "tier_count", "tier_reached", "tier_reached_min_volume_cents", "tier_reached_discount_basis_points", "next_tier",
            "next_tier_min_volume_cents", "next_tier_discount_basis_points", "gap_cents",
        ]
        let rows = self.rows.map { row in
            var fields = [
                Cell.id(row.agreementId), row.agreementNumber, Cell.id(row.supplierId), row.supplierName, String(row.volumeCents),
                String(row.orderCount), String(row.agencyCount),
            ]
            if own { fields.append(Cell.int(row.tenantVolumeCents)) }
            fields += [
                String(row.tiers.count), Cell.int(row.tierReached?.tier), Cell.int(row.tierReached?.minVolumeCents),
                Cell.int(row.tierReached?.discountBasisPoints), Cell.int(row.nextTier?.tier),
                Cell.int(row.nextTier?.minVolumeCents), Cell.int(row.nextTier?.discountBasisPoints), Cell.int(row.gapCents),
            ]
            return fields
        }
        return CSVTable(
            header: header,
            rows: rows,
            numberColumns: [
                "volume_cents", "order_count", "agency_count", "tenant_volume_cents", "tier_count", "tier_reached",
                "tier_reached_min_volume_cents", "tier_reached_discount_basis_points", "next_tier", "next_tier_min_volume_cents",
                "next_tier_discount_basis_points", "gap_cents",
            ]
        )
    }
}

public struct TierRow: Codable, Hashable, Sendable {
    /// A tier by its 1-based position in ascending order of threshold.
    public struct Tier: Codable, Hashable, Sendable {
        public var tier: Int
        public var minVolumeCents: Int
        public var discountBasisPoints: Int
    }

    public var agreementId: UUID
    public var agreementNumber: String
    public var supplierId: UUID
    public var supplierName: String
    /// Every agency's orders minus reversals under the agreement, in cents.
    public var volumeCents: Int
    public var orderCount: Int
    public var agencyCount: Int
    /// The caller's own (or the chosen tenant's) share of the volume; absent for the whole cooperative.
    public var tenantVolumeCents: Int?
    /// The agreement's tiers in ascending order.
    public var tiers: [PriceTier]
    public var tierReached: Tier?
    public var nextTier: Tier?
    /// Volume still needed to reach `nextTier`, in cents.
    public var gapCents: Int?

    public init(
        agreementId: UUID,
        agreementNumber: String,
        supplierId: UUID,
        supplierName: String,
        volumeCents: Int,
        orderCount: Int,
        agencyCount: Int,
        tenantVolumeCents: Int?,
        tiers: [PriceTier]
    ) {
        self.agreementId = agreementId
        self.agreementNumber = agreementNumber
        self.supplierId = supplierId
        self.supplierName = supplierName
        self.volumeCents = volumeCents
        self.orderCount = orderCount
        self.agencyCount = agencyCount
        self.tenantVolumeCents = tenantVolumeCents
        self.tiers = tiers.sorted { $0.minVolumeCents < $1.minVolumeCents }
        let standing = TierStanding(volumeCents: volumeCents, tiers: tiers)
        self.tierReached = standing.reachedTier.flatMap { tier in
            standing.reached.map {
                Tier(tier: $0, minVolumeCents: tier.minVolumeCents, discountBasisPoints: tier.discountBasisPoints)
            }
        }
        self.nextTier = standing.nextTier.flatMap { tier in
            standing.next.map {
                Tier(tier: $0, minVolumeCents: tier.minVolumeCents, discountBasisPoints: tier.discountBasisPoints)
            }
        }
        self.gapCents = standing.gapCents
    }
}
