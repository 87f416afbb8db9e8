import Hummingbird

extension Request {
    /// The `Idempotency-Key` header: 1 to 200 visible ASCII characters.
    func idempotencyKey() throws -> String? {
        guard let key = headers[.idempotencyKey] else { return nil }
        guard (1...200).contains(key.count), key.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw Problem.badRequest("The Idempotency-Key header must be 1 to 200 visible ASCII characters.")
        }
        return key
    }

    /// Usage writes must carry an `Idempotency-Key`, so a retried request is never counted twice.
    func requiredIdempotencyKey() throws -> String {
        guard let key = try idempotencyKey() else {
            throw Problem.badRequest(
                "Usage writes need an Idempotency-Key header (any unique string per intended write, such as a UUID), so that retries are not counted twice."
            )
        }
        return key
    }
}
