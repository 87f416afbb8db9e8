import CooperageCore
import Foundation

/// The policy templates shipped with this build: every `<id>.json` of the module's resources
/// (`Resources/policy-templates/`, copied flat next to `openapi.yaml`), read and validated once.
///
/// ```swift
/// let catalog = PolicyTemplateCatalog.bundled
/// let texas = try catalog.template(id: "tx-school-district")  // nil when unknown
/// ```
struct PolicyTemplateCatalog: Sendable {
    /// Templates by id.
    private let templates: [String: PolicyTemplate]
    /// Why the templates could not be loaded; every use then fails with a logged 500.
    private let loadError: String?

    init(templates: [PolicyTemplate]) {
        self.templates = Dictionary(templates.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.loadError = nil
    }

    private init(loadError: String) {
        self.templates = [:]
        self.loadError = loadError
    }

    /// The bundled templates, loaded on first use.
    static let bundled: PolicyTemplateCatalog = {
        do {
            guard let directory = Bundle.module.resourceURL else {
                return PolicyTemplateCatalog(loadError: "the module's resources are missing from this build")
            }
            return PolicyTemplateCatalog(templates: try load(directory: directory))
        } catch {
            return PolicyTemplateCatalog(loadError: "\(error)")
        }
    }()

    /// Reads every `.json` file of `directory` as a template; one that does not decode, does not validate,
    /// or whose id differs from its file name is an error, since the build ships a broken template.
    static func load(directory: URL) throws -> [PolicyTemplate] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        return try files.map { file in
            let template: PolicyTemplate
            do {
                template = try JSONDecoder().decode(
                    PolicyTemplate.self,
                    from: Data(contentsOf: directory.appendingPathComponent(file))
                )
            } catch {
                throw TemplateError(file: file, reason: "\(error)")
            }
            guard file == template.id + ".json" else {
                throw TemplateError(file: file, reason: "its id is \"\(template.id)\"")
            }
            let issues = PolicyValidator.validate(template)
            guard issues.isEmpty else {
                throw TemplateError(file: file, reason: issues.map(\.description).joined(separator: "; "))
            }
            return template
        }
    }

    struct TemplateError: Error, CustomStringConvertible {
        let file: String
        let reason: String
        var description: String { "policy template \(file) is not usable: \(reason)" }
    }

    /// Every template, by id.
    func all() throws -> [PolicyTemplate] {
        try checkLoaded()
        return templates.values.sorted { $0.id < $1.id }
    }

    /// The template with `id`, or nil.
    func template(id: String) throws -> PolicyTemplate? {
        try checkLoaded()
        return templates[id]
    }

    private func checkLoaded() throws {
        if let loadError { throw CatalogUnavailable(reason: loadError) }
    }

    struct CatalogUnavailable: Error, CustomStringConvertible {
        let reason: String
        var description: String { "the bundled policy templates could not be loaded: \(reason)" }
    }
}
