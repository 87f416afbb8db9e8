/// `budget-availability`: each funding line names a budget account with enough appropriation left.
///
/// Parameters:
/// - `accounts` (required): `[{"account": "001-1910-521-3450", "appropriatedCents": 23549300}]`, the
///   fiscal year's appropriation per account.
/// - `requireAccountOnEveryLine` (default true): a funding line without an account needs evidence.
///
/// Available = appropriated - ``AuthorizationContext/accountSpentCents`` for the account. The funding lines
/// must add up to the request amount. Examples: South Miami resolutions name the account and its balance;
/// Tex. Gov't Code 791.011(d)(3) (payments from current revenues).
struct BudgetAvailabilityRule: AuthorizationRule {
    struct Account: Sendable {
        let account: String
        let appropriatedCents: Int
    }

    let accounts: [Account]
    let requireAccountOnEveryLine: Bool

    init?(parameters: inout ParameterReader) {
        let accountDecoder = ParameterDecoder<Account>.object(expecting: "an account with appropriatedCents") {
            reader in
            let account = reader.required("account", .text)
            let appropriated = reader.required("appropriatedCents", .cents)
            guard let account, let appropriated else { return nil }
            return Account(account: account, appropriatedCents: appropriated)
        }
        let accounts = parameters.required("accounts", .list(of: accountDecoder, nonEmpty: true))
        requireAccountOnEveryLine = parameters.optional("requireAccountOnEveryLine", .bool, default: true)
        guard let accounts else { return nil }
        var seen: Set<String> = []
        for (index, entry) in accounts.enumerated() where !seen.insert(entry.account).inserted {
            parameters.report("account \(entry.account) is listed twice", at: "accounts", String(index))
            return nil
        }
        self.accounts = accounts
    }

    func evaluate(_ input: RuleInput) -> RuleEvaluation {
        let lines = input.request.fundingLines
        guard !lines.isEmpty else {
            return .needsEvidence("The request has no funding lines; name the budget account that pays for it.")
        }
        let funded = saturatingSum(lines.map(\.amountCents))
        guard funded == input.amountCents else {
            return .needsEvidence(
                "The funding lines total \(formatDollars(funded)) but the request is \(formatDollars(input.amountCents))."
            )
        }
        var needed: [String: Int] = [:]
        var unnamed: [Int] = []
        for (index, line) in lines.enumerated() {
            if let account = line.account, !account.allSatisfy(\.isWhitespace) {
                needed[account] = saturatingSum([needed[account] ?? 0, line.amountCents])
            } else {
                unnamed.append(index + 1)
            }
        }
        if requireAccountOnEveryLine, !unnamed.isEmpty {
            return .needsEvidence(
                "Funding line\(unnamed.count == 1 ? "" : "s") \(plainList(unnamed.map(String.init))) name\(unnamed.count == 1 ? "s" : "") no budget account."
            )
        }
        var shortfalls: [String] = []
        var balances: [String] = []
        for account in needed.keys.sorted() {
            let amount = needed[account] ?? 0
            guard let appropriation = accounts.first(where: { $0.account == account }) else {
                shortfalls.append("account \(account) has no appropriation in this policy")
                continue
            }
            let spent = input.context.accountSpentCents[account] ?? 0
            let available = saturatingDifference(appropriation.appropriatedCents, spent)
            let figures =
                "\(formatDollars(available)) available (\(formatDollars(appropriation.appropriatedCents)) appropriated, \(formatDollars(spent)) spent)"
            if amount > available {
                shortfalls.append("account \(account) needs \(formatDollars(amount)) but has \(figures)")
            } else {
                balances.append("account \(account): \(formatDollars(amount)) of \(figures)")
            }
        }
        guard shortfalls.isEmpty else {
            return .fail("Insufficient budget: \(shortfalls.joined(separator: "; ")).")
        }
        if balances.isEmpty {
            return .pass("No funding line names a budget account; nothing to check.")
        }
        return .pass("Budget available: \(balances.joined(separator: "; ")).")
    }
}
