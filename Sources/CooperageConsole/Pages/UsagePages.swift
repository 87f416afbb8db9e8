import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/console/usage`: the agency's purchase orders and reversals, and one order's page with its lines. Orders are
/// registered one at a time (``UsageOrderPages``), by a CSV upload (``UsageImportPages``) or through the API.
struct UsagePages {
    let usage: UsageStore
    let renderer: ConsoleRenderer

    func register(signedIn: RouterGroup<SignedInContext>) {
        signedIn.get("usage", use: list)
        signedIn.get("usage/{id}", use: detail)
    }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        let scope = try context.agencyScope(of: request)
        let cursor = request.uri.queryParameters.get("cursor").flatMap { Int64($0) }
        let (page, next) = try await usage.list(
            tenantID: scope.tenantID,
            limit: 50,
            before: cursor,
            agreementID: nil,
            from: nil,
            to: nil,
            poNumber: nil
        )
        let rows = page.map { record in
            [
                "id": DecisionView.id(record.id), "po": record.poNumber, "date": record.orderDate.description,
                "amount": DecisionView.dollars(record.amountCents), "kind": record.kind.rawValue, "source": record.source,
                "authorization": DecisionView.id(record.authorizationId),
            ] as [String: any Sendable]
        }
        var values: [String: any Sendable] = [
            "orders": rows, "empty": rows.isEmpty, "scope": scope.query(first: true),
            "canWrite": context.principal.tenantID != nil && [.agencyBuyer, .agencyAdmin].contains(context.principal.role),
        ]
        if let next { values["next"] = "/console/usage?cursor=\(next)" + scope.query(first: false) }
        return renderer.response(
            ConsolePage("usage", title: "Purchase orders", values),
            session: context.session,
            path: request.uri.path
        )
    }

    @Sendable func detail(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try context.id()
        let scope = try context.agencyScope(of: request)
        let record = try await usage.get(id, tenantID: scope.tenantID)
        return renderer.response(
            ConsolePage(
                "usage-order",
                title: "Purchase order \(record.poNumber)",
                [
                    "order": [
                        "po": record.poNumber, "date": record.orderDate.description, "kind": record.kind.rawValue,
                        "amount": DecisionView.dollars(record.amountCents), "source": record.source,
                        "authorization": DecisionView.id(record.authorizationId), "category": record.category,
                        "reason": DecisionView.shown(record.reason), "recorded": DecisionView.timestamp(record.createdAt),
                    ] as [String: any Sendable],
                    "lines": record.lines.map { line in
                        [
                            "description": line.description, "unspsc": line.unspsc, "quantity": line.quantity.description,
                            "unitPrice": DecisionView.dollars(line.unitPriceCents),
                            "total": line.totalCents.map(DecisionView.dollars) ?? "",
                        ] as [String: any Sendable]
                    },
                    "scope": scope.query(first: true),
                ]
            ),
            session: context.session,
            path: request.uri.path
        )
    }
}
