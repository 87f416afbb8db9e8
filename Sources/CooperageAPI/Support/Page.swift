import Hummingbird

/// One page of a list: `nextCursor` is passed back as `?cursor=` for the next page, null on the last.
struct Page<Item: Encodable & Sendable>: ResponseEncodable, Encodable, Sendable {
    var items: [Item]
    var nextCursor: String?

    enum CodingKeys: String, CodingKey { case items, nextCursor }

    /// `nextCursor` is always present, null on the last page (the synthesized encoder would omit it).
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
