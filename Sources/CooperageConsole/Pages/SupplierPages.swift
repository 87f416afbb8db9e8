import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/console/suppliers`: the cooperative's suppliers. Every signed-in role may read them, as in the API; the
/// cooperative admin adds them and changes their status (suspended or debarred suppliers cannot be bought from).
struct SupplierPages {
    let suppliers: SupplierStore
    let agreements: AgreementStore
    let renderer: ConsoleRenderer

    typealias Status = AuthorizationContext.SupplierStatus

    func register(signedIn: RouterGroup<SignedInContext>) {
        signedIn.get("suppliers", use: list)
        signedIn.get("suppliers/new", use: newForm)
        signedIn.post("suppliers", use: create)
        signedIn.get("suppliers/{id}", use: detail)
        signedIn.post("suppliers/{id}/status", use: changeStatus)
    }

    static let form = FormDecoder(fields: [
        ("name", .text), ("status", .text), ("statusEffectiveOn", .text), ("statusReason", .text),
    ])
    static let statusForm = FormDecoder(fields: [("status", .text), ("statusEffectiveOn", .text), ("statusReason", .text)])

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        let status = Status(rawValue: request.uri.queryParameters.get("status") ?? "")
        let text = request.uri.queryParameters.get("q").flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }
        let cursor = request.uri.queryParameters.get("cursor").flatMap { Int64($0) }
        let (page, next) = try await suppliers.list(limit: 50, after: cursor, status: status, nameContains: text)
        let rows = page.map { supplier in
            [
                "id": supplier.id.uuidString.lowercased(), "name": supplier.name, "status": supplier.status.rawValue,
                "statusEffectiveOn": supplier.statusEffectiveOn?.description ?? "",
                "samUei": supplier.identifiers.samUei ?? "",
            ] as [String: any Sendable]
        }
        var values: [String: any Sendable] = [
            "suppliers": rows, "empty": rows.isEmpty, "q": text ?? "",
            "canCreate": context.principal.role == .cooperativeAdmin,
            "statuses": ConsoleChoices.of(Status.self, selected: status?.rawValue),
        ]
        if let next {
            var query = ["cursor=\(next)"]
            if let status { query.append("status=\(status.rawValue)") }
            if let text, let encoded = text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) {
                query.append("q=\(encoded)")
            }
            values["next"] = "/console/suppliers?" + query.joined(separator: "&")
        }
        return renderer.response(
            ConsolePage("suppliers", title: "Suppliers", values),
            session: context.session,
            path: request.uri.path
        )
    }

    @Sendable func newForm(_ request: Request, context: SignedInContext) async throws -> Response {
        try context.require(.cooperativeAdmin)
        return renderer.response(
            formPage(values: ["status": Status.active.rawValue]),
            session: context.session,
            path: request.uri.path
        )
    }

    @Sendable func create(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = try context.require(.cooperativeAdmin)
        let form = try await ConsoleForm.read(request)
        try form.requireCSRF(context.session)
        var typed = Self.form.typedValues(of: form)
        typed["ein"] = form["ein"] ?? ""
        typed["samUei"] = form["samUei"] ?? ""
        let issues: FormIssues
        switch Self.form.decode(NewSupplier.self, from: form) {
        case .failure(let found): issues = found
        case .success(var draft):
            // The identifiers are a nested member of the API's body; the form has them as two plain fields.
            if form["ein"] != nil || form["samUei"] != nil {
                draft.identifiers = SupplierIdentifiers(ein: form["ein"], samUei: form["samUei"])
            }
            guard draft.issues.isEmpty else {
                issues = Self.flattened(draft.issues)
                break
            }
            do {
                let supplier = try await suppliers.create(draft, by: Actor(principal))
                return SessionPages.redirect(to: "/console/suppliers/\(supplier.id.uuidString.lowercased())")
            } catch StoreError.conflict(let pointer, let detail), StoreError.invalid(let pointer, let detail) {
                issues = FormIssues([FieldIssue(pointer: pointer, detail: detail)])
            }
        }
        return renderer.response(formPage(values: typed, issues: issues), session: context.session, path: request.uri.path)
    }

    /// Issues on `/identifiers/ein` belong next to the `ein` input, not to a field called `identifiers`.
    static func flattened(_ found: [FieldIssue]) -> FormIssues {
        FormIssues(
            found.map { issue in
                FieldIssue(pointer: issue.pointer.replacingOccurrences(of: "/identifiers/", with: "/"), detail: issue.detail)
            }
        )
    }

    private func formPage(values: [String: String], issues: FormIssues = FormIssues()) -> ConsolePage {
        ConsolePage(
            "supplier-new",
            title: "New supplier",
            status: issues.isEmpty ? .ok : .unprocessableContent,
            [
                "values": values, "errors": issues.templateValues,
                "statuses": ConsoleChoices.of(Status.self, selected: values["status"]),
            ]
        )
    }

    @Sendable func detail(_ request: Request, context: SignedInContext) async throws -> Response {
        let supplier = try await supplier(in: context)
        return try await detailResponse(supplier, request: request, context: context)
    }

    @Sendable func changeStatus(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = try context.require(.cooperativeAdmin)
        let form = try await ConsoleForm.read(request)
        try form.requireCSRF(context.session)
        let supplier = try await supplier(in: context)
        let typed = Self.statusForm.typedValues(of: form)
        let issues: FormIssues
        switch Self.statusForm.decode(SupplierChanges.self, from: form) {
        case .failure(let found): issues = found
        case .success(let changes):
            guard changes.issues.isEmpty else {
                issues = FormIssues(changes.issues)
                break
            }
            _ = try await suppliers.update(supplier.id, with: changes, by: Actor(principal))
            return SessionPages.redirect(to: "/console/suppliers/\(supplier.id.uuidString.lowercased())")
        }
        return try await detailResponse(supplier, request: request, context: context, values: typed, issues: issues)
    }

    private func supplier(in context: SignedInContext) async throws -> Supplier {
        let id = try context.id()
        return try await suppliers.get(id)
    }

    private func detailResponse(
        _ supplier: Supplier,
        request: Request,
        context: SignedInContext,
        values: [String: String] = [:],
        issues: FormIssues = FormIssues()
    ) async throws -> Response {
        let (awarded, more) = try await agreements.list(limit: 100, after: nil, search: .init(supplierId: supplier.id))
        let chosen = values["status"] ?? supplier.status.rawValue
        return renderer.response(
            ConsolePage(
                "supplier",
                title: supplier.name,
                status: issues.isEmpty ? .ok : .unprocessableContent,
                [
                    "supplier": [
                        "id": supplier.id.uuidString.lowercased(), "name": supplier.name, "status": supplier.status.rawValue,
                        "statusEffectiveOn": supplier.statusEffectiveOn?.description ?? "",
                        "statusReason": supplier.statusReason ?? "", "ein": supplier.identifiers.ein ?? "",
                        "samUei": supplier.identifiers.samUei ?? "",
                        "hasCertifications": !supplier.diversityCertifications.isEmpty,
                        "certifications": supplier.diversityCertifications.map { certification in
                            [
                                "kind": certification.kind, "certifier": certification.certifier ?? "",
                                "expiresOn": certification.expiresOn?.description ?? "",
                            ] as [String: any Sendable]
                        },
                    ] as [String: any Sendable],
                    "agreements": awarded.map(Self.agreementRow), "noAgreements": awarded.isEmpty, "moreAgreements": more != nil,
                    "canChange": context.principal.role == .cooperativeAdmin,
                    "values": values, "errors": issues.templateValues,
                    "statuses": ConsoleChoices.of(Status.self, selected: chosen),
                ]
            ),
            session: context.session,
            path: request.uri.path
        )
    }

    static func agreementRow(_ agreement: MasterAgreement) -> [String: any Sendable] {
        [
            "id": agreement.id.uuidString.lowercased(), "number": agreement.number, "title": agreement.title,
            "status": agreement.status.rawValue, "expiresOn": agreement.expiresOn.description,
        ]
    }
}
