extension AuthorizationContext {
    /// An approval recorded on the authorization request.
    ///
    /// It counts for a rule when it names the rule: by `ruleIndex` (position in the policy version the
    /// request is evaluated against; `ruleType`, if also given, must match) or, without an index, by
    /// `ruleType` (then it counts for every rule of that type). An approval naming no rule counts for none.
    public struct RecordedApproval: Codable, Hashable, Sendable {
        /// The rule type the approval is for (`approval-threshold`, `anti-splitting`).
        public var ruleType: String?
        /// The rule's position in the policy the request is evaluated against.
        public var ruleIndex: Int?
        /// Who approved: the body or officer (for example `city-council`, `purchasing-director`).
        public var approverRole: String
        /// The approval's artifact: resolution, minute order or approval letter number.
        public var resolutionNumber: String?
        /// The artifact's date; when missing, the date of the evidence resolution with the same number is used.
        public var resolutionDate: LocalDate?
        public var note: String?

        public init(
            ruleType: String? = nil,
            ruleIndex: Int? = nil,
            approverRole: String,
            resolutionNumber: String? = nil,
            resolutionDate: LocalDate? = nil,
            note: String? = nil
        ) {
            self.ruleType = ruleType
            self.ruleIndex = ruleIndex
            self.approverRole = approverRole
            self.resolutionNumber = resolutionNumber
            self.resolutionDate = resolutionDate
            self.note = note
        }

        /// Whether this approval names the rule at `index` of type `type`.
        public func names(ruleAt index: Int, type: String) -> Bool {
            if let ruleIndex {
                return ruleIndex == index && (ruleType == nil || ruleType == type)
            }
            return ruleType == type
        }
    }
}
