import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/console/policy`: an agency's local authorization rules, as numbered versions that are never changed; a new
/// version starts from a bundled template and/or rules written as JSON, validated exactly as `PUT
/// /v1/tenants/{id}/policy` validates them. Read by the agency's people (and cooperative staff naming it);
/// written by agency and cooperative admins, as in the API.
struct PolicyPages {
    let policies: PolicyStore
    let templates: PolicyTemplateCatalog
    let renderer: ConsoleRenderer

    func register(signedIn: RouterGroup<SignedInContext>) {
        signedIn.get("policy", use: current)
        signedIn.get("policy/versions/{version}", use: version)
        signedIn.get("policy/edit", use: editForm)
        signedIn.post("policy", use: save)
    }

    static let editingRoles: [Role] = [.agencyAdmin, .cooperativeAdmin]

    @Sendable func current(_ request: Request, context: SignedInContext) async throws -> Response {
        let scope = try context.agencyScope(of: request)
        let policy = try await policies.current(tenantID: scope.tenantID)
        let (versions, _) = try await policies.versions(tenantID: scope.tenantID, after: 0, limit: 500)
        var values = try view(policy, scope: scope)
        values["versions"] = versions.reversed().map { summary in
            [
                "version": summary.version, "rules": summary.ruleCount, "template": summary.templateId ?? "",
                "created": DecisionView.timestamp(summary.createdAt), "current": summary.version == policy.version,
            ] as [String: any Sendable]
        }
        values["canEdit"] = Self.editingRoles.contains(context.principal.role)
        return renderer.response(
            ConsolePage("policy", title: "Policy", values),
            session: context.session,
            path: request.uri.path
        )
    }

    @Sendable func version(_ request: Request, context: SignedInContext) async throws -> Response {
        let scope = try context.agencyScope(of: request)
        guard let number = context.parameters.get("version").flatMap({ Int($0) }), number > 0 else {
            throw ConsolePageError.notFound
        }
        let policy = try await policies.version(number, tenantID: scope.tenantID)
        return renderer.response(
            ConsolePage("policy-version", title: "Policy version \(number)", try view(policy, scope: scope)),
            session: context.session,
            path: request.uri.path
        )
    }

    /// A version's rules as the pages show them: each with its parameters as JSON.
    private func view(_ policy: PolicyVersion, scope: AgencyScope) throws -> [String: any Sendable] {
        [
            "version": policy.version, "template": DecisionView.shown(policy.templateId),
            "created": DecisionView.shown(policy.createdAt.map(DecisionView.timestamp)), "empty": policy.rules.isEmpty,
            "scope": scope.query(first: true),
            "rules": try policy.rules.enumerated().map { index, rule in
                [
                    "number": index + 1, "type": rule.type, "citation": rule.citation,
                    "effective": rule.effectiveOn?.description ?? "",
                    "expires": DecisionView.shown(rule.expiresOn?.description),
                    "parameters": try Self.json(rule.parameters),
                ] as [String: any Sendable]
            },
        ]
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Sendable func editForm(_ request: Request, context: SignedInContext) async throws -> Response {
        let scope = try context.agencyScope(of: request)
        try context.require(.agencyAdmin, .cooperativeAdmin)
        let policy = try await policies.current(tenantID: scope.tenantID)
        let template: String? = request.uri.queryParameters.get("template").map { String($0) }
        // Starting from a template begins with no rules of one's own; editing begins with the current rules.
        let rules = template == nil && !policy.rules.isEmpty ? try Self.json(policy.rules) : ""
        return renderer.response(
            try formPage(scope: scope, values: ["rules": rules, "fromTemplate": template ?? ""], basedOn: policy.version),
            session: context.session,
            path: request.uri.path
        )
    }

    @Sendable func save(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = try context.require(.agencyAdmin, .cooperativeAdmin)
        let form = try await ConsoleForm.read(request)
        try form.requireCSRF(context.session)
        let scope = try scope(of: form, context: context)
        let typed = ["rules": form["rules"] ?? "", "fromTemplate": form["fromTemplate"] ?? ""]
        let refused = { (issues: FormIssues) in
            renderer.response(
                try formPage(scope: scope, values: typed, basedOn: nil, issues: issues),
                session: context.session,
                path: request.uri.path
            )
        }
        let change: PolicyChange
        switch Self.change(rules: form["rules"], fromTemplate: form["fromTemplate"]) {
        case .failure(let issues): return try refused(issues)
        case .success(let decoded): change = decoded
        }
        let (rules, template, issues) = try templates.resolve(change)
        guard issues.isEmpty else { return try refused(Self.placed(issues)) }
        _ = try await policies.createVersion(
            rules: rules,
            templateID: template?.id,
            tenantID: scope.tenantID,
            by: Actor(principal)
        )
        return SessionPages.redirect(to: "/console/policy" + scope.query(first: true))
    }

    /// The agency a posted form is about: the agency's own, or the one cooperative staff named in it.
    private func scope(of form: ConsoleForm, context: SignedInContext) throws -> AgencyScope {
        if let own = context.principal.tenantID {
            if let named = form["tenantId"], UUID(uuidString: named) != own { throw ConsolePageError.notFound }
            return AgencyScope(tenantID: own, named: false)
        }
        guard let tenant = form["tenantId"].flatMap(UUID.init(uuidString:)) else { throw ConsolePageError.notFound }
        return AgencyScope(tenantID: tenant, named: true)
    }

    /// The change the form asks for, decoded as the API decodes its body: the rules' JSON text as `rules`.
    static func change(rules text: String?, fromTemplate: String?) -> Result<PolicyChange, FormIssues> {
        var object: [String: Any] = [:]
        if let fromTemplate { object["fromTemplate"] = fromTemplate }
        var issues = FormIssues()
        if let text {
            guard let data = text.data(using: .utf8), let parsed = try? JSONSerialization.jsonObject(with: data),
                parsed is [Any]
            else {
                issues.add(
                    "rules",
                    "must be a JSON array of rules, such as [{\"type\": ..., \"parameters\": {...}, \"citation\": ...}]"
                )
                return .failure(issues)
            }
            object["rules"] = parsed
        }
        do {
            let data = try JSONSerialization.data(withJSONObject: object)
            return .success(try JSONCoding.decoder.decode(PolicyChange.self, from: data))
        } catch let error as DecodingError {
            return .failure(placed([error.fieldIssue]))
        } catch {
            issues.add("", "the form could not be read")
            return .failure(issues)
        }
    }

    /// Issues placed on the two fields; a rule's issue keeps its pointer (`/rules/2/parameters`) so the person can
    /// find the rule in the text.
    static func placed(_ issues: [FieldIssue]) -> FormIssues {
        var shown = FormIssues()
        for issue in issues {
            let parts = issue.pointer.split(separator: "/", omittingEmptySubsequences: false)
            if parts.count >= 3, parts[1] == "rules", let index = Int(parts[2]) {
                let field = parts.dropFirst(3).joined(separator: "/")
                shown.add("rules", "rule \(index + 1)\(field.isEmpty ? "" : ", \(field)"): \(issue.detail)")
            } else {
                shown.add(issue)
            }
        }
        return shown
    }

    private func formPage(scope: AgencyScope, values: [String: String], basedOn: Int?, issues: FormIssues = FormIssues())
        throws -> ConsolePage
    {
        let chosen = values["fromTemplate"] ?? ""
        return ConsolePage(
            "policy-edit",
            title: "New policy version",
            status: issues.isEmpty ? .ok : .unprocessableContent,
            [
                "values": values, "errors": issues.templateValues, "basedOn": basedOn ?? 0,
                "tenantId": DecisionView.shown(scope.named ? DecisionView.id(scope.tenantID) : nil),
                "scope": scope.query(first: true),
                "templates": try templates.all().map { template in
                    [
                        "id": template.id, "name": template.name, "description": template.description,
                        "jurisdiction": template.jurisdiction, "rules": template.rules.count, "selected": template.id == chosen,
                    ] as [String: any Sendable]
                },
            ]
        )
    }
}
