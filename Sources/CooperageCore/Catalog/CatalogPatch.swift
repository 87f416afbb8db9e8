/// Reading a JSON merge patch (RFC 7396): an absent member leaves a field alone, `null` clears it.
enum CatalogPatch {
    /// A member that cannot be cleared: absent gives nil; `null` fails as "must be ..., not null".
    static func value<T: Decodable, Key: CodingKey>(
        _ type: T.Type,
        _ key: Key,
        in container: KeyedDecodingContainer<Key>
    ) throws -> T? {
        guard container.contains(key) else { return nil }
        return try container.decode(T.self, forKey: key)
    }

    /// A member that may be cleared: absent gives nil (unchanged), `null` gives `.some(nil)` (cleared).
    static func nullable<T: Decodable, Key: CodingKey>(
        _ type: T.Type,
        _ key: Key,
        in container: KeyedDecodingContainer<Key>
    ) throws -> T?? {
        guard container.contains(key) else { return nil }
        if try container.decodeNil(forKey: key) { return .some(nil) }
        return .some(try container.decode(T.self, forKey: key))
    }
}
