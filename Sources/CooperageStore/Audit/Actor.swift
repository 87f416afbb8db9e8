import CooperageCore
import Foundation

/// Who caused a change, as recorded in the audit trail.
public struct Actor: Sendable, Hashable {
    public var tokenID: UUID?
    public var role: String

    public init(tokenID: UUID?, role: String) {
        self.tokenID = tokenID
        self.role = role
    }

    /// The caller of an API request.
    public init(_ principal: Principal) {
        self.init(tokenID: principal.tokenID, role: principal.role.rawValue)
    }

    /// The server itself or its command line (bootstrap, `cooperage token create`).
    public static let system = Actor(tokenID: nil, role: "system")
}
