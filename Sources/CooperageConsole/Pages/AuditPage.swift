import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/console/audit`: the hash-chained trail of the person's scope, newest first, with the chains' verification
/// status (the checks of `cooperage audit verify`). Same roles and scopes as `GET /v1/audit`: an agency reads its
/// own chain; a cooperative admin every chain, or one agency's (`?tenantId=`).
struct AuditPage {
    let audit: AuditStore
    let tenants: TenantStore
    let renderer: ConsoleRenderer

    static let pageSize = 50

    func register(signedIn: RouterGroup<SignedInContext>) {
        signedIn.get("audit", use: list)
    }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        // Every role reads the trail of its scope, as through the API.
        let principal = context.principal
        let query = request.uri.queryParameters
        let asked = try query.get("tenantId").flatMap { $0.isEmpty ? nil : $0 }.map { text in
            guard let id = UUID(uuidString: text) else { throw ConsolePageError.notFound }
            return id
        }
        // An agency reads its own chain; naming another agency's is not found, as in the API.
        guard let tenant = principal.readScope(naming: asked).map(\.tenant) else { throw ConsolePageError.notFound }
        if principal.tenantID == nil, let asked { _ = try await tenants.get(asked) }
        let cursor = query.get("cursor").flatMap { Int64($0) }.flatMap { $0 > 0 ? $0 : nil }
        let events: [AuditEvent]
        let next: String?
        if let tenant {
            events = try await audit.events(tenant: tenant, before: cursor ?? 0, limit: Self.pageSize)
            next = events.count == Self.pageSize ? events.last.map { String($0.seq) } : nil
        } else {
            events = try await audit.allEvents(beforeMicros: cursor, limit: Self.pageSize)
            next = events.count == Self.pageSize ? events.last.map { String($0.occurredAtMicros) } : nil
        }
        let verification = try await audit.verify(tenant.map { AuditVerifier.Chains.tenant($0) } ?? .all)

        var values: [String: any Sendable] = [
            "status": Self.status(verification, scope: tenant, agency: principal.tenantID != nil),
            "events": events.map { Self.row($0, showChain: tenant == nil) }, "empty": events.isEmpty,
            "showChain": tenant == nil,
        ]
        let filter = principal.tenantID == nil ? tenant.map { "&tenantId=\($0.uuidString.lowercased())" } ?? "" : ""
        if let next { values["next"] = "/console/audit?cursor=\(next)" + filter }
        if principal.tenantID == nil {
            var (agencies, _) = try await tenants.list(limit: 200, after: nil, status: nil)
            // The list is the first 200; the agency shown is always in it.
            if let tenant, !agencies.contains(where: { $0.id == tenant }) { agencies.append(try await tenants.get(tenant)) }
            values["agencyFilter"] =
                [
                    "agencies": agencies.map {
                        ["id": $0.id.uuidString.lowercased(), "label": $0.legalName, "selected": $0.id == tenant]
                            as [String: any Sendable]
                    }
                ] as [String: any Sendable]
        }
        return renderer.response(
            ConsolePage("audit", title: "Audit trail", values),
            session: context.session,
            path: request.uri.path
        )
    }

    static func row(_ event: AuditEvent, showChain: Bool) -> [String: any Sendable] {
        var row: [String: any Sendable] = [
            "at": AuditHead.timestamp(micros: event.occurredAtMicros),
            "chain": event.tenantId?.uuidString.lowercased() ?? "cooperative",
            "seq": event.seq, "role": event.actorRole, "action": event.action,
            "subject": "\(event.subjectType) \(event.subjectId)", "hash": String(event.hash.prefix(12)), "showChain": showChain,
        ]
        // Only a tenant's chain can be shown alone.
        if let tenant = event.tenantId { row["chainHref"] = "/console/audit?tenantId=\(tenant.uuidString.lowercased())" }
        return row
    }

    /// The verification in words. An agency is not told the details of a break outside its own chain (they name
    /// other chains' events): only that the cooperative's chain, which vouches for its own, does not hold.
    static func status(_ report: AuditVerifier.Report, scope tenant: UUID?, agency: Bool) -> [String: any Sendable] {
        let scopeName = tenant == nil ? "every chain" : agency ? "your agency's chain" : "this agency's chain"
        guard let broken = report.firstBreak else {
            var reached = ""
            if report.recordedHeadsChecked > 0 { reached = "; \(report.recordedHeadsChecked) recorded heads reached" }
            return [
                "ok": true, "headline": "Verified: \(scopeName) holds",
                "detail":
                    "\(report.eventsChecked) events in \(report.chainsChecked) chains checked, as cooperage audit verify does\(reached).",
            ]
        }
        let detail: String
        if agency, report.brokenChain == .cooperative {
            detail =
                "The cooperative's chain, which records your chain's heads, does not hold, so your chain cannot be vouched for. "
                + "The cooperative has the details."
        } else {
            detail = "First broken link: \(broken)"
        }
        return ["ok": false, "headline": "Broken: \(scopeName) does not verify", "detail": detail]
    }
}
