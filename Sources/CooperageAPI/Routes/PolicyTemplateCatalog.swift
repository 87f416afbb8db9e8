import CooperageCore
import Foundation

/// The policy templates shipped with this build: every `<id>.json` of the module's resources
/// (`Resources/policy-templates/`, copied flat next to `openapi.yaml`), read and validated once.
///
/// ```swift
/// let catalog = PolicyTemplateCatalog.bundled
/// let texas = try catalog.template(id: "tx-school-district")  // nil when unknown
/// ```
public struct PolicyTemplateCatalog: Sendable {
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
    public static let bundled: PolicyTemplateCatalog = {
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
    public func all() throws -> [PolicyTemplate] {
        try checkLoaded()
        return templates.values.sorted { $0.id < $1.id }
    }

    /// The template with `id`, or nil.
    public func template(id: String) throws -> PolicyTemplate? {
        try checkLoaded()
        return templates[id]
    }

    /// What a policy change makes: the template it starts from (if any), the rules of the new version, and what
    /// is wrong with it (empty when it may be stored). `PUT /v1/tenants/{id}/policy` and the console's policy
    /// form both decide with this.
    public func resolve(_ change: PolicyChange) throws -> (rules: [PolicyRule], template: PolicyTemplate?, issues: [FieldIssue]) {
        var issues = change.issues
        var template: PolicyTemplate?
        if let id = change.fromTemplate, !id.isEmpty {
            template = try self.template(id: id)
            if template == nil {
                let known = try all().map(\.id).joined(separator: ", ")
                issues.append(
                    FieldIssue(pointer: "/fromTemplate", detail: "no policy template \"\(id)\"; known templates: \(known)")
                )
            }
        }
        let rules = change.rules(startingFrom: template)
        if issues.isEmpty, rules.count > PolicyChange.maximumRuleCount {
            issues.append(
                FieldIssue(
                    pointer: "/rules",
                    detail: "the template's and these rules together exceed \(PolicyChange.maximumRuleCount) rules"
                )
            )
        }
        return (rules, template, issues)
    }

    private func checkLoaded() throws {
        if let loadError { throw CatalogUnavailable(reason: loadError) }
    }

    struct CatalogUnavailable: Error, CustomStringConvertible {
        let reason: String
        var description: String { "the bundled policy templates could not be loaded: \(reason)" }
    }
}
