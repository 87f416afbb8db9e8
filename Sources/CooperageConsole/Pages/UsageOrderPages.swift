import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/console/usage/new`: one purchase order, a table of lines, under an approved authorization. Registered by the
/// same statement as `POST /v1/usage`, which checks the session (standing for its token) where it writes, so the
/// order is checked, counted and audited exactly as through the API.
struct UsageOrderPages {
    let usage: UsageStore
    let renderer: ConsoleRenderer

    /// Rows of the lines table; blank rows are ignored.
    static let lineRows = 5
    static let roles: [Role] = [.agencyBuyer, .agencyAdmin]

    func register(signedIn: RouterGroup<SignedInContext>) {
        signedIn.get("usage/new", use: form)
        signedIn.post("usage", use: create)
    }

    @Sendable func form(_ request: Request, context: SignedInContext) async throws -> Response {
        _ = try context.agency(.agencyBuyer, .agencyAdmin)
        let values: [String: String] = [
            "authorizationId": request.uri.queryParameters.get("authorizationId").map { String($0) } ?? "",
            "orderDate": LocalDate.today().description,
        ]
        return renderer.response(page(values, lines: []), session: context.session, path: request.uri.path)
    }

    @Sendable func create(_ request: Request, context: SignedInContext) async throws -> Response {
        _ = try context.agency(.agencyBuyer, .agencyAdmin)
        let form = try await ConsoleForm.read(request)
        try form.requireCSRF(context.session)
        let typed = ["authorizationId", "poNumber", "orderDate", "key"].reduce(into: [String: String]()) {
            $0[$1] = form[$1] ?? ""
        }
        let lines = Self.lines(of: form)
        var issues = FormIssues()
        let order = Self.order(form, lines: lines, issues: &issues)
        guard let order, issues.isEmpty else {
            return renderer.response(page(typed, lines: lines, issues: issues), session: context.session, path: request.uri.path)
        }
        // The key is made when the form is shown: sending the same form twice registers one order.
        let key = form["key"] ?? UUID().uuidString
        do {
            let (record, _) = try await usage.register(
                order,
                presenting: .consoleSession(context.session),
                roles: Self.roles,
                idempotencyKey: "console-\(key)"
            )
            return SessionPages.redirect(to: "/console/usage/\(DecisionView.id(record.id))")
        } catch let rejection as UsageRejection {
            var refused = FormIssues()
            for reason in rejection.reasons { refused.add(FieldIssue(pointer: reason.pointer, detail: reason.detail)) }
            return renderer.response(page(typed, lines: lines, issues: refused), session: context.session, path: request.uri.path)
        } catch StoreError.conflict(let pointer, let detail) {
            return renderer.response(
                page(typed, lines: lines, issues: FormIssues([FieldIssue(pointer: pointer, detail: detail)])),
                session: context.session,
                path: request.uri.path
            )
        }
    }

    /// One row of the lines table as typed.
    struct Line: Sendable {
        var description: String
        var unspsc: String
        var quantity: String
        var unitPrice: String

        var isBlank: Bool { [description, unspsc, quantity, unitPrice].allSatisfy(\.isEmpty) }
    }

    static func lines(of form: ConsoleForm) -> [Line] {
        let columns = ["lineDescription", "lineUnspsc", "lineQuantity", "lineUnitPrice"].map { name in
            form.all(name).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        let count = columns.map(\.count).max() ?? 0
        return (0..<count).map { index in
            let cell = { (column: Int) in columns[column].indices.contains(index) ? columns[column][index] : "" }
            return Line(description: cell(0), unspsc: cell(1), quantity: cell(2), unitPrice: cell(3))
        }.filter { !$0.isBlank }
    }

    /// The order the form describes, in the API's own type and checked by its own `issues`; its amount is the
    /// lines' total (the form shows the total rather than asking for it twice).
    static func order(_ form: ConsoleForm, lines: [Line], issues: inout FormIssues) -> NewUsage? {
        guard let authorization = form["authorizationId"].flatMap(UUID.init(uuidString:)) else {
            issues.add("authorizationId", "must be the id of an approved authorization")
            return nil
        }
        guard let date = form["orderDate"].flatMap(LocalDate.init(iso8601:)) else {
            issues.add("orderDate", "must be a date written yyyy-MM-dd")
            return nil
        }
        var usageLines: [UsageLine] = []
        for (index, line) in lines.enumerated() {
            guard let quantity = Quantity(line.quantity) else {
                issues.add("lines", "line \(index + 1): the quantity must be a number with at most 4 decimals")
                continue
            }
            guard let cents = FormDecoder.cents(line.unitPrice) else {
                issues.add("lines", "line \(index + 1): the unit price must be an amount in dollars, such as 12.50")
                continue
            }
            usageLines.append(
                UsageLine(description: line.description, unspsc: line.unspsc, quantity: quantity, unitPriceCents: cents)
            )
        }
        guard issues.isEmpty else { return nil }
        var order = NewUsage(
            authorizationId: authorization,
            poNumber: form["poNumber"] ?? "",
            orderDate: date,
            amountCents: 0,
            lines: usageLines
        )
        // Past the limit the total is nil, and `issues` says so.
        order.amountCents = order.linesTotalCents ?? 0
        for issue in order.issues { issues.add(issue) }
        return issues.isEmpty ? order : nil
    }

    private func page(_ values: [String: String], lines: [Line], issues: FormIssues = FormIssues()) -> ConsolePage {
        var values = values
        if values["key"]?.isEmpty ?? true { values["key"] = UUID().uuidString }
        let rows = (0..<max(Self.lineRows, lines.count)).map { index in
            let line =
                lines.indices.contains(index) ? lines[index] : Line(description: "", unspsc: "", quantity: "", unitPrice: "")
            return [
                "number": index + 1, "description": line.description, "unspsc": line.unspsc, "quantity": line.quantity,
                "unitPrice": line.unitPrice,
            ] as [String: any Sendable]
        }
        return ConsolePage(
            "usage-new",
            title: "Register a purchase order",
            status: issues.isEmpty ? .ok : .unprocessableContent,
            ["values": values, "lines": rows, "errors": issues.templateValues]
        )
    }
}
