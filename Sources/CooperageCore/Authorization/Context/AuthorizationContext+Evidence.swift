extension AuthorizationContext {
    /// Evidence attached to the request.
    public struct Evidence: Codable, Hashable, Sendable {
        /// Quotes obtained, usually from contract holders.
        public var quotes: [Quote]
        /// Governing-body resolutions relied on (number and date); an approval may name one by number.
        public var resolutions: [Resolution]
        /// Written findings on file, by kind (for example `substantial-equivalence`, `best-interest`).
        public var writtenDeterminations: [WrittenDetermination]
        /// Free-text justification for choosing this agreement and supplier.
        public var justification: String?
        /// Documents attached, identified by title and SHA-256 digest of their content.
        public var documents: [Document]

        public init(
            quotes: [Quote] = [],
            resolutions: [Resolution] = [],
            writtenDeterminations: [WrittenDetermination] = [],
            justification: String? = nil,
            documents: [Document] = []
        ) {
            self.quotes = quotes
            self.resolutions = resolutions
            self.writtenDeterminations = writtenDeterminations
            self.justification = justification
            self.documents = documents
        }

        /// Whether a non-blank justification was given.
        public var hasJustification: Bool {
            guard let justification else { return false }
            return !justification.allSatisfy(\.isWhitespace)
        }
    }

    /// A price quote from a supplier.
    public struct Quote: Codable, Hashable, Sendable {
        public var supplier: String
        public var amountCents: Int

        public init(supplier: String, amountCents: Int) {
            self.supplier = supplier
            self.amountCents = amountCents
        }
    }

    /// A governing-body resolution.
    public struct Resolution: Codable, Hashable, Sendable {
        public var number: String
        public var date: LocalDate
        /// The body that adopted it (for example `city-council`).
        public var body: String?

        public init(number: String, date: LocalDate, body: String? = nil) {
            self.number = number
            self.date = date
            self.body = body
        }
    }

    /// A written finding on file.
    public struct WrittenDetermination: Codable, Hashable, Sendable {
        /// What the finding is about, matched against rule parameters (for example `substantial-equivalence`).
        public var kind: String
        /// Where to find it: memo number, local law number, file reference.
        public var reference: String
        /// The day it was signed, when known.
        public var date: LocalDate?

        public init(kind: String, reference: String, date: LocalDate? = nil) {
            self.kind = kind
            self.reference = reference
            self.date = date
        }
    }

    /// An attached document, hashed so the decision can prove what it saw.
    public struct Document: Codable, Hashable, Sendable {
        public var title: String
        /// Lowercase hexadecimal SHA-256 of the content (64 characters).
        public var sha256: String

        public init(title: String, sha256: String) {
            self.title = title
            self.sha256 = sha256
        }

        /// Whether `sha256` is 64 hexadecimal digits.
        public var hasValidDigest: Bool {
            sha256.utf8.count == 64
                && sha256.utf8.allSatisfy { byte in
                    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                        || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                        || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
                }
        }
    }
}

extension AuthorizationContext.Evidence {
    /// Whether a document with this title (case-insensitive) and a valid digest is attached.
    func hasDocument(titled title: String) -> Bool {
        documents.contains { $0.title.lowercased() == title.lowercased() && $0.hasValidDigest }
    }
}
