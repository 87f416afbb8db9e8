import CooperageCore
import Foundation
import Testing

/// The members each request body may carry (the API refuses any other) are its coding keys.
@Suite struct JSONRequestBodyTests {
    /// The members each body accepted when the lists were kept by hand, in the core types and in the API's
    /// controllers: taking them from the coding keys changed none, and a new key changes the API on purpose.
    @Test func everyRequestTypeAcceptsTheMembersItAlwaysHas() {
        #expect(
            NewAgreement.fields == [
                "number", "title", "leadTenantId", "solicitationId", "supplierId", "categories", "nigpCodes", "effectiveOn",
                "expiresOn", "renewalOptions", "maximumTermEndsOn", "status", "ceilingCents", "eligibleEntityTypes",
                "eligibleStates", "complianceLetterOnFile", "telecomAttestation200216", "adminFeeBasisPoints", "priceTiers",
                "documents", "supplierReportDueDays",
            ]
        )
        #expect(
            AgreementChanges.fields == [
                "title", "categories", "nigpCodes", "effectiveOn", "expiresOn", "renewalOptions", "maximumTermEndsOn", "status",
                "ceilingCents", "eligibleEntityTypes", "eligibleStates", "complianceLetterOnFile", "telecomAttestation200216",
                "adminFeeBasisPoints", "priceTiers", "documents", "supplierReportDueDays", "number", "leadTenantId",
                "solicitationId", "supplierId", "committedCents",
            ]
        )
        #expect(
            NewSupplier.fields == [
                "name", "identifiers", "status", "statusEffectiveOn", "statusReason", "diversityCertifications",
            ]
        )
        #expect(
            SupplierChanges.fields == [
                "name", "identifiers", "status", "statusEffectiveOn", "statusReason", "diversityCertifications",
            ]
        )
        #expect(
            NewSolicitation.fields == [
                "leadTenantId", "number", "title", "method", "advertisedWhere", "advertisedOn",
                "cooperativeLanguageInSolicitation", "cooperativeLanguageInContract", "awardBasis", "awardDate",
            ]
        )
        #expect(
            NewTenant.fields == [
                "legalName", "slug", "entityType", "state", "parentId", "identifiers", "fiscalYearStartMonth", "status",
            ]
        )
        // A tenant's status changes through its own actions (suspend, reactivate), not a patch.
        #expect(
            TenantChanges.fields == [
                "legalName", "slug", "entityType", "state", "parentId", "identifiers", "fiscalYearStartMonth",
            ]
        )
        #expect(PolicyChange.fields == ["rules", "fromTemplate"])
        #expect(PolicyChange.ruleFields == ["type", "parameters", "citation", "effectiveOn", "expiresOn"])
        #expect(
            NewParticipation.fields == [
                "kind", "agreementId", "state", "resolutionNumber", "resolutionDate", "effectiveOn", "expiresOn",
                "terminationNoticeDays", "documentReference",
            ]
        )
        #expect(
            NewAuthorization.fields == [
                "agreementId", "amountCents", "purchaseDate", "category", "fundingLines", "purpose", "evidence",
            ]
        )
        #expect(NewApproval.fields == ["ruleType", "ruleIndex", "resolutionNumber", "resolutionDate", "evidence", "note"])
        #expect(NewUsage.fields == ["authorizationId", "poNumber", "orderDate", "amountCents", "lines"])
        #expect(NewReversal.fields == ["amountCents", "reason"])
        #expect(NewSupplierReport.fields == ["agreementId", "year", "quarter", "lines"])
    }

    /// A type with its own `init(from:)` lists its keys by hand, apart from the properties they fill: each key
    /// must be read, or the API would accept a member and silently drop it. (Synthesized decoding cannot miss one.)
    @Test func aHandWrittenDecoderReadsEveryField() throws {
        try expectEveryFieldIsRead(
            TenantChanges.self,
            samples: [
                "legalName": #""Town of Example""#, "slug": #""example""#, "entityType": #""city""#, "state": #""TX""#,
                "parentId": #""8f6c2a5e-1d0b-4c55-9a57-0e5f3d7c9b21""#, "identifiers": #"{"ein": "74-1234567"}"#,
                "fiscalYearStartMonth": "7",
            ]
        )
        try expectEveryFieldIsRead(
            SupplierChanges.self,
            samples: [
                "name": #""Acme""#, "identifiers": #"{"samUei": "ABCDEFGH1234"}"#, "status": #""active""#,
                "statusEffectiveOn": #""2026-01-01""#, "statusReason": #""Reinstated""#, "diversityCertifications": "[]",
            ]
        )
        try expectEveryFieldIsRead(
            AgreementChanges.self,
            samples: [
                "title": #""Computers""#, "categories": "[]", "nigpCodes": "[]", "effectiveOn": #""2026-01-01""#,
                "expiresOn": #""2028-12-31""#, "renewalOptions": "[]", "maximumTermEndsOn": "null", "status": #""active""#,
                "ceilingCents": "null", "eligibleEntityTypes": "[]", "eligibleStates": "[]", "complianceLetterOnFile": "true",
                "telecomAttestation200216": "true", "adminFeeBasisPoints": "200", "priceTiers": "[]", "documents": "[]",
                "supplierReportDueDays": "45",
                // Read only to be refused with a reason.
                "number": #""MA-1""#, "leadTenantId": "1", "solicitationId": "1", "supplierId": "1", "committedCents": "1",
            ]
        )
        try expectEveryFieldIsRead(PolicyChange.self, samples: ["rules": "[]", "fromTemplate": #""florida-city""#])
    }

    /// Decodes `{}` and then, one at a time, an object with one member of `samples`: each must change the value.
    func expectEveryFieldIsRead<Body: JSONRequestBody & Equatable>(_ type: Body.Type, samples: [String: String]) throws {
        #expect(Set(samples.keys) == Body.fields, "\(Body.self): one sample per field")
        let decoder = JSONDecoder()
        let empty = try decoder.decode(Body.self, from: Data("{}".utf8))
        for (field, json) in samples.sorted(by: { $0.key < $1.key }) {
            let value = try decoder.decode(Body.self, from: Data("{\"\(field)\": \(json)}".utf8))
            #expect(value != empty, "\(Body.self) does not read \(field)")
        }
    }
}
