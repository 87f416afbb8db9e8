public import Foundation

/// Whose events a read or a write is about: one agency's, or the cooperative's own.
public enum EventScope: Hashable, Sendable {
    case cooperative
    case agency(UUID)

    /// The tenant the events carry; nil for the cooperative.
    public var tenantID: UUID? {
        switch self {
        case .cooperative: nil
        case .agency(let id): id
        }
    }
}
