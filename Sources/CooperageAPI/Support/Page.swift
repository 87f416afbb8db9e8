import Hummingbird

/// One page of a list: `nextCursor` is passed back as `?cursor=` for the next page, null on the last.
struct Page<Item: Encodable & Sendable>: ResponseEncodable, Encodable, Sendable {
    var items: [Item]
    var nextCursor: String?
}
