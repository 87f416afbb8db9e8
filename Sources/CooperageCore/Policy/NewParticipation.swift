public import Foundation

/// What an agency (or the cooperative on its behalf) supplies to record a participation instrument.
///
/// ```swift
/// let draft = NewParticipation(kind: .interlocalAgreement, effectiveOn: LocalDate(iso8601: "2026-01-01")!)
/// draft.issues  // [] when it can be stored
/// ```
public struct NewParticipation: Codable, Hashable, Sendable, JSONRequestBody {
    public var kind: Participation.Kind
    public var agreementId: UUID?
    public var state: USState?
    public var resolutionNumber: String?
    public var resolutionDate: LocalDate?
    public var effectiveOn: LocalDate
    public var expiresOn: LocalDate?
    public var terminationNoticeDays: Int?
    public var documentReference: String?

    /// The members a body may carry (``JSONRequestBody``).
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, agreementId, state, resolutionNumber, resolutionDate, effectiveOn, expiresOn, terminationNoticeDays
        case documentReference
    }

    public init(
        kind: Participation.Kind,
        agreementId: UUID? = nil,
        state: USState? = nil,
        resolutionNumber: String? = nil,
        resolutionDate: LocalDate? = nil,
        effectiveOn: LocalDate,
        expiresOn: LocalDate? = nil,
        terminationNoticeDays: Int? = nil,
        documentReference: String? = nil
    ) {
        self.kind = kind
        self.agreementId = agreementId
        self.state = state
        self.resolutionNumber = resolutionNumber
        self.resolutionDate = resolutionDate
        self.effectiveOn = effectiveOn
        self.expiresOn = expiresOn
        self.terminationNoticeDays = terminationNoticeDays
        self.documentReference = documentReference
    }

    /// Problems the type system cannot catch, each naming its field. Whether `agreementId` exists is
    /// for the store to say.
    public var issues: [FieldIssue] {
        var issues: [FieldIssue] = []
        if let resolutionNumber, resolutionNumber.allSatisfy(\.isWhitespace) || resolutionNumber.unicodeScalars.count > 100 {
            issues.append(FieldIssue(pointer: "/resolutionNumber", detail: "must be 1 to 100 characters"))
        }
        if let expiresOn, expiresOn < effectiveOn {
            issues.append(FieldIssue(pointer: "/expiresOn", detail: "must not be before effectiveOn (\(effectiveOn))"))
        }
        if let terminationNoticeDays, terminationNoticeDays < 0 || terminationNoticeDays > 3650 {
            issues.append(FieldIssue(pointer: "/terminationNoticeDays", detail: "must be a number of days from 0 to 3650"))
        }
        if let documentReference, documentReference.allSatisfy(\.isWhitespace) || documentReference.unicodeScalars.count > 1000 {
            issues.append(FieldIssue(pointer: "/documentReference", detail: "must be 1 to 1000 characters"))
        }
        return issues
    }
}
