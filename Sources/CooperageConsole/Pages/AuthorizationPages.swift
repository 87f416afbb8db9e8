import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/console/authorizations`: an agency's authorizations, and each one's decision page (the outcome, every
/// rule's result with its citation, what to do next, and the history of decisions and approvals). Readable by
/// whoever may read them in the API: the agency's own people, and cooperative staff naming the agency.
struct AuthorizationPages {
    let authorizations: AuthorizationStore
    let agreements: AgreementStore
    let renderer: ConsoleRenderer

    func register(signedIn: RouterGroup<SignedInContext>) {
        signedIn.get("authorizations", use: list)
        signedIn.get("authorizations/{id}", use: detail)
    }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        let scope = try context.agencyScope(of: request)
        let query = request.uri.queryParameters
        let outcome = DecisionOutcome(rawValue: String(query.get("outcome") ?? ""))
        let agreement = query.get("agreementId").flatMap { UUID(uuidString: String($0)) }
        let cursor = query.get("cursor").flatMap { Int64($0) }
        let (page, next) = try await authorizations.list(
            tenantID: scope.tenantID,
            limit: 50,
            before: cursor,
            outcome: outcome,
            agreementID: agreement
        )
        let numbers = try await agreementNumbers(Set(page.map(\.agreementId)))
        let (choices, _) = try await agreements.list(limit: 200, after: nil, search: AgreementStore.Search())
        var values: [String: any Sendable] = [
            "authorizations": page.map { DecisionView.row($0, agreementNumber: numbers[$0.agreementId]) },
            "empty": page.isEmpty, "scope": scope.query(first: true), "scopeMore": scope.query(first: false),
            "tenantId": DecisionView.shown(scope.named ? DecisionView.id(scope.tenantID) : nil),
            "outcomes": ConsoleChoices.of(DecisionOutcome.self, selected: outcome?.rawValue),
            "agreements": choices.map {
                ["id": DecisionView.id($0.id), "number": $0.number, "selected": $0.id == agreement] as [String: any Sendable]
            },
        ]
        if let next {
            var link = "/console/authorizations?cursor=\(next)" + scope.query(first: false)
            if let outcome { link += "&outcome=\(outcome.rawValue)" }
            if let agreement { link += "&agreementId=\(DecisionView.id(agreement))" }
            values["next"] = link
        }
        return renderer.response(
            ConsolePage("authorizations", title: "Authorizations", values),
            session: context.session,
            path: request.uri.path
        )
    }

    /// Agreement numbers by id, for tables that name the agreement of each row.
    private func agreementNumbers(_ ids: Set<UUID>) async throws -> [UUID: String] {
        var numbers: [UUID: String] = [:]
        for id in ids { numbers[id] = try await agreements.get(id).number }
        return numbers
    }

    @Sendable func detail(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try context.id()
        let scope = try context.agencyScope(of: request)
        let record = try await authorizations.get(id, tenantID: scope.tenantID)
        let agreement = try await agreements.get(record.agreementId)
        let role = context.principal.role
        let isAgency = context.principal.tenantID != nil
        var values: [String: any Sendable] = [
            "authorization": [
                "id": DecisionView.id(record.id), "outcome": DecisionView.words(record.outcome),
                "style": DecisionView.style(record.outcome), "amount": DecisionView.dollars(record.amountCents),
                "purchaseDate": record.purchaseDate.description, "category": record.category, "purpose": record.purpose,
                "authorized": DecisionView.dollars(record.authorizedAmountCents),
                "validFrom": DecisionView.shown(record.validFrom?.description),
                "validUntil": DecisionView.shown(record.validUntil?.description),
                "policyVersion": record.policyVersion, "requested": DecisionView.timestamp(record.createdAt),
                "justification": DecisionView.shown(record.evidence.justification),
            ] as [String: any Sendable],
            "agreement": [
                "id": DecisionView.id(agreement.id), "number": agreement.number, "title": agreement.title,
                "supplier": agreement.supplierName,
            ] as [String: any Sendable],
            "results": DecisionView.results(record.decision.results),
            "nextSteps": DecisionView.nextSteps(record),
            "decisions": (record.decisions ?? []).map { decision in
                [
                    "seq": decision.seq, "trigger": decision.trigger == "request" ? "Request" : "After an approval",
                    "outcome": DecisionView.words(decision.outcome), "style": DecisionView.style(decision.outcome),
                    "authorized": DecisionView.dollars(decision.authorizedAmountCents),
                    "policyVersion": decision.policyVersion, "decidedAt": DecisionView.timestamp(decision.decidedAt),
                ] as [String: any Sendable]
            },
            "approvals": (record.approvals ?? []).map { approval in
                [
                    "seq": approval.seq,
                    "rule": approval.ruleIndex.map { "policy rule \($0 + 1)" } ?? approval.ruleType ?? "evidence",
                    "role": approval.approverRole, "resolution": approval.resolutionNumber ?? "",
                    "resolutionDate": approval.resolutionDate?.description ?? "", "note": approval.note ?? "",
                    "recorded": DecisionView.timestamp(approval.createdAt),
                ] as [String: any Sendable]
            },
            "scope": scope.query(first: true),
        ]
        if isAgency, record.outcome == .approved, [.agencyBuyer, .agencyAdmin].contains(role) {
            values["uploadLink"] = "/console/usage/imports/new"
            values["registerLink"] = "/console/usage/new?authorizationId=\(DecisionView.id(record.id))"
        }
        if isAgency, record.outcome == .pending, [.agencyApprover, .agencyAdmin].contains(role) {
            values["approveLink"] = "/console/approvals/\(DecisionView.id(record.id))"
        }
        return renderer.response(
            ConsolePage("authorization", title: "Authorization: \(record.purpose.prefix(60))", values),
            session: context.session,
            path: request.uri.path
        )
    }
}
