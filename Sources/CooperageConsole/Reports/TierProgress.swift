import CooperageCore

/// Each agreement's volume against its price tiers, for `<progress>` bars with the same figures in words.
struct TierProgress {
    let report: TierReport

    /// `2.00 %` from 200 basis points.
    static func percent(basisPoints: Int) -> String {
        let hundredths = basisPoints.magnitude % 100
        return "\(basisPoints < 0 ? "-" : "")\(basisPoints.magnitude / 100).\(hundredths < 10 ? "0" : "")\(hundredths) %"
    }

    /// The template's view: one entry per agreement (number, supplier, text, and `max`/`value` when there is a
    /// next tier to reach).
    var templateValue: [[String: any Sendable]] {
        report.rows.enumerated().map { index, row in
            var entry: [String: any Sendable] = [
                "id": "tier-\(index)", "number": row.agreementNumber, "supplier": row.supplierName,
                "volume": MoneyFormatter.dollars(cents: row.volumeCents),
            ]
            let reached = row.tierReached.map {
                "tier \($0.tier) of \(row.tiers.count) reached (\(Self.percent(basisPoints: $0.discountBasisPoints)) off)"
            }
            if let next = row.nextTier {
                entry["bar"] =
                    ["max": max(next.minVolumeCents, 1), "value": max(min(row.volumeCents, next.minVolumeCents), 0)]
                    as [String: any Sendable]
                entry["text"] =
                    "\(MoneyFormatter.dollars(cents: row.volumeCents)) of \(MoneyFormatter.dollars(cents: next.minVolumeCents)) "
                    + "toward tier \(next.tier) (\(Self.percent(basisPoints: next.discountBasisPoints)) off); "
                    + "\(MoneyFormatter.dollars(cents: row.gapCents ?? 0)) to go"
                    + (reached.map { "; \($0)" } ?? "; no tier reached yet")
            } else if row.tiers.isEmpty {
                entry["text"] = "\(MoneyFormatter.dollars(cents: row.volumeCents)); this agreement has no price tiers"
            } else {
                entry["bar"] = ["max": 1, "value": 1] as [String: any Sendable]
                entry["text"] =
                    "\(MoneyFormatter.dollars(cents: row.volumeCents)); highest tier reached"
                    + (reached.map { ": \($0)" } ?? "")
            }
            return entry
        }
    }
}
