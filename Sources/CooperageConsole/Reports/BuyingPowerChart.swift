import CooperageCore
import Foundation

/// Buying power as a horizontal bar chart drawn by the server (inline SVG, no script): one bar per period, or per
/// group of the first grouping, or one for everything. Its `<title>` and `<desc>` give the figures in words, and
/// the table below the chart holds the same figures.
struct BuyingPowerChart {
    struct Bar {
        var label: String
        var cents: Int
    }

    let title: String
    let bars: [Bar]
    /// Bars beyond this are left out of the drawing (the table has them all), and the description says so.
    static let maximumBars = 40

    init(_ report: BuyingPowerReport) {
        var order: [String] = []
        var totals: [String: Int] = [:]
        let dimension = report.groupBy.first
        for row in report.rows {
            let label: String
            if report.period != nil {
                label = row.period ?? "no period"
            } else if let dimension {
                label = Self.label(of: row, dimension) ?? "none"
            } else {
                label = "All purchases"
            }
            if totals[label] == nil { order.append(label) }
            totals[label] = Money.clampedSum([totals[label] ?? 0, row.totalCents])
        }
        let by =
            if report.period != nil { report.period?.rawValue ?? "period" } else {
                dimension.map { ReportTable.label($0.rawValue.replacingOccurrences(of: "-", with: "_")).lowercased() } ?? ""
            }
        let whose = report.scope.isAgency ? "Your agency's spend" : "Spend"
        title = by.isEmpty ? whose : "\(whose) by \(by)"
        bars = order.map { Bar(label: $0, cents: totals[$0] ?? 0) }
    }

    static func label(of row: BuyingPowerRow, _ dimension: ReportDimension) -> String? {
        switch dimension {
        case .agreement: row.agreementNumber
        case .supplier: row.supplierName
        case .category: row.category
        case .leadAgency: row.leadAgencyName
        case .state: row.state
        case .entityType: row.entityType
        case .tenant: row.tenantName
        }
    }

    // The drawing's geometry, in SVG user units.
    static let width = 720
    static let labelWidth = 220
    static let barSpace = 360
    static let rowHeight = 28

    /// The template's view: `title`, `description`, `height` and `bars` (label, value, y, textY, width, valueX).
    var templateValue: [String: any Sendable] {
        let drawn = Array(bars.prefix(Self.maximumBars))
        let largest = max(drawn.map(\.cents).max() ?? 0, 1)
        let shapes = drawn.enumerated().map { index, bar -> [String: any Sendable] in
            // A negative total (more reversed than ordered) has no bar; its value is still written.
            let length = bar.cents <= 0 ? 0 : max(1, Int((Double(bar.cents) / Double(largest) * Double(Self.barSpace)).rounded()))
            let top = index * Self.rowHeight + 5
            return [
                "label": bar.label.count > 28 ? String(bar.label.prefix(27)) + "…" : bar.label,
                "value": MoneyFormatter.dollars(cents: bar.cents), "y": top, "textY": top + 14, "width": length,
                "valueX": Self.labelWidth + length + 6,
            ]
        }
        var description = drawn.map { "\($0.label): \(MoneyFormatter.dollars(cents: $0.cents))" }.joined(separator: "; ")
        if bars.count > drawn.count {
            description += "; and \(bars.count - drawn.count) more, shown in the table below"
        }
        return [
            "title": title, "description": description.isEmpty ? "No purchases in this range." : description + ".",
            "height": max(drawn.count, 1) * Self.rowHeight + 10, "width": Self.width, "labelX": Self.labelWidth - 6,
            "barX": Self.labelWidth, "bars": shapes,
        ]
    }
}
