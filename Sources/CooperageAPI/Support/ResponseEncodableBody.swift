import Hummingbird

/// An `Encodable` response body rendered with the context's JSON encoder.
typealias ResponseEncodableBody = ResponseEncodable & Encodable & Sendable
