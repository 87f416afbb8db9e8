import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/console/alerts`: the alerts of the person's scope (an agency's own; the cooperative's for cooperative staff),
/// open ones first, and acknowledging one (administrators and finance staff, as `POST /v1/alerts/{id}/acknowledgement`).
struct AlertPages {
    let events: EventStore
    let renderer: ConsoleRenderer

    static let pageSize = 100

    func register(signedIn: RouterGroup<SignedInContext>) {
        signedIn.get("alerts", use: list)
        signedIn.post("alerts/{id}/acknowledge", use: acknowledge)
    }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let status = request.uri.queryParameters.get("status").flatMap(EventStore.AlertStatus.init(rawValue:)) ?? .open
        let alerts = try await events.alerts(in: scope(principal), status: status, before: nil, limit: Self.pageSize)
        let mayAcknowledge = EventType.acknowledgingRoles.contains(principal.role)
        return renderer.response(
            ConsolePage(
                "alerts",
                title: "Alerts",
                [
                    "alerts": alerts.map { Self.row($0, mayAcknowledge: mayAcknowledge) }, "empty": alerts.isEmpty,
                    "showingOpen": status == .open,
                    "statusLabel": status == .open ? "Open alerts" : "Acknowledged and open alerts",
                ]
            ),
            session: context.session,
            path: request.uri.path
        )
    }

    @Sendable func acknowledge(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        guard EventType.acknowledgingRoles.contains(principal.role) else { throw ConsolePageError.forbidden }
        let id = try context.id()
        let form = try await ConsoleForm.read(request)
        try form.requireCSRF(context.session)
        let note = form["note"].flatMap {
            $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : String($0.prefix(1000))
        }
        do {
            _ = try await events.acknowledge(id, in: scope(principal), note: note, by: Actor(principal))
        } catch StoreError.notFound {
            throw ConsolePageError.notFound
        }
        return SessionPages.redirect(to: "/console/alerts")
    }

    func scope(_ principal: Principal) -> EventScope {
        principal.tenantID.map(EventScope.agency) ?? .cooperative
    }

    /// One alert in words: what it is about and what to do, from its type and data.
    static func row(_ event: Event, mayAcknowledge: Bool) -> [String: any Sendable] {
        var row: [String: any Sendable] = [
            "id": event.id.uuidString.lowercased(), "type": event.type, "summary": summary(event),
            "at": DecisionView.timestamp(event.occurredAt),
            "open": event.acknowledgement == nil, "mayAcknowledge": mayAcknowledge && event.acknowledgement == nil,
        ]
        if let acknowledgement = event.acknowledgement {
            row["acknowledged"] =
                "Acknowledged \(DecisionView.timestamp(acknowledgement.at)) by \(acknowledgement.role)"
                + (acknowledgement.note.map { ": \($0)" } ?? "")
        }
        if event.subject.type == "agreement" { row["href"] = "/console/agreements/\(event.subject.id)" }
        return row
    }

    static func summary(_ event: Event) -> String {
        func text(_ key: String) -> String {
            switch event.data[key] {
            case .string(let value): value
            case .int(let value): String(value)
            default: "?"
            }
        }
        func money(_ key: String) -> String {
            guard case .int(let cents) = event.data[key] else { return "?" }
            return MoneyFormatter.dollars(cents: cents)
        }
        return switch EventType(rawValue: event.type) {
        case .agreementCeiling:
            "Agreement \(text("number")) has \(text("percent"))% of its ceiling committed (\(money("committedCents")) of \(money("ceilingCents")))."
        case .agreementTierReached:
            "Agreement \(text("number")) reached price tier \(text("tier")): volume \(money("volumeCents"))."
        case .agreementExpiring:
            "Agreement \(text("number")) ends on \(text("expiresOn")) (\(text("daysLeft")) days); renewals left: \(text("renewalsLeft"))."
        case .participationExpiring:
            "Participation instrument (\(text("kind"))) ends on \(text("expiresOn")) (\(text("daysLeft")) days)."
        case .supplierReportOverdue:
            "A supplier report is overdue: agreement \(text("number")), \(text("year")) Q\(text("quarter")), due \(text("dueOn"))."
        case .webhookEndpointDisabled:
            "Webhook endpoint \(text("url")) was disabled after failing deliveries."
        default: event.type
        }
    }
}
