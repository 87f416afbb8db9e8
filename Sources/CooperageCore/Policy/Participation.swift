public import Foundation

/// One of a tenant's participation instruments, as recorded: the entity-level permission to use the
/// cooperative's agreements (README, "Authorizing a piggyback purchase"), separate from clearance for any one purchase.
///
/// ```swift
/// let inForce = participation.isInForce(on: purchaseDate)
/// let forTheEngine = participation.instrument  // what the system gate and rules evaluate
/// ```
public struct Participation: Codable, Hashable, Sendable {
    public typealias Kind = AuthorizationContext.ParticipationInstrumentKind

    public var id: UUID
    public var tenantId: UUID
    public var kind: Kind
    /// The agreement it is limited to; nil when it covers the whole program.
    public var agreementId: UUID?
    /// The state it covers (participating addenda); nil when not state-specific.
    public var state: USState?
    /// The governing body's authorizing resolution.
    public var resolutionNumber: String?
    public var resolutionDate: LocalDate?
    public var effectiveOn: LocalDate
    /// Last day in force (inclusive); nil when open-ended.
    public var expiresOn: LocalDate?
    /// Days of notice either party must give to terminate.
    public var terminationNoticeDays: Int?
    /// Where the signed instrument is kept (a URL, a records-system number).
    public var documentReference: String?
    public var createdAt: Date

    public init(
        id: UUID,
        tenantId: UUID,
        kind: Kind,
        agreementId: UUID? = nil,
        state: USState? = nil,
        resolutionNumber: String? = nil,
        resolutionDate: LocalDate? = nil,
        effectiveOn: LocalDate,
        expiresOn: LocalDate? = nil,
        terminationNoticeDays: Int? = nil,
        documentReference: String? = nil,
        createdAt: Date
    ) {
        self.id = id
        self.tenantId = tenantId
        self.kind = kind
        self.agreementId = agreementId
        self.state = state
        self.resolutionNumber = resolutionNumber
        self.resolutionDate = resolutionDate
        self.effectiveOn = effectiveOn
        self.expiresOn = expiresOn
        self.terminationNoticeDays = terminationNoticeDays
        self.documentReference = documentReference
        self.createdAt = createdAt
    }

    /// The instrument as the authorization engine sees it.
    public var instrument: AuthorizationContext.ParticipationInstrument {
        AuthorizationContext.ParticipationInstrument(
            kind: kind,
            agreementId: agreementId,
            state: state,
            effectiveOn: effectiveOn,
            expiresOn: expiresOn,
            resolutionNumber: resolutionNumber,
            resolutionDate: resolutionDate
        )
    }

    /// Whether `date` is within `effectiveOn...expiresOn` (both inclusive).
    public func isInForce(on date: LocalDate) -> Bool {
        instrument.isInForce(on: date)
    }
}
