import CooperageCore
import CooperageStore
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import PostgresNIO

/// Turns every error into a problem+json response, so no client input ever yields an empty 500.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let problem = problem(for: error, request: request, context: context)
            return try problem.response(from: request, context: context)
        }
    }

    func problem(for error: any Error, request: Request, context: Context) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as StoreError:
            switch error {
            case .notFound(let what): return .notFound(what)
            case .conflict(let pointer, let detail): return .conflict(detail, pointer: pointer)
            case .invalid(let pointer, let detail): return .validation([FieldIssue(pointer: pointer, detail: detail)])
            }
        case let rejection as TokenStore.Rejection:
            switch rejection {
            case .invalid: return .unauthenticated
            case .tenantNotActive(let status): return .tenantNotActive(status)
            case .supplierNotActive(let status): return .supplierNotActive(status)
            case .roleNotAllowed(let role, let roles): return .roleNotAllowed(role, needs: roles)
            }
        case let rejection as UsageRejection:
            return .validation(rejection.reasons.map { FieldIssue(pointer: $0.pointer, detail: $0.detail) })
        case let error as HTTPParserError:
            // The connection ended inside the request (a client that left, an upload cut off for being too slow):
            // nothing was done, and no one is left to read this answer.
            context.logger.notice("request ended before its body did", metadata: ["error": "\(error)"])
            return .badRequest("The request ended before its body did; nothing was done.")
        case is NIOTooManyBytesError:
            return .payloadTooLarge(limit: context.maxUploadSize)
        case let error as HTTPError:
            switch error.status {
            case .notFound: return .routeNotFound(request.uri.path)
            case .methodNotAllowed: return .methodNotAllowed(request.method.rawValue, request.uri.path)
            case .contentTooLarge: return .payloadTooLarge(limit: context.maxUploadSize)
            case .unauthorized: return .unauthenticated
            default:
                if error.status.code < 500 {
                    return Problem(
                        kind: "http-\(error.status.code)",
                        title: error.status.reasonPhrase,
                        status: error.status,
                        detail: error.body ?? error.status.reasonPhrase
                    )
                }
            }
        case let error as ReplicaUnavailable:
            context.logger.debug("read replica unusable; answered 503", metadata: ["reason": "\(error.reason)"])
            return .replicaUnavailable(error.reason.summary)
        case let error as DatabaseUnavailable:
            // An outage is logged once by `Database` when a probe fails; each call it refuses is only a detail.
            context.logger.log(
                level: error.reason == .knownDown ? .debug : .warning,
                "database unavailable; answered 503",
                metadata: ["reason": "\(error.description)"]
            )
            return .unavailable
        case let error as PreparedStatementLost:
            // A configuration mistake (a transaction pooler with database.preparedStatements on): said once per request
            // in words that name the fix, and answered as the server's fault.
            context.logger.error("internal error: \(error.description)")
            return .internalError
        case let error as PSQLError:
            if let unavailable = DatabaseUnavailable(classifying: error) {
                context.logger.warning("database unavailable; answered 503", metadata: ["reason": "\(unavailable.description)"])
                return .unavailable
            }
            switch error.sqlState {
            case .uniqueViolation: return .conflict("This would duplicate an existing record.")
            case .insufficientPrivilege where Self.isRowLevelSecurityRefusal(error):
                // Row-level security refused a write: to the caller the target does not exist.
                context.logger.warning("row-level security refused a write", metadata: ["error": "\(String(reflecting: error))"])
                return .notFound("object")
            case .insufficientPrivilege:
                // Any other refusal (a trigger keeping usage, decisions or the audit trail append-only, a missing
                // privilege) means the server tried what it never should: a bug, not the caller's doing.
                context.logger.error(
                    "internal error: the database refused a change the server must never make",
                    metadata: ["error": "\(DatabaseFailure(error)?.description ?? String(reflecting: error))"]
                )
                return .internalError
            case let state? where state.raw.hasPrefix("22"):
                // A data exception (a number out of range, text PostgreSQL refuses): the request's values are checked
                // before they reach the database, so this is a gap in those checks, answered as the client's input.
                context.logger.warning(
                    "the database refused a value of the request",
                    metadata: ["error": "\(DatabaseFailure(error)?.description ?? String(reflecting: error))"]
                )
                return .validation([FieldIssue(pointer: "", detail: "a value is out of range or not storable as text")])
            case .queryCanceled:
                context.logger.error("statement timed out", metadata: ["error": "\(String(reflecting: error))"])
                return .unavailable
            default:
                break
            }
        default:
            break
        }
        context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
        return .internalError
    }

    /// "new row violates row-level security policy …" (SQLSTATE 42501 as well), told apart from other refusals
    /// by the routine that raises it, which no translation of the message changes.
    static func isRowLevelSecurityRefusal(_ error: PSQLError) -> Bool {
        error.serverInfo?[.routine] == "ExecWithCheckOptions"
            || error.serverInfo?[.message]?.hasPrefix("new row violates row-level security policy") == true
    }
}
