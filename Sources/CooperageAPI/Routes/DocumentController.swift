import Foundation
import Hummingbird
import Prometheus

/// Serves `/openapi.yaml` (the API contract) and `/metrics` (Prometheus text).
struct DocumentController {
    let registry: PrometheusCollectorRegistry

    func register(on router: Router<CooperageRequestContext>) {
        router.get("openapi.yaml") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/yaml"],
                body: .init(byteBuffer: ByteBuffer(string: try OpenAPIDocument.text()))
            )
        }
        router.get("metrics") { _, _ in
            var buffer = [UInt8]()
            registry.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer))
            )
        }
    }
}

/// The OpenAPI 3.1 document shipped with the build (`Resources/openapi.yaml`).
public enum OpenAPIDocument {
    public static func text() throws -> String {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw Problem.internalError
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}
