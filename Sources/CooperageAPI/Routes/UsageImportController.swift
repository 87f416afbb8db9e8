import CooperageCore
import CooperageStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `/v1/usage/imports`: a whole CSV file of purchase orders, imported all or nothing and once per file.
struct UsageImportController {
    let imports: UsageImportStore
    let slots: ImportSlots

    /// CSV files may be far larger than JSON bodies.
    static let maximumFileSize = 64 * 1024 * 1024

    func register(on routes: APIRoutes) {
        routes.agency.post("usage/imports", use: create)
        routes.authenticated.get("usage/imports/{id}", use: get)
    }

    @Sendable func create(_ request: Request, context: AgencyRequestContext) async throws -> EditedResponse<UsageImport> {
        let principal = try context.require(.agencyBuyer, .agencyAdmin)
        let tenantID = context.tenantID
        guard request.mediaType == "text/csv" else {
            throw Problem.unsupportedMediaType("text/csv (a header row, then one row per order line)")
        }
        let fileName = try Self.fileName(request)
        // Taken before the body is read: the slot bounds the memory of files being read, not of answers.
        guard slots.tryAcquire() else { throw Problem.importsBusy(limit: slots.limit) }
        defer { slots.release() }
        // The file's bytes are copied out of the body, which is not kept (`request.collectBody` would keep it on
        // the request), so a file is held once while it is read.
        let bytes: [UInt8]
        do {
            var body = try await request.body.collect(upTo: Self.maximumFileSize)
            bytes = body.readBytes(length: body.readableBytes) ?? []
        } catch is NIOTooManyBytesError {
            throw Problem.payloadTooLarge(limit: Self.maximumFileSize)
        }
        let (record, created): (UsageImport, Bool)
        do {
            (record, created) = try await imports.importCSV(
                bytes,
                fileName: fileName,
                tenantID: tenantID,
                by: Actor(principal)
            )
        } catch let failure as UsageCSV.Failure {
            throw Self.problem(failure)
        }
        var headers: HTTPFields = [.location: "/v1/usage/imports/\(record.id.uuidString.lowercased())"]
        if !created { headers[.idempotentReplayed] = "true" }
        return EditedResponse(status: created ? .created : .ok, headers: headers, response: record)
    }

    @Sendable func get(_ request: Request, context: AuthenticatedRequestContext) async throws -> UsageImport {
        let id = try context.parameters.uuid("id")
        return try await imports.get(id, tenantID: try context.requiredAgency(namedIn: request))
    }

    /// The optional `?fileName=`, recorded with the import.
    static func fileName(_ request: Request) throws -> String? {
        guard let text = request.uri.queryParameters.get("fileName") else { return nil }
        let name = String(text)
        guard (1...255).contains(name.count), !name.contains(where: { $0.isNewline }) else {
            throw Problem.badRequest("The query parameter `fileName` must be 1 to 255 characters on one line.")
        }
        return name
    }

    /// Every bad row of a refused file; nothing of it was imported.
    static func problem(_ failure: UsageCSV.Failure) -> Problem {
        let lines = Array(Set(failure.issues.map(\.line))).sorted()
        let shown = lines.prefix(20).map(String.init).joined(separator: ", ") + (lines.count > 20 ? ", ..." : "")
        return Problem.validation(
            failure.issues.map(\.fieldIssue),
            detail:
                "Nothing was imported: \(failure.issues.count) problem\(failure.issues.count == 1 ? "" : "s") on line\(lines.count == 1 ? "" : "s") \(shown). Each is listed in `errors`."
        )
    }
}

extension UsageImport: ResponseEncodable {}
