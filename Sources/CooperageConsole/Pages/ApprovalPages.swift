import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/console/approvals`: the agency approver's queue of pending authorizations, and the form that records an
/// approval (the rule it satisfies, the resolution's number and date, a note) through the same store call as
/// `POST /v1/authorizations/{id}/approvals`, which decides the request again.
struct ApprovalPages {
    let authorizations: AuthorizationStore
    let agreements: AgreementStore
    let renderer: ConsoleRenderer

    func register(signedIn: RouterGroup<SignedInContext>) {
        signedIn.get("approvals", use: queue)
        signedIn.get("approvals/{id}", use: form)
        signedIn.post("approvals/{id}", use: approve)
    }

    static let approvalForm = FormDecoder(fields: [("resolutionNumber", .text), ("resolutionDate", .text), ("note", .text)])

    @Sendable func queue(_ request: Request, context: SignedInContext) async throws -> Response {
        let tenantID = try context.agency(.agencyApprover, .agencyAdmin)
        let cursor = request.uri.queryParameters.get("cursor").flatMap { Int64($0) }
        let (page, next) = try await authorizations.list(
            tenantID: tenantID,
            limit: 50,
            before: cursor,
            outcome: .pending,
            agreementID: nil
        )
        var numbers: [UUID: String] = [:]
        for id in Set(page.map(\.agreementId)) { numbers[id] = try await agreements.get(id).number }
        let rows = page.map { record in
            var row = DecisionView.row(record, agreementNumber: numbers[record.agreementId])
            row["needs"] = DecisionView.nextSteps(record)
            return row
        }
        var values: [String: any Sendable] = ["authorizations": rows, "empty": rows.isEmpty]
        if let next { values["next"] = "/console/approvals?cursor=\(next)" }
        return renderer.response(
            ConsolePage("approvals", title: "Approvals waiting", values),
            session: context.session,
            path: request.uri.path
        )
    }

    @Sendable func form(_ request: Request, context: SignedInContext) async throws -> Response {
        let tenantID = try context.agency(.agencyApprover, .agencyAdmin)
        let record = try await pending(context, tenantID: tenantID)
        return renderer.response(
            formPage(record, values: [:]),
            session: context.session,
            path: request.uri.path
        )
    }

    @Sendable func approve(_ request: Request, context: SignedInContext) async throws -> Response {
        let tenantID = try context.agency(.agencyApprover, .agencyAdmin)
        let form = try await ConsoleForm.read(request)
        try form.requireCSRF(context.session)
        let record = try await pending(context, tenantID: tenantID)
        let typed = Dictionary(
            uniqueKeysWithValues: (Self.approvalForm.fields.map(\.name) + ["rule"]).map { ($0, form[$0] ?? "") }
        )
        let refused = { (issues: FormIssues, status: HTTPResponse.Status) in
            renderer.response(
                formPage(record, values: typed, issues: issues, status: status),
                session: context.session,
                path: request.uri.path
            )
        }
        guard record.outcome == .pending else {
            var issues = FormIssues()
            issues.add("", "only pending authorizations take approvals; this one is \(record.outcome.rawValue)")
            return refused(issues, .conflict)
        }
        var approval: NewApproval
        switch Self.approvalForm.decode(NewApproval.self, from: form) {
        case .failure(let issues): return refused(issues, .unprocessableContent)
        case .success(let decoded): approval = decoded
        }
        // The rule chosen is one of the results that wait for an approval: its type, and its index for a policy rule.
        if let chosen = form["rule"] {
            guard let result = Self.awaiting(record).first(where: { Self.choice($0) == chosen }) else {
                var issues = FormIssues()
                issues.add("rule", "choose one of the checks that need an approval")
                return refused(issues, .unprocessableContent)
            }
            approval.ruleType = result.rule
            approval.ruleIndex = result.ruleIndex
        }
        let issues = approval.issues
        guard issues.isEmpty else {
            // The API names a missing rule at the body's root; here it belongs to the rule's field.
            var shown = FormIssues()
            for issue in issues { shown.add(issue.pointer.isEmpty ? "rule" : String(issue.pointer.dropFirst()), issue.detail) }
            return refused(shown, .unprocessableContent)
        }
        do {
            let decided = try await authorizations.approve(
                record.id,
                approval: approval,
                tenantID: tenantID,
                by: context.principal
            )
            return SessionPages.redirect(to: "/console/authorizations/\(DecisionView.id(decided.id))")
        } catch StoreError.conflict(let pointer, let detail) {
            return refused(FormIssues([FieldIssue(pointer: pointer, detail: detail)]), .conflict)
        }
    }

    /// The authorization of the path, which must be the agency's own (another's is not found).
    private func pending(_ context: SignedInContext, tenantID: UUID) async throws -> AuthorizationRecord {
        let id = try context.id()
        return try await authorizations.get(id, tenantID: tenantID)
    }

    /// The results of the latest decision that an approval can settle.
    static func awaiting(_ record: AuthorizationRecord) -> [RuleResult] {
        record.decision.results.filter { $0.outcome == .needsApproval }
    }

    /// The form's value for a result: a policy rule by its index, a gate by its name.
    static func choice(_ result: RuleResult) -> String {
        result.ruleIndex.map { "rule-\($0)" } ?? result.rule
    }

    private func formPage(
        _ record: AuthorizationRecord,
        values: [String: String],
        issues: FormIssues = FormIssues(),
        status: HTTPResponse.Status? = nil
    ) -> ConsolePage {
        let awaiting = Self.awaiting(record)
        let chosen = values["rule"] ?? ""
        return ConsolePage(
            "approval",
            title: "Record an approval: \(record.purpose.prefix(60))",
            status: status ?? (issues.isEmpty ? .ok : .unprocessableContent),
            [
                "authorization": [
                    "id": DecisionView.id(record.id), "purpose": record.purpose,
                    "amount": DecisionView.dollars(record.amountCents),
                    "purchaseDate": record.purchaseDate.description, "outcome": DecisionView.words(record.outcome),
                ] as [String: any Sendable],
                "pending": record.outcome == .pending,
                "rules": awaiting.enumerated().map { index, result in
                    [
                        "value": Self.choice(result), "name": DecisionView.ruleName(result), "message": result.message,
                        "selected": Self.choice(result) == chosen || (chosen.isEmpty && index == 0),
                    ] as [String: any Sendable]
                },
                "values": values, "errors": issues.templateValues,
            ]
        )
    }
}
