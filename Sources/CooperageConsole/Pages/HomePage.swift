import CooperageAPI
import CooperageCore
import CooperageStore
import Hummingbird

/// `/console`: where each role starts. The cooperative's staff see the program's overview (counts, and for the
/// admin what needs attention); everyone else a list of where to go.
struct HomePage {
    let overviews: AdminOverviewStore
    let renderer: ConsoleRenderer

    func register(signedIn: RouterGroup<SignedInContext>) {
        signedIn.get("", use: home)
    }

    @Sendable func home(_ request: Request, context: SignedInContext) async throws -> Response {
        let role = context.principal.role
        let links = ConsoleNavigation.links(for: role).dropFirst().map {
            ["href": $0.href, "label": $0.label] as [String: any Sendable]
        }
        guard role == .cooperativeAdmin || role == .cooperativeFinance else {
            return renderer.response(
                ConsolePage("home", title: "Overview", ["links": Array(links)]),
                session: context.session,
                path: request.uri.path
            )
        }
        let overview = try await overviews.overview(
            today: LocalDate.today(),
            expiryWindowDays: OverviewPolicy.expiryWindowDays,
            ceilingPercent: OverviewPolicy.ceilingPercent
        )
        return renderer.response(
            ConsolePage(
                "overview",
                title: "Overview",
                Self.values(overview, admin: role == .cooperativeAdmin, links: Array(links))
            ),
            session: context.session,
            path: request.uri.path
        )
    }

    static func values(_ overview: AdminOverview, admin: Bool, links: [[String: any Sendable]]) -> [String: any Sendable] {
        let agreement = { (item: AdminOverview.AgreementItem) -> [String: any Sendable] in
            var row: [String: any Sendable] = [
                "id": item.id.uuidString.lowercased(), "number": item.number, "title": item.title, "supplier": item.supplierName,
                "expiresOn": item.expiresOn.description, "committed": MoneyFormatter.dollars(cents: item.committedCents),
            ]
            if let ceiling = item.ceilingCents, ceiling > 0 {
                row["ceiling"] = MoneyFormatter.dollars(cents: ceiling)
                row["percent"] = Int((Double(item.committedCents) / Double(ceiling) * 100).rounded(.down))
            }
            return row
        }
        return [
            "links": links, "attention": admin, "quarter": "Q\(overview.quarterStart.quarter) \(overview.quarterStart.year)",
            "counts": [
                "agencies": overview.agencies, "activeAgencies": overview.activeAgencies, "suppliers": overview.suppliers,
                "agreements": overview.agreements, "activeAgreements": overview.activeAgreements,
                "usage": MoneyFormatter.dollars(cents: overview.usageThisQuarterCents),
            ] as [String: any Sendable],
            "policy": [
                "expiryWindowDays": OverviewPolicy.expiryWindowDays, "ceilingPercent": OverviewPolicy.ceilingPercent,
            ] as [String: any Sendable],
            "expiring": overview.expiringAgreements.map(agreement),
            "nearCeiling": overview.agreementsNearCeiling.map(agreement),
            "instruments": overview.expiringInstruments.map { item in
                [
                    "agencyId": item.tenantID.uuidString.lowercased(), "agency": item.agencyName, "kind": item.kind,
                    "expiresOn": item.expiresOn.description,
                ] as [String: any Sendable]
            },
            "overdue": overview.overdueReports.map { item in
                [
                    "agreementId": item.agreementID.uuidString.lowercased(), "number": item.number, "supplier": item.supplierName,
                    "period": "Q\(item.quarter) \(item.year)", "endedOn": item.quarterEndsOn.description,
                ] as [String: any Sendable]
            },
            "hasExpiring": !overview.expiringAgreements.isEmpty, "hasNearCeiling": !overview.agreementsNearCeiling.isEmpty,
            "hasInstruments": !overview.expiringInstruments.isEmpty, "hasOverdue": !overview.overdueReports.isEmpty,
            "truncated": overview.truncated, "listLimit": AdminOverviewStore.listLimit,
        ]
    }
}
