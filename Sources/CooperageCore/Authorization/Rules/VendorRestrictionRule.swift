import Foundation

/// `vendor-restriction`: suppliers the agency has blocked, and vendor forms it requires.
///
/// Parameters (at least one non-empty):
/// - `blockedSupplierIds`: supplier ids this agency will not buy from; a match fails.
/// - `requiredForms`: titles of vendor forms that must be attached as documents with a valid SHA-256
///   (for example "Conflict of Interest Questionnaire (Form CIQ)"); missing ones need evidence.
struct VendorRestrictionRule: AuthorizationRule {
    let blockedSupplierIds: [String]
    let requiredForms: [String]

    init?(parameters: inout ParameterReader) {
        let issuesBefore = parameters.issues.count
        blockedSupplierIds = parameters.optional("blockedSupplierIds", .list(of: .text), default: [])
        requiredForms = parameters.optional("requiredForms", .list(of: .text), default: [])
        if parameters.issues.count == issuesBefore, blockedSupplierIds.isEmpty, requiredForms.isEmpty {
            parameters.report("needs blockedSupplierIds, requiredForms or both")
            return nil
        }
    }

    func evaluate(_ input: RuleInput) -> RuleEvaluation {
        let supplier = input.context.agreement.supplier
        if blockedSupplierIds.contains(where: { UUID(uuidString: $0) == supplier.id }) {
            return .fail("Supplier \(supplier.name) (\(supplier.id.uuidString.lowercased())) is blocked by this agency's policy.")
        }
        let missing = requiredForms.filter { !input.evidence.hasDocument(titled: $0) }
        guard missing.isEmpty else {
            return .needsEvidence("Vendor forms must be attached with their SHA-256 digests: \(plainList(missing)).")
        }
        var facts = ["supplier \(supplier.name) is not blocked"]
        if !requiredForms.isEmpty { facts.append("vendor forms attached: \(plainList(requiredForms))") }
        return .pass(facts.joined(separator: "; ").capitalizedFirst + ".")
    }
}
