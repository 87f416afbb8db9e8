/// `category-restriction`: the purchase's UNSPSC category is allowed and not excluded.
///
/// Parameters (at least one):
/// - `allowedPrefixes`, `allowedClasses`: when either is given, the category must fall under one of them.
/// - `excludedPrefixes`, `excludedClasses`: the category must fall under none of them.
/// - `requireAgreementScope` (default false): the category must be within the agreement's categories
///   (FEMA: within scope "as to type").
///
/// Prefixes have 2, 4, 6 or 8 digits; classes are ``CategoryClass`` names such as `public-works` or
/// `goods`. Examples: Tex. Gov't Code 2156.181(a-1) (no engineering or architecture); Cal. Pub. Cont.
/// Code 20118 (personal property only).
struct CategoryRestrictionRule: AuthorizationRule {
    let allowedPrefixes: [String]
    let allowedClasses: [CategoryClass]
    let excludedPrefixes: [String]
    let excludedClasses: [CategoryClass]
    let requireAgreementScope: Bool

    init?(parameters: inout ParameterReader) {
        allowedPrefixes = parameters.optional("allowedPrefixes", .list(of: .unspscPrefix), default: [])
        allowedClasses = parameters.optional("allowedClasses", .list(of: .choice), default: [])
        excludedPrefixes = parameters.optional("excludedPrefixes", .list(of: .unspscPrefix), default: [])
        excludedClasses = parameters.optional("excludedClasses", .list(of: .choice), default: [])
        requireAgreementScope = parameters.optional("requireAgreementScope", .bool, default: false)
        if allowedPrefixes.isEmpty, allowedClasses.isEmpty, excludedPrefixes.isEmpty, excludedClasses.isEmpty,
            !requireAgreementScope
        {
            parameters.report(
                "needs at least one of allowedPrefixes, allowedClasses, excludedPrefixes, excludedClasses or requireAgreementScope"
            )
            return nil
        }
    }

    func evaluate(_ input: RuleInput) -> RuleEvaluation {
        let category = input.request.category
        guard UNSPSC.isCode(category) else {
            return .fail("The category \"\(category)\" is not an 8-digit UNSPSC code.")
        }
        if let prefix = excludedPrefixes.first(where: { UNSPSC.code(category, isUnder: $0) }) {
            return .fail("Category \(category) is excluded (UNSPSC \(prefix)).")
        }
        if let excluded = excludedClasses.first(where: { $0.contains(category: category) }) {
            return .fail("Category \(category) is excluded as \(excluded.rawValue) (\(describe(excluded))).")
        }
        var reasons: [String] = []
        if !allowedPrefixes.isEmpty || !allowedClasses.isEmpty {
            if let prefix = allowedPrefixes.first(where: { UNSPSC.code(category, isUnder: $0) }) {
                reasons.append("it is under the allowed UNSPSC \(prefix)")
            } else if let allowed = allowedClasses.first(where: { $0.contains(category: category) }) {
                reasons.append("it is \(allowed.rawValue) (\(describe(allowed)))")
            } else {
                let allowed = allowedClasses.map { "\($0.rawValue) (\(describe($0)))" } + allowedPrefixes
                return .fail("Category \(category) is outside the allowed categories: \(plainList(allowed)).")
            }
        }
        if requireAgreementScope {
            let agreement = input.context.agreement
            guard agreement.covers(category: category) else {
                return .fail(
                    "Category \(category) is outside agreement \(agreement.number)'s scope (\(agreement.categories.isEmpty ? "no categories on record" : plainList(agreement.categories)))."
                )
            }
            reasons.append("it is within agreement \(agreement.number)'s scope")
        }
        if reasons.isEmpty { reasons.append("it is not excluded") }
        return .pass("Category \(category) is permitted: \(reasons.joined(separator: "; ")).")
    }

    private func describe(_ categoryClass: CategoryClass) -> String {
        switch categoryClass {
        case .goods: "UNSPSC segments 10 to 60"
        default: "UNSPSC " + categoryClass.prefixes.joined(separator: ", ")
        }
    }
}
