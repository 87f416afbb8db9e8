/// Evidence as clients send it: every list optional. Converted to the engine's ``AuthorizationContext/Evidence``.
public struct EvidenceInput: Codable, Hashable, Sendable {
    public var quotes: [AuthorizationContext.Quote]?
    public var resolutions: [AuthorizationContext.Resolution]?
    public var writtenDeterminations: [AuthorizationContext.WrittenDetermination]?
    public var justification: String?
    public var documents: [AuthorizationContext.Document]?

    public init(
        quotes: [AuthorizationContext.Quote]? = nil,
        resolutions: [AuthorizationContext.Resolution]? = nil,
        writtenDeterminations: [AuthorizationContext.WrittenDetermination]? = nil,
        justification: String? = nil,
        documents: [AuthorizationContext.Document]? = nil
    ) {
        self.quotes = quotes
        self.resolutions = resolutions
        self.writtenDeterminations = writtenDeterminations
        self.justification = justification
        self.documents = documents
    }

    public var evidence: AuthorizationContext.Evidence {
        AuthorizationContext.Evidence(
            quotes: quotes ?? [],
            resolutions: resolutions ?? [],
            writtenDeterminations: writtenDeterminations ?? [],
            justification: justification,
            documents: documents ?? []
        )
    }

    /// Problems with the evidence, located under `base` (for example `/evidence`).
    public func issues(at base: String) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        for (index, quote) in (quotes ?? []).enumerated() {
            guard let issue = Money.issue(quote.amountCents, at: "\(base)/quotes/\(index)/amountCents") else { continue }
            issues.append(
                issue
            )
        }
        for (index, document) in (documents ?? []).enumerated() where !document.hasValidDigest {
            issues.append(FieldIssue(pointer: "\(base)/documents/\(index)/sha256", detail: "must be 64 hexadecimal characters"))
        }
        for (index, resolution) in (resolutions ?? []).enumerated() where resolution.number.isEmpty {
            issues.append(FieldIssue(pointer: "\(base)/resolutions/\(index)/number", detail: "must not be empty"))
        }
        return issues
    }
}

extension AuthorizationContext.Evidence {
    /// This evidence with `more` added (lists appended; a new justification replaces the old one).
    public func merging(_ more: AuthorizationContext.Evidence) -> AuthorizationContext.Evidence {
        AuthorizationContext.Evidence(
            quotes: quotes + more.quotes,
            resolutions: resolutions + more.resolutions,
            writtenDeterminations: writtenDeterminations + more.writtenDeterminations,
            justification: more.hasJustification ? more.justification : justification,
            documents: documents + more.documents
        )
    }
}
