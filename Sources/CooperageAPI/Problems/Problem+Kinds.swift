import CooperageCore
import Hummingbird

/// The catalogue of problem kinds; the `type` URIs are part of the API contract.
extension Problem {
    public static func validation(_ issues: [FieldIssue], detail: String? = nil) -> Problem {
        Problem(
            kind: "validation-failed",
            title: "The request is not valid",
            status: .unprocessableContent,
            detail: detail ?? issues.map { "\($0.pointer.isEmpty ? "body" : $0.pointer): \($0.detail)" }.joined(separator: "; "),
            errors: issues
        )
    }

    public static func malformedJSON(_ detail: String) -> Problem {
        Problem(kind: "malformed-json", title: "The body is not valid JSON", status: .badRequest, detail: detail)
    }

    public static func badRequest(_ detail: String, pointer: String? = nil) -> Problem {
        Problem(
            kind: "bad-request",
            title: "Bad request",
            status: .badRequest,
            detail: detail,
            errors: pointer.map { [FieldIssue(pointer: $0, detail: detail)] }
        )
    }

    public static func notFound(_ what: String) -> Problem {
        Problem(
            kind: "not-found",
            title: "Not found",
            status: .notFound,
            detail: "No \(what) with this identifier is visible to you."
        )
    }

    public static let unauthenticated = Problem(
        kind: "unauthenticated",
        title: "Authentication required",
        status: .unauthorized,
        detail: "Send a valid API token as `Authorization: Bearer <token>`; the token may be unknown, expired or revoked."
    )

    public static func forbidden(_ detail: String) -> Problem {
        Problem(kind: "forbidden", title: "Not allowed", status: .forbidden, detail: detail)
    }

    /// A token whose role may not do what it asked.
    public static func roleNotAllowed(_ role: Role, needs roles: [Role]) -> Problem {
        forbidden(
            "This action needs one of the roles \(roles.map(\.rawValue).joined(separator: ", ")); your token has \(role.rawValue)."
        )
    }

    public static func tenantNotActive(_ status: TenantStatus) -> Problem {
        Problem(
            kind: "tenant-not-active",
            title: "The agency is not active",
            status: .forbidden,
            detail: "This token's agency is \(status.rawValue); its credentials work again once the cooperative reactivates it."
        )
    }

    public static func supplierNotActive(_ status: AuthorizationContext.SupplierStatus) -> Problem {
        Problem(
            kind: "supplier-not-active",
            title: "The supplier is not active",
            status: .forbidden,
            detail:
                "This token's supplier is \(status.rawValue); its credentials work again once the cooperative makes it active."
        )
    }

    /// A supplier token on a route that is not one of the supplier's own.
    public static let supplierTokenNotAllowed = forbidden(
        "A supplier-reporter token reaches only the supplier's own routes: GET /v1/me, GET /v1/supplier/agreements, "
            + "GET /v1/supplier-usage and /v1/supplier-reports."
    )

    public static func conflict(_ detail: String, pointer: String? = nil) -> Problem {
        Problem(
            kind: "conflict",
            title: "Conflict with the current state",
            status: .conflict,
            detail: detail,
            errors: pointer.map { [FieldIssue(pointer: $0, detail: detail)] }
        )
    }

    public static func payloadTooLarge(limit: Int) -> Problem {
        Problem(
            kind: "payload-too-large",
            title: "The body is too large",
            status: .contentTooLarge,
            detail: "Request bodies are limited to \(limit) bytes."
        )
    }

    public static func unsupportedMediaType(_ expected: String) -> Problem {
        Problem(
            kind: "unsupported-media-type",
            title: "Unsupported media type",
            status: .unsupportedMediaType,
            detail: "Send the body as \(expected)."
        )
    }

    public static func routeNotFound(_ path: String) -> Problem {
        Problem(kind: "not-found", title: "Not found", status: .notFound, detail: "There is no resource at \(path).")
    }

    public static func methodNotAllowed(_ method: String, _ path: String) -> Problem {
        Problem(
            kind: "method-not-allowed",
            title: "Method not allowed",
            status: .methodNotAllowed,
            detail: "\(method) is not supported on \(path)."
        )
    }

    public static func importsBusy(limit: Int) -> Problem {
        Problem(
            kind: "imports-busy",
            title: "Too many imports at once",
            status: .serviceUnavailable,
            detail:
                "This server reads at most \(limit) usage file\(limit == 1 ? "" : "s") at once and is reading \(limit == 1 ? "one" : "that many") now; nothing of this file was read or imported. Send it again after the seconds in Retry-After.",
            retryAfterSeconds: 5
        )
    }

    /// Seconds in `Retry-After` when the database cannot serve: a supervised embedded cluster is back within a few.
    public static let unavailableRetryAfterSeconds = 3

    public static let unavailable = Problem(
        kind: "unavailable",
        title: "Service unavailable",
        status: .serviceUnavailable,
        detail: "The database is not reachable or not migrated yet; try again after the seconds in Retry-After.",
        retryAfterSeconds: unavailableRetryAfterSeconds
    )

    public static let internalError = Problem(
        kind: "internal",
        title: "Internal error",
        status: .internalServerError,
        detail: "Something failed on the server; it has been logged. Retrying may help."
    )
}
