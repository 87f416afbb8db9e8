import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/console/agreements`: "Can we use this agreement?" Every role searches and reads Master Agreements, as in the
/// API; agency buyers and admins check a purchase against one, which records a decision as `POST
/// /v1/authorizations` does, and land on its decision page.
struct AgreementPages {
    let agreements: AgreementStore
    let suppliers: SupplierStore
    let authorizations: AuthorizationStore
    let renderer: ConsoleRenderer

    func register(signedIn: RouterGroup<SignedInContext>) {
        signedIn.get("agreements", use: list)
        signedIn.get("agreements/{id}", use: detail)
        signedIn.post("authorizations", use: check)
    }

    /// Who may check a purchase (`POST /v1/authorizations`).
    static let checkingRoles: [Role] = [.agencyBuyer, .agencyAdmin]

    static let checkForm = FormDecoder(fields: [
        ("agreementId", .text), ("amountCents", .dollars), ("purchaseDate", .text), ("category", .text), ("purpose", .text),
    ])

    // MARK: Search

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        let query = request.uri.queryParameters
        let text = query.get("q").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap {
            $0.isEmpty ? nil : $0
        }
        let category = query.get("category").map { String($0).trimmingCharacters(in: .whitespaces) }.flatMap {
            $0.isEmpty ? nil : $0
        }
        let supplier = query.get("supplierId").flatMap { UUID(uuidString: String($0)) }
        let ownAgency = context.principal.tenantID
        let usable = ownAgency != nil && query.get("usable") == "on"
        var issues = FormIssues()
        var search = AgreementStore.Search(supplierId: supplier, text: text.map { String($0.prefix(200)) })
        if let category {
            if UNSPSC.isCode(category) {
                search.category = category
            } else {
                issues.add("category", "must be an 8-digit UNSPSC code")
            }
        }
        if usable, let ownAgency { search.usableBy = (tenantID: ownAgency, on: LocalDate.today()) }
        let cursor = query.get("cursor").flatMap { Int64($0) }
        var page: [MasterAgreement] = []
        var next: Int64?
        if issues.isEmpty { (page, next) = try await agreements.list(limit: 50, after: cursor, search: search) }
        let (supplierList, _) = try await suppliers.list(limit: 200, after: nil, status: nil, nameContains: nil)
        let rows = page.map { agreement in
            [
                "id": DecisionView.id(agreement.id), "number": agreement.number, "title": agreement.title,
                "supplier": agreement.supplierName, "lead": agreement.leadAgencyName, "status": agreement.status.rawValue,
                "expires": agreement.expiresOn.description, "categories": agreement.categories.joined(separator: ", "),
            ] as [String: any Sendable]
        }
        var filters: [String] = []
        if let text { filters.append("q=\(Self.encode(text))") }
        if let category { filters.append("category=\(Self.encode(category))") }
        if let supplier { filters.append("supplierId=\(DecisionView.id(supplier))") }
        if usable { filters.append("usable=on") }
        var values: [String: any Sendable] = [
            "agreements": rows, "empty": rows.isEmpty, "agencyRole": ownAgency != nil, "usable": usable,
            "values": ["q": text ?? "", "category": category ?? ""], "errors": issues.templateValues,
            "suppliers": supplierList.map {
                ["id": DecisionView.id($0.id), "name": $0.name, "selected": $0.id == supplier] as [String: any Sendable]
            },
        ]
        if let next {
            values["next"] = "/console/agreements?" + (filters + ["cursor=\(next)"]).joined(separator: "&")
        }
        return renderer.response(
            ConsolePage("agreements", title: "Agreements", status: issues.isEmpty ? .ok : .unprocessableContent, values),
            session: context.session,
            path: request.uri.path
        )
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    // MARK: Detail and the purchase check

    @Sendable func detail(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try context.id()
        let agreement = try await agreements.get(id)
        return renderer.response(
            detailPage(agreement, context: context, values: ["purchaseDate": LocalDate.today().description]),
            session: context.session,
            path: request.uri.path
        )
    }

    /// Decides a purchase as the API does; the answer is the authorization's decision page.
    @Sendable func check(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = try context.require(.agencyBuyer, .agencyAdmin)
        let form = try await ConsoleForm.read(request)
        try form.requireCSRF(context.session)
        guard let agreementID = form["agreementId"].flatMap(UUID.init(uuidString:)) else { throw ConsolePageError.notFound }
        let agreement = try await agreements.get(agreementID)
        let typed = Dictionary(
            uniqueKeysWithValues: (Self.checkForm.fields.map(\.name) + ["justification"]).map { ($0, form[$0] ?? "") }
        )
        let refused = { (issues: FormIssues) in
            renderer.response(
                detailPage(agreement, context: context, values: typed, issues: issues),
                session: context.session,
                path: request.uri.path
            )
        }
        var body: NewAuthorization
        switch Self.checkForm.decode(NewAuthorization.self, from: form) {
        case .failure(let issues): return refused(issues)
        case .success(let decoded): body = decoded
        }
        if let justification = form["justification"] { body.evidence = EvidenceInput(justification: justification) }
        guard body.issues.isEmpty else { return refused(FormIssues(body.issues)) }
        // One key per rendering of the form: sending it twice records one decision.
        let key = form["_key"].flatMap { (1...200).contains($0.count) ? $0 : nil }
        do {
            let (record, _) = try await authorizations.request(body, by: principal, idempotencyKey: key)
            return SessionPages.redirect(to: "/console/authorizations/\(DecisionView.id(record.id))")
        } catch StoreError.conflict(let pointer, let detail), StoreError.invalid(let pointer, let detail) {
            return refused(FormIssues([FieldIssue(pointer: pointer, detail: detail)]))
        }
    }

    private func detailPage(
        _ agreement: MasterAgreement,
        context: SignedInContext,
        values: [String: String],
        issues: FormIssues = FormIssues()
    ) -> ConsolePage {
        var page: [String: any Sendable] = [
            "agreement": [
                "id": DecisionView.id(agreement.id), "number": agreement.number, "title": agreement.title,
                "supplier": agreement.supplierName, "lead": agreement.leadAgencyName, "status": agreement.status.rawValue,
                "effective": agreement.effectiveOn.description, "expires": agreement.expiresOn.description,
                "categories": agreement.categories.joined(separator: ", "),
                "ceiling": agreement.ceilingCents.map(DecisionView.dollars) ?? "none",
                "committed": DecisionView.dollars(agreement.committedCents),
                "states": agreement.eligibleStates.isEmpty
                    ? "any state" : agreement.eligibleStates.map(\.code).joined(separator: ", "),
                "entityTypes": agreement.eligibleEntityTypes.isEmpty
                    ? "any kind of agency" : agreement.eligibleEntityTypes.map(\.rawValue).joined(separator: ", "),
                "adminFee": String(format: "%.2f%%", Double(agreement.adminFeeBasisPoints) / 100),
                "renewals": Self.renewals(agreement), "termsVersion": String(agreement.termsVersion),
            ] as [String: any Sendable]
        ]
        let amendments = agreement.amendments ?? []
        if !amendments.isEmpty {
            page["hasAmendments"] = true
            page["amendments"] = amendments.map { amendment -> [String: any Sendable] in
                [
                    "seq": String(amendment.seq), "effectiveOn": amendment.effectiveOn.description,
                    "description": amendment.description, "rationale": amendment.rationale ?? "",
                ]
            }
        }
        if Self.checkingRoles.contains(context.principal.role) {
            page["check"] =
                [
                    "values": values, "errors": issues.templateValues, "key": UUID().uuidString.lowercased(),
                ] as [String: any Sendable]
        }
        if context.principal.role == .cooperativeAdmin {
            page["editLink"] = "/console/agreements/\(DecisionView.id(agreement.id))/edit"
        }
        if context.principal.tenantID != nil {
            page["authorizationsLink"] = "/console/authorizations?agreementId=\(DecisionView.id(agreement.id))"
        }
        return ConsolePage(
            "agreement",
            title: "Agreement \(agreement.number)",
            status: issues.isEmpty ? .ok : .unprocessableContent,
            page
        )
    }

    /// `1 year (exercised), 2 years (not exercised); at most until 2031-12-31`, or `none`.
    static func renewals(_ agreement: MasterAgreement) -> String {
        var text =
            agreement.renewalOptions.isEmpty
            ? "none"
            : agreement.renewalOptions.map { option in
                "\(option.years) year\(option.years == 1 ? "" : "s") (\(option.exercised ? "exercised" : "not exercised"))"
            }.joined(separator: ", ")
        if let last = agreement.maximumTermEndsOn { text += "; at most until \(last)" }
        return text
    }
}
