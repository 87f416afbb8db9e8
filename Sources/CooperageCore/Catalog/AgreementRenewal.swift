/// `POST /v1/agreements/{id}/renewals`: exercise the agreement's next renewal option. The body is optional.
public struct AgreementRenewal: Codable, Hashable, Sendable, JSONRequestBody {
    /// Which option (1 for the first listed) the caller means to exercise. Options are exercised in order, so it
    /// must be the first one not yet exercised; naming it makes a retried request safe (the retry finds it exercised
    /// and is refused instead of exercising the next one). Nil: the next one.
    public var option: Int?
    /// Why, as the amendment and the OCDS export record it.
    public var rationale: String?

    /// The members a body may carry (``JSONRequestBody``).
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case option, rationale
    }

    public init(option: Int? = nil, rationale: String? = nil) {
        self.option = option
        self.rationale = rationale
    }

    public var issues: [FieldIssue] {
        var issues: [FieldIssue] = []
        if let option, !(1...100).contains(option) {
            issues.append(FieldIssue(pointer: "/option", detail: "must be the number of a renewal option, from 1"))
        }
        CatalogValidation.text(rationale, "/rationale", maximum: 2000, into: &issues)
        return issues
    }

    /// What exercising an option does to an agreement.
    public struct Outcome: Hashable, Sendable {
        /// The agreement with its term extended and the option marked exercised.
        public var renewed: MasterAgreement
        /// The option exercised, 1 for the first listed.
        public var option: Int
        public var years: Int
        /// The change it made, as the amendment records it.
        public var changes: [String: AgreementAmendment.Change]
    }

    /// Why an option cannot be exercised (a 409: the request is well formed, the agreement's state refuses it).
    public struct Refusal: Error, Hashable, Sendable {
        public var pointer: String
        public var detail: String
    }

    /// Exercises this request's option on `agreement`: the first option not yet exercised, whose years extend
    /// `expiresOn` (a 29 February end moves to 28 February in a common year). Refused when the agreement is
    /// terminated, when no option is left, when the named option is not the next one, and when the new end would
    /// pass `maximumTermEndsOn`.
    public func exercise(on agreement: MasterAgreement) -> Result<Outcome, Refusal> {
        if agreement.status == .terminated {
            return .failure(Refusal(pointer: "", detail: "a terminated agreement cannot be renewed"))
        }
        guard let index = agreement.renewalOptions.firstIndex(where: { !$0.exercised }) else {
            let count = agreement.renewalOptions.count
            return .failure(
                Refusal(
                    pointer: "",
                    detail: count == 0
                        ? "this agreement has no renewal options"
                        : "every renewal option of this agreement (\(count)) has been exercised"
                )
            )
        }
        if let option, option != index + 1 {
            let detail =
                option > agreement.renewalOptions.count
                ? "this agreement has \(agreement.renewalOptions.count) renewal option(s); there is no option \(option)"
                : option <= index
                    ? "renewal option \(option) has already been exercised; the next one is option \(index + 1)"
                    : "renewal options are exercised in order: the next one is option \(index + 1)"
            return .failure(Refusal(pointer: "/option", detail: detail))
        }
        let years = agreement.renewalOptions[index].years
        guard let newEnd = Self.adding(years: years, to: agreement.expiresOn) else {
            return .failure(Refusal(pointer: "", detail: "the term would end after the year 2999"))
        }
        if let maximum = agreement.maximumTermEndsOn, maximum < newEnd {
            return .failure(
                Refusal(
                    pointer: "",
                    detail:
                        "renewal option \(index + 1) (\(years) year\(years == 1 ? "" : "s")) would extend the term to \(newEnd), "
                        + "past its maximum term (\(maximum))"
                )
            )
        }
        var renewed = agreement
        renewed.expiresOn = newEnd
        renewed.renewalOptions[index].exercised = true
        return .success(
            Outcome(
                renewed: renewed,
                option: index + 1,
                years: years,
                changes: [
                    "expiresOn": .init(from: .string(agreement.expiresOn.description), to: .string(newEnd.description))
                ]
            )
        )
    }

    /// `date` moved by whole years; 29 February becomes 28 February in a common year. Nil past the year 2999.
    static func adding(years: Int, to date: LocalDate) -> LocalDate? {
        let year = date.year + years
        guard LocalDate.acceptedYears.contains(year) else { return nil }
        return LocalDate(year: year, month: date.month, day: min(date.day, LocalDate.daysIn(month: date.month, year: year)))
    }
}
