import CooperageCore
import CooperageStore
import Foundation
import Hummingbird

/// `/v1/tenants/{id}/participations`: the instruments that let an agency use the cooperative's agreements.
struct ParticipationController {
    let participations: ParticipationStore

    func register(on routes: APIRoutes) {
        routes.authenticated.post("tenants/{id}/participations", use: create)
        routes.authenticated.get("tenants/{id}/participations", use: list)
    }

    /// An instrument as the API shows it: the record, and whether it is in force today.
    struct ParticipationBody: ResponseEncodableBody {
        var id: UUID
        var tenantId: UUID
        var kind: Participation.Kind
        var agreementId: UUID?
        var state: USState?
        var resolutionNumber: String?
        var resolutionDate: LocalDate?
        var effectiveOn: LocalDate
        var expiresOn: LocalDate?
        var terminationNoticeDays: Int?
        var documentReference: String?
        var createdAt: Date
        var inForceToday: Bool

        init(_ participation: Participation, today: LocalDate) {
            id = participation.id
            tenantId = participation.tenantId
            kind = participation.kind
            agreementId = participation.agreementId
            state = participation.state
            resolutionNumber = participation.resolutionNumber
            resolutionDate = participation.resolutionDate
            effectiveOn = participation.effectiveOn
            expiresOn = participation.expiresOn
            terminationNoticeDays = participation.terminationNoticeDays
            documentReference = participation.documentReference
            createdAt = participation.createdAt
            inForceToday = participation.isInForce(on: today)
        }

        private enum CodingKeys: String, CodingKey {
            case id, tenantId, kind, agreementId, state, resolutionNumber, resolutionDate, effectiveOn, expiresOn
            case terminationNoticeDays, documentReference, createdAt, inForceToday
        }

        // Absent values are written as null, so every instrument has the same members.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(tenantId, forKey: .tenantId)
            try container.encode(kind, forKey: .kind)
            try container.encode(agreementId, forKey: .agreementId)
            try container.encode(state, forKey: .state)
            try container.encode(resolutionNumber, forKey: .resolutionNumber)
            try container.encode(resolutionDate, forKey: .resolutionDate)
            try container.encode(effectiveOn, forKey: .effectiveOn)
            try container.encode(expiresOn, forKey: .expiresOn)
            try container.encode(terminationNoticeDays, forKey: .terminationNoticeDays)
            try container.encode(documentReference, forKey: .documentReference)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(inForceToday, forKey: .inForceToday)
        }
    }

    @Sendable func create(_ request: Request, context: AuthenticatedRequestContext) async throws
        -> EditedResponse<ParticipationBody>
    {
        let tenantID = try context.parameters.uuid("id")
        let principal = try context.require(actingFor: tenantID, [.cooperativeAdmin, .agencyAdmin])
        var request = request
        let draft = try await request.decodeJSON(NewParticipation.self, context: context)
        let issues = draft.issues
        guard issues.isEmpty else { throw Problem.validation(issues) }
        let recorded = try await participations.create(draft, tenantID: tenantID, by: Actor(principal))
        return EditedResponse(status: .created, response: ParticipationBody(recorded, today: LocalDate.today()))
    }

    @Sendable func list(_ request: Request, context: AuthenticatedRequestContext) async throws -> Page<ParticipationBody> {
        let tenantID = try context.parameters.uuid("id")
        try context.require(actingFor: tenantID)
        let today = LocalDate.today()
        let items = try await participations.list(tenantID: tenantID).map { ParticipationBody($0, today: today) }
        return Page(items: items, nextCursor: nil)
    }
}
