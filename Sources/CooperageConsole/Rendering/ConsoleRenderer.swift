import CooperageCore
import CooperageStore
import Foundation
import Hummingbird
import Mustache

/// Renders console pages from the Mustache templates shipped in the module (`Templates/`). Mustache escapes
/// every `{{value}}` for HTML, so text people typed (agency names, CSV cells) is always shown as text.
struct ConsoleRenderer: Sendable {
    let library: MustacheLibrary

    init() throws {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw ConsoleSetupError("The console's templates are missing from this build's resources.")
        }
        var templates: [String: MustacheTemplate] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where file.hasSuffix(".mustache") {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            templates[String(file.dropLast(".mustache".count))] = try MustacheTemplate(string: text)
        }
        library = MustacheLibrary(templates: templates)
    }

    /// The page as a response, with what every page shows: the person, their navigation and the form token.
    func response(_ page: ConsolePage, session: ConsoleSession?, path: String) -> Response {
        var values = page.values
        values["title"] = page.title
        if let session {
            let principal = session.principal
            values["user"] = ["name": principal.tokenName, "role": principal.role.rawValue] as [String: any Sendable]
            values["csrf"] = session.csrfToken
            values["hasNav"] = true
            values["nav"] = ConsoleNavigation.links(for: principal.role).map { link in
                [
                    "href": link.href, "label": link.label,
                    "current": link.href == path || (link.href != "/console" && path.hasPrefix(link.href + "/")),
                ] as [String: any Sendable]
            }
        }
        let html =
            library.render(values, withTemplate: page.template) ?? "<!doctype html><title>Cooperage</title><p>Page missing."
        return Response(
            status: page.status,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }
}

/// The console cannot start (its resources are missing from the build).
struct ConsoleSetupError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
