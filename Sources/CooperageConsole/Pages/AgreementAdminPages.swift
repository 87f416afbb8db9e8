import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/console/agreements/new` and `/console/agreements/{id}/edit`: the cooperative admin publishes and changes
/// Master Agreements (term, tiers, eligibility, ceiling), through the API's types and validation. The list and
/// the detail page at `/console/agreements` and `/console/agreements/{id}` are every role's (agreement search).
struct AgreementAdminPages {
    let agreements: AgreementStore
    let solicitations: SolicitationStore
    let renderer: ConsoleRenderer

    typealias Status = AuthorizationContext.AgreementStatus

    func register(signedIn: RouterGroup<SignedInContext>) {
        signedIn.get("agreements/new", use: newForm)
        signedIn.post("agreements", use: create)
        signedIn.get("agreements/{id}/edit", use: editForm)
        signedIn.post("agreements/{id}/edit", use: update)
    }

    /// The fields both forms share, as the API's members; entity types and price tiers are read apart (repeated
    /// check boxes and table rows).
    static let shared: [(name: String, kind: FormDecoder.Kind)] = [
        ("title", .text), ("categories", .list), ("nigpCodes", .list), ("effectiveOn", .text), ("expiresOn", .text),
        ("maximumTermEndsOn", .text), ("status", .text), ("ceilingCents", .dollars), ("eligibleStates", .list),
        ("complianceLetterOnFile", .bool), ("telecomAttestation200216", .bool), ("adminFeeBasisPoints", .integer),
    ]
    static let createFields = FormDecoder(
        fields: [("number", .text), ("leadTenantId", .text), ("solicitationId", .text), ("supplierId", .text)] + shared
    )
    static let editFields = FormDecoder(fields: shared)
    /// Rows of the price-tier table: the agreement's tiers and this many blank rows to add more.
    static let blankTierRows = 3

    @Sendable func newForm(_ request: Request, context: SignedInContext) async throws -> Response {
        try context.require(.cooperativeAdmin)
        var values = [
            "status": Status.active.rawValue, "adminFeeBasisPoints": "0", "complianceLetterOnFile": "on",
            "telecomAttestation200216": "on",
        ]
        // Reached from a solicitation's or a supplier's page, the form starts from it.
        let query = request.uri.queryParameters
        if let id = query.get("solicitationId").flatMap({ UUID(uuidString: String($0)) }) {
            let solicitation = try await solicitations.get(id)
            values["solicitationId"] = id.uuidString.lowercased()
            values["leadTenantId"] = solicitation.leadTenantId.uuidString.lowercased()
            values["title"] = solicitation.title
        }
        if let id = query.get("supplierId").flatMap({ UUID(uuidString: String($0)) }) {
            values["supplierId"] = id.uuidString.lowercased()
        }
        return renderer.response(
            formPage(nil, values: values, entityTypes: [], tiers: []),
            session: context.session,
            path: request.uri.path
        )
    }

    @Sendable func create(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = try context.require(.cooperativeAdmin)
        let form = try await ConsoleForm.read(request)
        try form.requireCSRF(context.session)
        let values = Self.createFields.typedValues(of: form)
        var issues = FormIssues()
        let types = Self.entityTypes(form, issues: &issues)
        let tiers = Self.tiers(form, issues: &issues)
        switch Self.createFields.decode(NewAgreement.self, from: form) {
        case .failure(let found):
            issues = Self.merged(issues, found)
        case .success(var draft):
            draft.eligibleEntityTypes = types
            draft.priceTiers = tiers.compactMap { $0.tier }
            if issues.isEmpty, draft.issues.isEmpty {
                do {
                    let agreement = try await agreements.create(draft, by: Actor(principal))
                    return SessionPages.redirect(to: "/console/agreements/\(agreement.id.uuidString.lowercased())")
                } catch StoreError.conflict(let pointer, let detail), StoreError.invalid(let pointer, let detail) {
                    issues.add(FieldIssue(pointer: pointer, detail: detail))
                }
            } else {
                issues = Self.merged(issues, FormIssues(draft.issues))
            }
        }
        return renderer.response(
            formPage(nil, values: values, entityTypes: types, tiers: tiers.map { $0.typed }, issues: issues),
            session: context.session,
            path: request.uri.path
        )
    }

    @Sendable func editForm(_ request: Request, context: SignedInContext) async throws -> Response {
        try context.require(.cooperativeAdmin)
        let agreement = try await agreement(in: context)
        return renderer.response(
            formPage(
                agreement,
                values: Self.values(of: agreement),
                entityTypes: agreement.eligibleEntityTypes,
                tiers: agreement.priceTiers.map { (Self.dollars($0.minVolumeCents), String($0.discountBasisPoints)) }
            ),
            session: context.session,
            path: request.uri.path
        )
    }

    @Sendable func update(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = try context.require(.cooperativeAdmin)
        let form = try await ConsoleForm.read(request)
        try form.requireCSRF(context.session)
        let agreement = try await agreement(in: context)
        let values = Self.editFields.typedValues(of: form)
        var issues = FormIssues()
        let types = Self.entityTypes(form, issues: &issues)
        let tiers = Self.tiers(form, issues: &issues)
        switch Self.editFields.decode(AgreementChanges.self, from: form) {
        case .failure(let found):
            issues = Self.merged(issues, found)
        case .success(var changes):
            // The form shows every field, so an emptied optional field clears it (JSON null in the API's patch),
            // and every list is replaced whole.
            if form["maximumTermEndsOn"] == nil { changes.maximumTermEndsOn = .some(nil) }
            if form["ceilingCents"] == nil { changes.ceilingCents = .some(nil) }
            if form["categories"] == nil { changes.categories = [] }
            if form["nigpCodes"] == nil { changes.nigpCodes = [] }
            if form["eligibleStates"] == nil { changes.eligibleStates = [] }
            changes.eligibleEntityTypes = types
            changes.priceTiers = tiers.compactMap { $0.tier }
            if issues.isEmpty, changes.issues.isEmpty {
                do {
                    _ = try await agreements.update(agreement.id, with: changes, by: Actor(principal))
                    return SessionPages.redirect(to: "/console/agreements/\(agreement.id.uuidString.lowercased())")
                } catch StoreError.conflict(let pointer, let detail), StoreError.invalid(let pointer, let detail) {
                    issues.add(FieldIssue(pointer: pointer, detail: detail))
                }
            } else {
                issues = Self.merged(issues, FormIssues(changes.issues))
            }
        }
        return renderer.response(
            formPage(agreement, values: values, entityTypes: types, tiers: tiers.map { $0.typed }, issues: issues),
            session: context.session,
            path: request.uri.path
        )
    }

    private func agreement(in context: SignedInContext) async throws -> MasterAgreement {
        let id = try context.id()
        return try await agreements.get(id)
    }

    // MARK: Reading the form

    /// The checked entity types (none checked: every type is eligible).
    static func entityTypes(_ form: ConsoleForm, issues: inout FormIssues) -> [EntityType] {
        var types: [EntityType] = []
        for text in form.all("eligibleEntityTypes") where !text.isEmpty {
            guard let type = EntityType(rawValue: text) else {
                issues.add("eligibleEntityTypes", "\"\(text)\" is not a kind of entity")
                continue
            }
            if !types.contains(type) { types.append(type) }
        }
        return types
    }

    /// The price-tier rows: each row's text as typed, and its tier when both cells are filled in and read.
    static func tiers(_ form: ConsoleForm, issues: inout FormIssues) -> [(typed: (String, String), tier: PriceTier?)] {
        let volumes = form.all("tierMinVolume")
        let discounts = form.all("tierDiscount")
        var rows: [(typed: (String, String), tier: PriceTier?)] = []
        for index in 0..<max(volumes.count, discounts.count) {
            let volume = (index < volumes.count ? volumes[index] : "").trimmingCharacters(in: .whitespaces)
            let discount = (index < discounts.count ? discounts[index] : "").trimmingCharacters(in: .whitespaces)
            if volume.isEmpty, discount.isEmpty { continue }
            let row = rows.count + 1
            guard let cents = FormDecoder.cents(volume) else {
                issues.add("priceTiers", "row \(row): the minimum volume must be an amount in dollars, such as 250000")
                rows.append(((volume, discount), nil))
                continue
            }
            guard let points = Int(discount) else {
                issues.add("priceTiers", "row \(row): the discount must be a whole number of basis points, such as 250")
                rows.append(((volume, discount), nil))
                continue
            }
            rows.append(((volume, discount), PriceTier(minVolumeCents: cents, discountBasisPoints: points)))
        }
        return rows
    }

    /// Issues of both kinds, the validation's tier pointers (`/priceTiers/1/...`) shown at the tier table.
    static func merged(_ first: FormIssues, _ second: FormIssues) -> FormIssues {
        var merged = first
        for (field, details) in second.byField { for detail in details { merged.add(field, detail) } }
        for detail in second.general { merged.add("", detail) }
        return merged
    }

    // MARK: Showing the form

    static func dollars(_ cents: Int) -> String {
        MoneyFormatter.dollars(cents: cents).replacingOccurrences(of: "$", with: "")
    }

    static func values(of agreement: MasterAgreement) -> [String: String] {
        var values = [
            "title": agreement.title, "categories": agreement.categories.joined(separator: "\n"),
            "nigpCodes": agreement.nigpCodes.joined(separator: "\n"), "effectiveOn": agreement.effectiveOn.description,
            "expiresOn": agreement.expiresOn.description, "maximumTermEndsOn": agreement.maximumTermEndsOn?.description ?? "",
            "status": agreement.status.rawValue, "ceilingCents": agreement.ceilingCents.map(dollars) ?? "",
            "eligibleStates": agreement.eligibleStates.map(\.code).joined(separator: ", "),
            "adminFeeBasisPoints": String(agreement.adminFeeBasisPoints),
        ]
        if agreement.complianceLetterOnFile { values["complianceLetterOnFile"] = "on" }
        if agreement.telecomAttestation200216 { values["telecomAttestation200216"] = "on" }
        return values
    }

    private func formPage(
        _ agreement: MasterAgreement?,
        values: [String: String],
        entityTypes: [EntityType],
        tiers: [(String, String)],
        issues: FormIssues = FormIssues()
    ) -> ConsolePage {
        let rows = tiers + Array(repeating: ("", ""), count: Self.blankTierRows)
        var page: [String: any Sendable] = [
            "values": values, "errors": issues.templateValues, "isNew": agreement == nil,
            "statuses": ConsoleChoices.of(Status.self, selected: values["status"]),
            "entityTypes": EntityType.allCases.map { type in
                ["value": type.rawValue, "checked": entityTypes.contains(type)] as [String: any Sendable]
            },
            "tiers": rows.enumerated().map { index, row in
                ["row": index + 1, "minVolume": row.0, "discount": row.1] as [String: any Sendable]
            },
        ]
        if let agreement {
            page["agreement"] =
                [
                    "id": agreement.id.uuidString.lowercased(), "number": agreement.number, "supplier": agreement.supplierName,
                    "lead": agreement.leadAgencyName, "committed": MoneyFormatter.dollars(cents: agreement.committedCents),
                ] as [String: any Sendable]
            page["action"] = "/console/agreements/\(agreement.id.uuidString.lowercased())/edit"
        } else {
            page["action"] = "/console/agreements"
        }
        return ConsolePage(
            "agreement-form",
            title: agreement.map { "Edit Master Agreement \($0.number)" } ?? "New Master Agreement",
            status: issues.isEmpty ? .ok : .unprocessableContent,
            page
        )
    }
}
