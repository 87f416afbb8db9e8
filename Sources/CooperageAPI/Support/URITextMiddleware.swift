import CooperageCore
import Hummingbird

/// Refuses a request whose path or query, once percent-decoded, is not clean text: broken percent escapes,
/// invalid UTF-8, or control characters (PostgreSQL refuses NUL in text, and no identifier, date or filter
/// of the API holds the others). One check before routing, so no route has to remember it.
///
/// The answer is a 400 problem naming the parameter (`?fileName=`) or the path.
struct URITextMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        if let problem = Self.problem(path: request.uri.path, query: request.uri.query) { throw problem }
        return try await next(request, context)
    }

    static func problem(path: String, query: String?) -> Problem? {
        if Self.decodedText(path) == nil {
            return .badRequest("The request path has a broken percent escape, invalid UTF-8 or a control character.")
        }
        guard let query, !query.isEmpty else { return nil }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decodedText(parts[0]) else {
                return .badRequest("A query parameter's name has a broken percent escape, invalid UTF-8 or a control character.")
            }
            if parts.count == 2, Self.decodedText(parts[1]) == nil {
                let shown = name.count > 40 ? String(name.prefix(40)) + "..." : name
                return .badRequest(
                    "The query parameter `\(shown)` has a broken percent escape, invalid UTF-8 or a control character."
                )
            }
        }
        return nil
    }

    /// The percent-decoded text (`+` is a space in a query), or nil when it is not clean text.
    static func decodedText(_ text: some StringProtocol) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(Self.hexValue), let low = iterator.next().flatMap(Self.hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self),
            !decoded.unicodeScalars.contains(where: JSONInspector.isRefusedControl)
                && !decoded.unicodeScalars.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\r" })
        else { return nil }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
