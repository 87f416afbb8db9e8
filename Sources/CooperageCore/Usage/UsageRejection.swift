/// Orders that cannot be registered, each with the order's position in the batch and the condition that failed.
public struct UsageRejection: Error, Sendable {
    public struct Reason: Sendable, Equatable {
        /// Position of the order in the batch (0 for a single registration).
        public var index: Int
        /// The field concerned, as a JSON pointer into the order.
        public var pointer: String
        public var detail: String

        public init(index: Int, pointer: String, detail: String) {
            self.index = index
            self.pointer = pointer
            self.detail = detail
        }
    }

    public var reasons: [Reason]

    public init(reasons: [Reason]) {
        self.reasons = reasons
    }
}
