import CooperageCore
import Foundation
import Testing

/// The supplier-reporter role is neither a cooperative nor an agency role: it acts for no tenant and reads no
/// agency's data.
@Suite struct SupplierRoleTests {
    @Test func everyRoleIsOfExactlyOneKind() {
        for role in Role.allCases {
            let kinds = [role.isCooperativeRole, role.isAgencyRole, role.isSupplierRole].filter { $0 }
            #expect(kinds.count == 1, "\(role.rawValue)")
        }
        #expect(Role.supplierReporter.rawValue == "supplier-reporter")
        #expect(Role.allCases.filter(\.isSupplierRole) == [.supplierReporter])
    }

    @Test func aSupplierActsForNoTenantAndReadsNoAgency() {
        let supplier = Principal(tokenID: UUID(), tokenName: "acme", role: .supplierReporter, tenantID: nil, supplierID: UUID())
        let tenant = UUID()
        #expect(!supplier.canAct(for: tenant))
        #expect(supplier.readScope(naming: nil) == nil)
        #expect(supplier.readScope(naming: tenant) == nil)
        // Cooperative staff and agencies are unchanged.
        let staff = Principal(tokenID: UUID(), tokenName: "staff", role: .cooperativeFinance, tenantID: nil)
        #expect(staff.canAct(for: tenant))
        #expect(staff.readScope(naming: tenant) == .cooperative(tenant: tenant))
        let agency = Principal(tokenID: UUID(), tokenName: "buyer", role: .agencyBuyer, tenantID: tenant)
        #expect(agency.canAct(for: tenant))
        #expect(!agency.canAct(for: UUID()))
        #expect(agency.readScope(naming: nil) == .agency(tenant))
    }

    @Test func theDueDaysOfAnAgreementAreChecked() throws {
        #expect(CatalogValidation.supplierReportDueDaysIssues(nil).isEmpty)
        #expect(CatalogValidation.supplierReportDueDaysIssues(0).isEmpty)
        #expect(CatalogValidation.supplierReportDueDaysIssues(365).isEmpty)
        #expect(CatalogValidation.supplierReportDueDaysIssues(-1).map(\.pointer) == ["/supplierReportDueDays"])
        #expect(CatalogValidation.supplierReportDueDaysIssues(366).map(\.pointer) == ["/supplierReportDueDays"])
        let patch = try JSONDecoder().decode(AgreementChanges.self, from: Data(#"{"supplierReportDueDays": 400}"#.utf8))
        #expect(patch.issues.map(\.pointer) == ["/supplierReportDueDays"])
        let fine = try JSONDecoder().decode(AgreementChanges.self, from: Data(#"{"supplierReportDueDays": 45}"#.utf8))
        #expect(fine.issues.isEmpty)
    }

    @Test func aVersionSaysWhetherItWasLateAndIfItIsCurrent() throws {
        func report(due: String?, submitted: String, supersededBy: UUID? = nil) throws -> SupplierReport {
            SupplierReport(
                id: UUID(),
                agreementId: UUID(),
                agreementNumber: "MA-1",
                supplierId: UUID(),
                supplierName: "Acme",
                year: 2026,
                quarter: 3,
                version: 2,
                supersedesId: UUID(),
                supersededById: supersededBy,
                dueOn: due.flatMap { LocalDate(iso8601: $0) },
                submittedOn: LocalDate(iso8601: submitted),
                totalCents: 0,
                feeCents: 0,
                lineCount: 0,
                matchedLineCount: 0,
                submittedBy: nil,
                createdAt: Date()
            )
        }
        #expect(try report(due: "2026-10-30", submitted: "2026-10-30").late == false)
        #expect(try report(due: "2026-10-30", submitted: "2026-10-31").late == true)
        #expect(try report(due: nil, submitted: "2030-01-01").late == false)
        #expect(try report(due: nil, submitted: "2030-01-01").current)
        #expect(try !report(due: nil, submitted: "2030-01-01", supersededBy: UUID()).current)
        // Both are in the JSON the API answers.
        let json = try JSONSerialization.jsonObject(
            with: JSONEncoder().encode(try report(due: "2026-10-30", submitted: "2026-11-02"))
        )
        let object = try #require(json as? [String: Any])
        #expect(object["late"] as? Bool == true)
        #expect(object["current"] as? Bool == true)
        #expect(object["version"] as? Int == 2)
    }

    @Test func anOverdueQuarterNamesItsAlertKey() throws {
        let agreement = try #require(UUID(uuidString: "0190C3F2-7A6B-7C00-8000-00000000ABCD"))
        let overdue = OverdueSupplierReport(
            status: .missing,
            agreementId: agreement,
            agreementNumber: "MA-1",
            supplierId: UUID(),
            supplierName: "Acme",
            year: 2026,
            quarter: 3,
            quarterEndsOn: try #require(LocalDate(iso8601: "2026-09-30")),
            dueOn: try #require(LocalDate(iso8601: "2026-10-30")),
            daysOverdue: 37
        )
        #expect(overdue.period == "2026-Q3")
        #expect(overdue.alertDedupeKey == "supplier-report.overdue:0190c3f2-7a6b-7c00-8000-00000000abcd:2026-Q3")
    }
}
