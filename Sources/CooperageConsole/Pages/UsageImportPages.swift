import CooperageAPI
import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/console/usage/imports`: a CSV file of purchase orders uploaded from a form (`multipart/form-data`) and
/// imported all or nothing by the same store as `POST /v1/usage/imports`; a refused file's every bad line is
/// named. A small script (`upload.js`) shows the upload's progress; the form works without it.
struct UsageImportPages {
    let imports: UsageImportStore
    let renderer: ConsoleRenderer
    /// The console's own bound on files read at once (the API's slots belong to the API's routes).
    let slots: ImportSlots
    let script: ByteBuffer

    init(imports: UsageImportStore, renderer: ConsoleRenderer, script: ByteBuffer, slots: ImportSlots = ImportSlots(limit: 1)) {
        self.imports = imports
        self.renderer = renderer
        self.script = script
        self.slots = slots
    }

    /// The progress script (`Assets/upload.js`), read once when the console starts.
    static func script() throws -> ByteBuffer {
        guard let url = Bundle.module.url(forResource: "upload", withExtension: "js", subdirectory: "Assets") else {
            throw ConsoleSetupError("The console's upload script is missing from this build's resources.")
        }
        return ByteBuffer(bytes: try Data(contentsOf: url))
    }

    /// As in the API; the form's other fields add a little.
    static let maximumSize = 64 * 1024 * 1024 + 64 * 1024

    func register(visitor: RouterGroup<CooperageRequestContext>, signedIn: RouterGroup<SignedInContext>) {
        visitor.get("assets/upload.js") { [script] _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: script)
            )
        }
        signedIn.get("usage/imports/new", use: newForm)
        signedIn.post("usage/imports", use: upload)
        signedIn.get("usage/imports/{id}", use: detail)
    }

    @Sendable func newForm(_ request: Request, context: SignedInContext) async throws -> Response {
        _ = try context.agency(.agencyBuyer, .agencyAdmin)
        return renderer.response(formPage(), session: context.session, path: request.uri.path)
    }

    @Sendable func upload(_ request: Request, context: SignedInContext) async throws -> Response {
        let tenantID = try context.agency(.agencyBuyer, .agencyAdmin)
        // Taken before the body is read, as the API does: the slot bounds the memory of files being read.
        guard slots.tryAcquire() else { throw Problem.importsBusy(limit: slots.limit) }
        defer { slots.release() }
        let form = try await MultipartForm.read(request, limit: Self.maximumSize)
        try form.requireCSRF(context.session)
        guard let file = form.files["file"], !file.bytes.isEmpty else {
            return renderer.response(
                formPage(message: "Choose a CSV file to upload."),
                session: context.session,
                path: request.uri.path
            )
        }
        let fileName = file.fileName.map { String($0.prefix(255)) }.flatMap { $0.contains(where: \.isNewline) ? nil : $0 }
        do {
            let (record, _) = try await imports.importCSV(
                file.bytes,
                fileName: fileName,
                tenantID: tenantID,
                by: Actor(context.principal)
            )
            return SessionPages.redirect(to: "/console/usage/imports/\(DecisionView.id(record.id))")
        } catch let failure as UsageCSV.Failure {
            let lines = Set(failure.issues.map(\.line)).count
            return renderer.response(
                formPage(
                    message:
                        "Nothing was imported: \(failure.issues.count) problem\(failure.issues.count == 1 ? "" : "s") on \(lines) line\(lines == 1 ? "" : "s"). Correct them and upload the whole file again.",
                    issues: failure.issues
                ),
                session: context.session,
                path: request.uri.path
            )
        }
    }

    @Sendable func detail(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try context.id()
        let scope = try context.agencyScope(of: request)
        let record = try await imports.get(id, tenantID: scope.tenantID)
        return renderer.response(
            ConsolePage(
                "usage-import",
                title: "Import of \(record.fileName ?? "a CSV file")",
                [
                    "import": [
                        "fileName": record.fileName ?? "(no name)", "orders": record.orderCount, "lines": record.lineCount,
                        "total": DecisionView.dollars(record.totalCents), "digest": record.fileDigest,
                        "recorded": DecisionView.timestamp(record.createdAt),
                    ] as [String: any Sendable],
                    "scope": scope.query(first: true),
                ]
            ),
            session: context.session,
            path: request.uri.path
        )
    }

    private func formPage(message: String? = nil, issues: [UsageCSV.Issue] = []) -> ConsolePage {
        ConsolePage(
            "usage-import-new",
            title: "Upload purchase orders",
            status: message == nil ? .ok : .unprocessableContent,
            [
                "message": DecisionView.shown(message),
                "issues": issues.map { issue in
                    ["line": issue.line, "column": issue.column ?? "the whole line", "reason": issue.reason]
                        as [String: any Sendable]
                },
            ]
        )
    }
}
