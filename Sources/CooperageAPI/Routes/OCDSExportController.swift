import CooperageCore
import CooperageStore
import Foundation
import HTTPTypes
import Hummingbird

/// `/v1/exports/ocds`: Open Contracting Data Standard 1.1 release packages of a Master Agreement (the
/// framework agreement) and of one purchase (a call-off, its own process linked to the agreement).
struct OCDSExportController {
    let agreements: AgreementStore
    let solicitations: SolicitationStore
    let suppliers: SupplierStore
    let tenants: TenantStore
    let authorizations: AuthorizationStore
    let usage: UsageStore
    let configuration: OCDSConfiguration
    /// From ``ServerSettings``: see ``baseURI(of:context:)``.
    let publicBaseURL: String?
    let trustedProxies: Set<String>

    init(stores: Stores, configuration: OCDSConfiguration = OCDSConfiguration(), settings: ServerSettings) {
        agreements = stores.agreements
        solicitations = stores.solicitations
        suppliers = stores.suppliers
        tenants = stores.tenants
        authorizations = stores.authorizations
        usage = stores.usage
        self.configuration = configuration
        publicBaseURL = settings.publicBaseURL
        trustedProxies = Set(settings.trustedProxies)
    }

    func register(on routes: APIRoutes) {
        routes.authenticated.get("exports/ocds/agreements/{id}", use: agreement)
        routes.authenticated.get("exports/ocds/usage/{id}", use: purchase)
    }

    /// Any authenticated role: agreements are published to every agency.
    @Sendable func agreement(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        let agreement = try await agreements.get(id)
        async let solicitation = solicitations.get(agreement.solicitationId)
        async let supplier = suppliers.get(agreement.supplierId)
        async let lead = tenants.get(agreement.leadTenantId)
        let package = OCDSExporter.agreementPackage(
            agreement: agreement,
            solicitation: try await solicitation,
            supplier: try await supplier,
            lead: try await lead,
            publishedAt: Date(),
            baseURI: baseURI(of: request, context: context),
            configuration: configuration
        )
        return try Self.response(package)
    }

    /// The owning agency's roles; cooperative roles name the agency with `?tenantId=`. Another agency's
    /// purchase is a 404. A reversal's id exports the order it corrects.
    @Sendable func purchase(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        let tenantID = try context.requiredAgency(namedIn: request)
        var order = try await usage.get(id, tenantID: tenantID)
        if order.kind == .reversal, let original = order.reversesId {
            order = try await usage.get(original, tenantID: tenantID)
        }
        async let authorization = authorizations.get(order.authorizationId, tenantID: tenantID)
        async let agreement = agreements.get(order.agreementId)
        async let supplier = suppliers.get(order.supplierId)
        async let buyer = tenants.get(tenantID)
        async let reversals = reversals(of: order, tenantID: tenantID)
        let package = OCDSExporter.purchasePackage(
            usage: order,
            authorization: try await authorization,
            agreement: try await agreement,
            supplier: try await supplier,
            buyer: try await buyer,
            reversals: try await reversals,
            publishedAt: Date(),
            baseURI: baseURI(of: request, context: context),
            configuration: configuration
        )
        return try Self.response(package)
    }

    /// Reversals share the order's agreement and PO number; the few rows under that PO are read page by page.
    private func reversals(of order: UsageRecord, tenantID: UUID) async throws -> [UsageRecord] {
        var found: [UsageRecord] = []
        var cursor: Int64?
        repeat {
            let (page, next) = try await usage.list(
                tenantID: tenantID,
                limit: 500,
                before: cursor,
                agreementID: order.agreementId,
                from: nil,
                to: nil,
                poNumber: order.poNumber
            )
            found += page.filter { $0.kind == .reversal && $0.reversesId == order.id }
            cursor = next
        } while cursor != nil
        return found
    }

    private static func response(_ package: OCDS.ReleasePackage) throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try OCDSExporter.encode(package)))
        )
    }

    /// The origin written into exports: the configured public base URL; else the origin the client used, where
    /// `X-Forwarded-Proto`/`X-Forwarded-Host` count only from a trusted proxy (anyone else could choose the URIs
    /// of the cooperative's published documents).
    func baseURI(of request: Request, context: AuthenticatedRequestContext) -> String {
        if let publicBaseURL { return publicBaseURL }
        var scheme = "http"
        var host = request.head.authority ?? "localhost"
        if let peer = context.peerAddress, trustedProxies.contains(peer) {
            if let proto = request.headers[Self.forwardedProto]?.split(separator: ",").first?.trimmingCharacters(
                in: .whitespaces
            ),
                proto == "http" || proto == "https"
            {
                scheme = proto
            }
            if let forwarded = request.headers[Self.forwardedHost]?.split(separator: ",").first?.trimmingCharacters(
                in: .whitespaces
            ),
                !forwarded.isEmpty
            {
                host = forwarded
            }
        }
        // A Host header is the client's to choose: only a plain host[:port] goes into a document.
        if !host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-.:[]".contains($0)) }) {
            host = "localhost"
        }
        return "\(scheme)://\(host)"
    }

    private static let forwardedProto = HTTPField.Name.xForwardedProto
    private static let forwardedHost = HTTPField.Name.xForwardedHost
}
