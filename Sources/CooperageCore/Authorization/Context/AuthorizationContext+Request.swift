extension AuthorizationContext {
    /// The purchase the agency asks to make under the agreement.
    public struct Request: Codable, Hashable, Sendable {
        /// Amount requested, in cents.
        public var amountCents: Int
        /// The day the purchase (order) is to be placed.
        public var purchaseDate: LocalDate
        /// UNSPSC commodity code, 8 digits (for example `43211503`).
        public var category: String
        /// How the purchase is paid for; federal lines switch on the federal-funds overlay.
        public var fundingLines: [FundingLine]
        /// What is being bought and why, in the agency's words.
        public var purpose: String
        /// Quotes, resolutions, written determinations, justification and documents supplied so far.
        public var evidence: Evidence

        public init(
            amountCents: Int,
            purchaseDate: LocalDate,
            category: String,
            fundingLines: [FundingLine] = [],
            purpose: String = "",
            evidence: Evidence = Evidence()
        ) {
            self.amountCents = amountCents
            self.purchaseDate = purchaseDate
            self.category = category
            self.fundingLines = fundingLines
            self.purpose = purpose
            self.evidence = evidence
        }
    }

    /// Where the money for a funding line comes from.
    public enum FundingSource: String, Codable, CaseIterable, Hashable, Sendable {
        case local
        case state
        case federal
    }

    /// One line of the purchase's funding.
    public struct FundingLine: Codable, Hashable, Sendable {
        public var source: FundingSource
        /// Grant program for state or federal money (for example `FEMA-PA`, `USDA-CNP`).
        public var program: String?
        /// The agency's budget account code (for example `001-1910-521-3450`).
        public var account: String?
        public var amountCents: Int

        public init(source: FundingSource, program: String? = nil, account: String? = nil, amountCents: Int) {
            self.source = source
            self.program = program
            self.account = account
            self.amountCents = amountCents
        }
    }
}
