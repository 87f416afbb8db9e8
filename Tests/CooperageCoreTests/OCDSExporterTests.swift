import CooperageCore
import Foundation
import Testing

/// OCDS packages of Master Agreements and purchases: the mapping, and the offline validator
/// (`Tests/OCDSValidator/check`, lib-cove-ocds) accepting every generated package.
@Suite struct OCDSExporterTests {
    static let publishedAt = Date(timeIntervalSince1970: 1_780_000_000)  // 2026-05-28T20:26:40Z
    static let base = "https://coop.example.org/"

    // MARK: Builders

    static func tenant(
        name: String,
        slug: String,
        state: String = "TX",
        ein: String? = nil,
        uei: String? = nil
    ) -> Tenant {
        Tenant(
            id: UUID(),
            legalName: name,
            slug: slug,
            entityType: .city,
            state: USState(state)!,
            parentId: nil,
            identifiers: TenantIdentifiers(ein: ein, samUei: uei),
            fiscalYearStartMonth: 10,
            status: .active,
            createdAt: publishedAt,
            updatedAt: publishedAt
        )
    }

    static func supplier(name: String, ein: String? = nil) -> Supplier {
        Supplier(
            id: UUID(),
            name: name,
            identifiers: SupplierIdentifiers(ein: ein),
            status: .active,
            statusEffectiveOn: nil,
            statusReason: nil,
            diversityCertifications: [],
            createdAt: publishedAt,
            updatedAt: publishedAt
        )
    }

    static func solicitation(
        lead: Tenant,
        number: String,
        method: AuthorizationContext.SolicitationMethod = .rfp,
        advertised: Bool = true,
        basis: AuthorizationContext.AwardBasis = .bestValue,
        awardDate: String? = "2025-12-01"
    ) -> Solicitation {
        Solicitation(
            id: UUID(),
            leadTenantId: lead.id,
            leadAgencyName: lead.legalName,
            number: number,
            title: "Technology products and services",
            method: method,
            advertisedWhere: advertised ? "State procurement portal" : nil,
            advertisedOn: advertised ? LocalDate(iso8601: "2025-09-01") : nil,
            cooperativeLanguageInSolicitation: true,
            cooperativeLanguageInContract: advertised,
            awardBasis: basis,
            awardDate: awardDate.flatMap { LocalDate(iso8601: $0) },
            createdAt: publishedAt
        )
    }

    static func agreement(
        number: String,
        lead: Tenant,
        solicitation: Solicitation,
        supplier: Supplier,
        categories: [String] = ["43210000"],
        ceilingCents: Int? = nil,
        renewals: [RenewalOption] = [],
        maximumTermEndsOn: String? = nil,
        status: AuthorizationContext.AgreementStatus = .active,
        entityTypes: [EntityType] = [],
        states: [String] = [],
        tiers: [PriceTier] = [],
        documents: [AgreementDocument] = []
    ) -> MasterAgreement {
        MasterAgreement(
            id: UUID(),
            number: number,
            title: "Computers and peripherals",
            leadTenantId: lead.id,
            leadAgencyName: lead.legalName,
            solicitationId: solicitation.id,
            supplierId: supplier.id,
            supplierName: supplier.name,
            categories: categories,
            nigpCodes: ["204-00"],
            effectiveOn: LocalDate(iso8601: "2026-01-01")!,
            expiresOn: LocalDate(iso8601: "2028-12-31")!,
            renewalOptions: renewals,
            maximumTermEndsOn: maximumTermEndsOn.flatMap { LocalDate(iso8601: $0) },
            status: status,
            ceilingCents: ceilingCents,
            committedCents: 0,
            eligibleEntityTypes: entityTypes,
            eligibleStates: states.compactMap(USState.init),
            complianceLetterOnFile: true,
            telecomAttestation200216: true,
            adminFeeBasisPoints: 200,
            priceTiers: tiers,
            documents: documents,
            createdAt: publishedAt.addingTimeInterval(-86_400 * 100),
            updatedAt: publishedAt.addingTimeInterval(-86_400 * 30)
        )
    }

    static func authorization(tenant: Tenant, agreement: MasterAgreement, amountCents: Int) -> AuthorizationRecord {
        let decision = DecisionRecord(
            seq: 1,
            outcome: .approved,
            results: [],
            policyVersion: 3,
            authorizedAmountCents: amountCents,
            validFrom: LocalDate(iso8601: "2026-02-01"),
            validUntil: LocalDate(iso8601: "2026-07-31"),
            trigger: "request",
            decidedAt: publishedAt.addingTimeInterval(-86_400 * 20)
        )
        return AuthorizationRecord(
            id: UUID(),
            tenantId: tenant.id,
            agreementId: agreement.id,
            supplierId: agreement.supplierId,
            amountCents: amountCents,
            purchaseDate: LocalDate(iso8601: "2026-03-02")!,
            category: agreement.categories[0],
            fundingLines: [],
            purpose: "Laptops for the building department",
            evidence: AuthorizationContext.Evidence(),
            outcome: .approved,
            authorizedAmountCents: amountCents,
            validFrom: decision.validFrom,
            validUntil: decision.validUntil,
            policyVersion: 3,
            createdAt: decision.decidedAt,
            decision: decision
        )
    }

    static func order(
        _ authorization: AuthorizationRecord,
        po: String,
        lines: [UsageLine],
        createdAt: Date = publishedAt.addingTimeInterval(-86_400 * 10)
    ) -> UsageRecord {
        UsageRecord(
            id: UUID(),
            kind: .order,
            tenantId: authorization.tenantId,
            authorizationId: authorization.id,
            agreementId: authorization.agreementId,
            supplierId: authorization.supplierId,
            category: lines[0].unspsc,
            poNumber: po,
            orderDate: LocalDate(iso8601: "2026-03-05")!,
            amountCents: lines.reduce(0) { $0 + ($1.totalCents ?? 0) },
            lines: lines,
            reversesId: nil,
            reason: nil,
            source: "agency",
            importId: nil,
            createdAt: createdAt
        )
    }

    static func reversal(of order: UsageRecord, cents: Int, reason: String, daysLater: Double) -> UsageRecord {
        var record = order
        record.id = UUID()
        record.kind = .reversal
        record.amountCents = -cents
        record.reversesId = order.id
        record.reason = reason
        record.createdAt = order.createdAt.addingTimeInterval(86_400 * daysLater)
        return record
    }

    /// Several agreements (with and without ceiling, EIN, renewals) and purchases (one line, several lines,
    /// partly and fully reversed), by name.
    static func scenario() -> [(name: String, package: OCDS.ReleasePackage)] {
        let lead = tenant(name: "Texas Department of Information Resources", slug: "tx-dir", ein: "74-2345678")
        let otherLead = tenant(name: "Region 4 Education Service Center", slug: "region-4", state: "TX")
        let buyer = tenant(name: "City of Palm Coast", slug: "palm-coast", state: "FL", ein: "59-3123456", uei: "ABCDEFGH1234")
        let noEINBuyer = tenant(name: "Flagler County Schools", slug: "flagler-schools", state: "FL")
        let acme = supplier(name: "Acme Computing LLC", ein: "22-2222222")
        let noEINSupplier = supplier(name: "Bolt Services Inc.")

        let s1 = solicitation(lead: lead, number: "DIR-TSO-4160")
        var full = agreement(
            number: "DIR-TSO-4160",
            lead: lead,
            solicitation: s1,
            supplier: acme,
            ceilingCents: 2_500_000_000,
            renewals: [RenewalOption(years: 1, exercised: true), RenewalOption(years: 2)],
            maximumTermEndsOn: "2031-12-31",
            entityTypes: [.city, .county, .k12],
            states: ["TX", "FL"],
            tiers: [
                PriceTier(minVolumeCents: 0, discountBasisPoints: 0),
                PriceTier(minVolumeCents: 10_000_000, discountBasisPoints: 250),
            ],
            documents: [
                AgreementDocument(
                    title: "Signed contract",
                    url: "https://dir.texas.gov/contracts/DIR-TSO-4160.pdf",
                    sha256: String(repeating: "ab", count: 32)
                )
            ]
        )
        full.amendments = amendments
        let s2 = solicitation(
            lead: otherLead,
            number: "IFB 22/8",
            method: .ifb,
            advertised: false,
            basis: .lowestResponsibleBidder,
            awardDate: nil
        )
        let bare = agreement(
            number: "R4 22/8 (IT)",
            lead: otherLead,
            solicitation: s2,
            supplier: noEINSupplier,
            categories: ["81110000", "81111800"]
        )
        let s3 = solicitation(lead: lead, number: "CSP-2024-09", method: .csp)
        let terminated = agreement(
            number: "CSP-2024-09",
            lead: lead,
            solicitation: s3,
            supplier: acme,
            categories: ["43211500", "81110000"],
            ceilingCents: 99,
            status: .terminated
        )

        let a1 = authorization(tenant: buyer, agreement: full, amountCents: 5_000_000)
        let single = order(
            a1,
            po: "PO-2026-0042",
            lines: [UsageLine(description: "Laptop, 14 inch", unspsc: "43211503", quantity: 25, unitPriceCents: 109_999)]
        )
        let multiLines = [
            UsageLine(
                description: "Docking station",
                unspsc: "43211602",
                quantity: 10,
                unitPriceCents: 18_950,
                listPriceCents: 22_000
            ),
            UsageLine(description: "Monitor, 27 inch", unspsc: "43211902", quantity: 12, unitPriceCents: 24_900),
            UsageLine(description: "Cable, USB-C, per foot", unspsc: "43202222", quantity: 2.5, unitPriceCents: 199),
        ]
        let multi = order(a1, po: "PO 2026/0043", lines: multiLines)
        let partial = reversal(of: multi, cents: 24_900, reason: "One monitor returned damaged", daysLater: 3)

        let a2 = authorization(tenant: noEINBuyer, agreement: bare, amountCents: 1_000_000)
        let services = order(
            a2,
            po: "FCS-77",
            lines: [UsageLine(description: "Network support, hours", unspsc: "81111801", quantity: 40, unitPriceCents: 12_500)]
        )
        let reversedFirst = reversal(of: services, cents: 200_000, reason: "Hours not delivered", daysLater: 1)
        let reversedRest = reversal(of: services, cents: 300_000, reason: "Order cancelled", daysLater: 2)

        func agreementPackage(_ agreement: MasterAgreement, _ solicitation: Solicitation, _ supplier: Supplier, _ lead: Tenant)
            -> OCDS.ReleasePackage
        {
            OCDSExporter.agreementPackage(
                agreement: agreement,
                solicitation: solicitation,
                supplier: supplier,
                lead: lead,
                publishedAt: publishedAt,
                baseURI: base
            )
        }
        func purchase(
            _ usage: UsageRecord,
            _ authorization: AuthorizationRecord,
            _ agreement: MasterAgreement,
            _ supplier: Supplier,
            _ buyer: Tenant,
            _ reversals: [UsageRecord]
        ) -> OCDS.ReleasePackage {
            OCDSExporter.purchasePackage(
                usage: usage,
                authorization: authorization,
                agreement: agreement,
                supplier: supplier,
                buyer: buyer,
                reversals: reversals,
                publishedAt: publishedAt,
                baseURI: base
            )
        }
        return [
            ("agreement-full", agreementPackage(full, s1, acme, lead)),
            ("agreement-bare", agreementPackage(bare, s2, noEINSupplier, otherLead)),
            ("agreement-terminated", agreementPackage(terminated, s3, acme, lead)),
            ("purchase-single", purchase(single, a1, full, acme, buyer, [])),
            ("purchase-multi-reversed", purchase(multi, a1, full, acme, buyer, [partial])),
            ("purchase-fully-reversed", purchase(services, a2, bare, noEINSupplier, noEINBuyer, [reversedRest, reversedFirst])),
        ]
    }

    /// The first renewal option exercised, then the administrative fee amended (terms version 2).
    static let amendments = [
        AgreementAmendment(
            id: UUID(),
            seq: 1,
            kind: .renewal,
            effectiveOn: LocalDate(iso8601: "2026-03-02")!,
            rationale: nil,
            renewalOption: 1,
            renewalYears: 1,
            changes: ["expiresOn": .init(from: .string("2027-12-31"), to: .string("2028-12-31"))],
            recordedAt: publishedAt.addingTimeInterval(-86_400 * 60)
        ),
        AgreementAmendment(
            id: UUID(),
            seq: 2,
            kind: .terms,
            effectiveOn: LocalDate(iso8601: "2026-04-01")!,
            rationale: "Amendment 2: fee raised by the board",
            termsVersion: 2,
            changes: ["adminFeeBasisPoints": .init(from: .int(150), to: .int(200))],
            recordedAt: publishedAt.addingTimeInterval(-86_400 * 30)
        ),
    ]

    static func json(_ package: OCDS.ReleasePackage) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: OCDSExporter.encode(package)) as? [String: Any])
    }

    static func release(_ package: OCDS.ReleasePackage) throws -> [String: Any] {
        try #require((try json(package)["releases"] as? [[String: Any]])?.first)
    }

    // MARK: Validator

    @Test func everyGeneratedPackagePassesTheOfflineValidator() throws {
        let packages = Self.scenario()
        // OCDS_EXPORT_DIR keeps the packages (for inspection or a CI artifact); otherwise a temporary folder.
        let keep = ProcessInfo.processInfo.environment["OCDS_EXPORT_DIR"].map { URL(fileURLWithPath: $0) }
        let folder = try keep ?? OCDSCheck.temporaryFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: folder) } }
        var files: [String] = []
        for (name, package) in packages {
            let file = folder.appendingPathComponent("\(name).json")
            try OCDSExporter.encode(package).write(to: file)
            files.append(file.path)
        }
        let result = try OCDSCheck.run(files)
        print(result.output)
        #expect(result.status == 0, "validator output:\n\(result.output)")
        #expect(result.output.contains("ocds: \(packages.count) passed, 0 failed"), "validator output:\n\(result.output)")
    }

    @Test func aPackageWithAnUndeclaredFieldOrBadCodeFailsTheValidator() throws {
        let folder = try OCDSCheck.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, package) = Self.scenario()[3]
        var unknown = try Self.json(package)
        var releases = try #require(unknown["releases"] as? [[String: Any]])
        releases[0]["usageAuthorization"] = ["id": "PA-1"]
        unknown["releases"] = releases
        var badCode = package
        badCode.releases[0].contracts?[0].status = "reversed"
        let unknownFile = folder.appendingPathComponent("unknown-field.json")
        let badCodeFile = folder.appendingPathComponent("bad-code.json")
        try JSONSerialization.data(withJSONObject: unknown).write(to: unknownFile)
        try OCDSExporter.encode(badCode).write(to: badCodeFile)

        let result = try OCDSCheck.run([unknownFile.path, badCodeFile.path])
        #expect(result.status == 1, "validator output:\n\(result.output)")
        #expect(result.output.contains("ocds: 0 passed, 2 failed"), "validator output:\n\(result.output)")
        #expect(result.output.contains("usageAuthorization"))
        #expect(result.output.contains("reversed"))
    }

    // MARK: Mapping

    @Test func aMasterAgreementIsAFrameworkAwardWithoutContracts() throws {
        let package = Self.scenario()[0].package
        let document = try Self.json(package)
        #expect(document["version"] as? String == "1.1")
        #expect((document["uri"] as? String)?.hasPrefix("https://coop.example.org/v1/exports/ocds/agreements/") == true)
        #expect(document["publishedDate"] as? String == "2026-05-28T20:26:40Z")
        #expect(document["extensions"] as? [String] == [OCDSExporter.techniquesExtension])
        #expect(document["license"] as? String == "https://creativecommons.org/publicdomain/zero/1.0/")

        let release = try Self.release(package)
        #expect(release["ocid"] as? String == "ocds-cooperage-MA-DIR-TSO-4160")
        // Renewed and amended since its award (``amendments``).
        #expect(release["tag"] as? [String] == ["award", "awardUpdate"])
        #expect(release["contracts"] == nil)
        let parties = try #require(release["parties"] as? [[String: Any]])
        #expect(parties.map { $0["id"] as? String } == ["US-EIN-742345678", "US-EIN-222222222"])
        #expect(parties[0]["roles"] as? [String] == ["buyer", "procuringEntity"])
        #expect((release["buyer"] as? [String: Any])?["id"] as? String == "US-EIN-742345678")

        let tender = try #require(release["tender"] as? [String: Any])
        #expect(tender["id"] as? String == "DIR-TSO-4160")
        #expect(tender["procurementMethod"] as? String == "open")
        #expect(tender["mainProcurementCategory"] as? String == "goods")
        #expect((tender["value"] as? [String: Any])?["amount"] as? Double == 25_000_000)
        let period = try #require(tender["contractPeriod"] as? [String: Any])
        #expect(period["startDate"] as? String == "2026-01-01T00:00:00Z")
        #expect(period["endDate"] as? String == "2028-12-31T23:59:59Z")
        #expect(period["maxExtentDate"] as? String == "2031-12-31T23:59:59Z")
        let techniques = try #require(tender["techniques"] as? [String: Any])
        #expect(techniques["hasFrameworkAgreement"] as? Bool == true)
        let framework = try #require(techniques["frameworkAgreement"] as? [String: Any])
        #expect(framework["method"] as? String == "withoutReopeningCompetition")
        let categories = try #require(framework["buyerCategories"] as? String)
        #expect(categories.contains("cities, counties, K-12 school districts"))
        #expect(categories.contains("in TX, FL"))
        let items = try #require(tender["items"] as? [[String: Any]])
        #expect((items[0]["classification"] as? [String: Any])?["scheme"] as? String == "UNSPSC")

        let award = try #require((release["awards"] as? [[String: Any]])?.first)
        #expect(award["status"] as? String == "active")
        #expect(award["date"] as? String == "2025-12-01T00:00:00Z")
        #expect((award["value"] as? [String: Any])?["amount"] as? Double == 25_000_000)
        #expect((award["suppliers"] as? [[String: Any]])?.first?["name"] as? String == "Acme Computing LLC")
        #expect((award["documents"] as? [[String: Any]])?.count == 1)
    }

    @Test func renewalsAndAmendmentsOfTermsAreAmendmentsOfTheAward() throws {
        let packages = Dictionary(uniqueKeysWithValues: Self.scenario().map { ($0.name, $0.package) })
        let full = try Self.release(try #require(packages["agreement-full"]))
        #expect(full["tag"] as? [String] == ["award", "awardUpdate"])
        #expect(full["contracts"] == nil)
        let award = try #require((full["awards"] as? [[String: Any]])?.first)
        let amendments = try #require(award["amendments"] as? [[String: Any]])
        #expect(amendments.map { $0["id"] as? String } == Self.amendments.map { $0.id.uuidString.lowercased() })
        #expect(amendments.map { $0["date"] as? String } == ["2026-03-02T00:00:00Z", "2026-04-01T00:00:00Z"])
        #expect(
            amendments.map { $0["rationale"] as? String } == [
                "The cooperative exercised a renewal option of the agreement.", "Amendment 2: fee raised by the board",
            ]
        )
        #expect(
            amendments.map { $0["description"] as? String } == [
                "Renewal option 1 exercised (1 year): the term now ends on 2028-12-31 instead of 2027-12-31.",
                "Terms version 2: administrative fee 1.50 % -> 2.00 %.",
            ]
        )
        // An agreement never amended is a plain award.
        let bare = try Self.release(try #require(packages["agreement-bare"]))
        #expect(bare["tag"] as? [String] == ["award"])
        #expect((bare["awards"] as? [[String: Any]])?.first?["amendments"] == nil)
    }

    @Test func anAgreementWithoutCeilingOrEINUsesTheInternalScheme() throws {
        let package = Self.scenario()[1].package
        let release = try Self.release(package)
        #expect(release["ocid"] as? String == OCDSExporter.agreementOCID(MasterAgreementNumber.with("R4 22/8 (IT)")))
        let parties = try #require(release["parties"] as? [[String: Any]])
        for party in parties {
            let id = try #require(party["id"] as? String)
            #expect(id.hasPrefix("X-COOPERAGE-TENANT-") || id.hasPrefix("X-COOPERAGE-SUPPLIER-"))
            let identifier = try #require(party["identifier"] as? [String: Any])
            #expect(id == "\(identifier["scheme"] as? String ?? "")-\(identifier["id"] as? String ?? "")")
        }
        let tender = try #require(release["tender"] as? [String: Any])
        #expect(tender["value"] == nil)
        #expect(tender["procurementMethod"] == nil)
        #expect(tender["awardCriteria"] as? String == "priceOnly")
        #expect(tender["mainProcurementCategory"] as? String == "services")
        #expect((tender["contractPeriod"] as? [String: Any])?["maxExtentDate"] == nil)
        let award = try #require((release["awards"] as? [[String: Any]])?.first)
        #expect(award["value"] == nil)
        let terminated = try Self.release(Self.scenario()[2].package)
        #expect((terminated["awards"] as? [[String: Any]])?.first?["status"] as? String == "cancelled")
        #expect((terminated["tender"] as? [String: Any])?["mainProcurementCategory"] == nil)
        #expect(((terminated["tender"] as? [String: Any])?["value"] as? [String: Any])?["amount"] as? Double == 0.99)
    }

    @Test func aPurchaseIsItsOwnProcessLinkedToTheFramework() throws {
        let package = Self.scenario()[3].package
        let release = try Self.release(package)
        #expect(release["ocid"] as? String == "ocds-cooperage-PO-palm-coast-PO-2026-0042")
        #expect(release["tag"] as? [String] == ["award", "contract"])
        let related = try #require((release["relatedProcesses"] as? [[String: Any]])?.first)
        #expect(related["id"] as? String == "1")
        #expect(related["relationship"] as? [String] == ["framework"])
        #expect(related["scheme"] as? String == "ocid")
        #expect(related["identifier"] as? String == "ocds-cooperage-MA-DIR-TSO-4160")
        #expect((related["title"] as? String)?.contains("DIR-TSO-4160") == true)
        let parties = try #require(release["parties"] as? [[String: Any]])
        #expect(parties[0]["id"] as? String == "US-EIN-593123456")
        #expect(parties[0]["roles"] as? [String] == ["buyer", "procuringEntity", "payer"])
        #expect(parties[1]["roles"] as? [String] == ["supplier", "payee"])
        let tender = try #require(release["tender"] as? [String: Any])
        #expect(tender["competitive"] as? Bool == false)
        #expect(tender["id"] as? String == "PO-2026-0042")
        let rationale = try #require(tender["procurementMethodRationale"] as? String)
        #expect(rationale.hasPrefix("Cooperative purchase authorization "))
        #expect(rationale.contains("approved on 2026-05-08"))
        let award = try #require((release["awards"] as? [[String: Any]])?.first)
        #expect((award["value"] as? [String: Any])?["amount"] as? Double == 27_499.75)
        let item = try #require((award["items"] as? [[String: Any]])?.first)
        #expect(item["quantity"] as? Double == 25)
        #expect(((item["unit"] as? [String: Any])?["value"] as? [String: Any])?["amount"] as? Double == 1_099.99)
        #expect((item["classification"] as? [String: Any])?["id"] as? String == "43211503")
        let contract = try #require((release["contracts"] as? [[String: Any]])?.first)
        #expect(contract["awardID"] as? String == "PO-2026-0042")
        #expect(contract["status"] as? String == "active")
        #expect((contract["value"] as? [String: Any])?["amount"] as? Double == 27_499.75)
        #expect(contract["amendments"] == nil)
    }

    @Test func reversalsReduceTheContractValueAsAmendments() throws {
        let scenario = Self.scenario()
        let partial = try Self.release(scenario[4].package)
        let ocid = try #require(partial["ocid"] as? String)
        #expect(ocid.hasPrefix("ocds-cooperage-PO-palm-coast-PO-2026-0043-"), "a changed PO number keeps a hash: \(ocid)")
        let award = try #require((partial["awards"] as? [[String: Any]])?.first)
        #expect((award["items"] as? [[String: Any]])?.count == 3)
        #expect((award["value"] as? [String: Any])?["amount"] as? Double == 4_887.98)
        let contract = try #require((partial["contracts"] as? [[String: Any]])?.first)
        #expect((contract["value"] as? [String: Any])?["amount"] as? Double == 4_638.98)
        let amendments = try #require(contract["amendments"] as? [[String: Any]])
        #expect(amendments.count == 1)
        #expect(amendments[0]["rationale"] as? String == "One monitor returned damaged")

        let full = try Self.release(scenario[5].package)
        let cancelled = try #require((full["contracts"] as? [[String: Any]])?.first)
        #expect(cancelled["status"] as? String == "cancelled")
        #expect((cancelled["value"] as? [String: Any])?["amount"] as? Double == 0)
        let reasons = (cancelled["amendments"] as? [[String: Any]])?.map { $0["rationale"] as? String }
        #expect(reasons == ["Hours not delivered", "Order cancelled"], "oldest first")
        // The release changes with each reversal, so its id and date follow the latest one.
        #expect((full["id"] as? String)?.hasPrefix("ocds-cooperage-PO-flagler-schools-FCS-77-contract-") == true)
        #expect(full["date"] as? String != partial["date"] as? String)
    }

    @Test func identifiersAreSanitizedStably() {
        #expect(OCDSExporter.sanitized("PO-2026-0042") == "PO-2026-0042")
        let slash = OCDSExporter.sanitized("PO 2026/0043")
        #expect(slash.hasPrefix("PO-2026-0043-") && slash.count == "PO-2026-0043-".count + 8)
        #expect(slash == OCDSExporter.sanitized("PO 2026/0043"))
        #expect(slash != OCDSExporter.sanitized("PO-2026/0043"))
        #expect(OCDSExporter.sanitized("#").count == 8)
        #expect(OCDSExporter.sanitized("Ünïcode PO").allSatisfy { $0.isASCII })
        #expect(OCDS.Value.usd(cents: 12_345).amount == Decimal(string: "123.45"))
        #expect(OCDS.Value.usd(cents: 5).amount == Decimal(string: "0.05"))
    }
}

/// An agreement that differs only by its number, for ocid expectations.
private enum MasterAgreementNumber {
    static func with(_ number: String) -> MasterAgreement {
        let lead = OCDSExporterTests.tenant(name: "Lead", slug: "lead")
        let supplier = OCDSExporterTests.supplier(name: "Supplier")
        let solicitation = OCDSExporterTests.solicitation(lead: lead, number: "S-1")
        return OCDSExporterTests.agreement(number: number, lead: lead, solicitation: solicitation, supplier: supplier)
    }
}

/// Runs the repository's offline OCDS validator (`Tests/OCDSValidator/check`).
enum OCDSCheck {
    struct Result {
        let status: Int32
        let output: String
    }

    /// `Tests/OCDSValidator/check`, found from this file's path; a missing script fails the test.
    static func script() throws -> String {
        let check = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("OCDSValidator/check").standardizedFileURL.path
        try #require(
            FileManager.default.fileExists(atPath: check),
            "The OCDS validator is missing: expected \(check) in the repository."
        )
        return check
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ocds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Runs the validator on `files` through /bin/bash and returns its exit status and combined output.
    /// Its first run creates the validator's virtual environment under a lock, so parallel runs wait for it.
    static func run(_ files: [String]) throws -> Result {
        let check = try script()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [check] + files
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
