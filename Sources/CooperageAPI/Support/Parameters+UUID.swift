import CooperageCore
import Foundation
import Hummingbird

extension Parameters {
    /// A path parameter that must be a UUID; anything else is a 400 naming the parameter.
    func uuid(_ name: String) throws -> UUID {
        guard let text = self.get(name), let id = UUID(uuidString: text) else {
            throw Problem.badRequest("The path parameter `\(name)` must be a UUID.", pointer: nil)
        }
        return id
    }
}
