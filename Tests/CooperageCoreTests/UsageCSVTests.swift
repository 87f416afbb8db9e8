import CooperageCore
import Foundation
import Testing

@Suite struct UsageCSVTests {
    static let a = "8f6c2a5e-1d0b-4c55-9a57-0e5f3d7c9b21"
    static let b = "0b7d1f3a-9e2c-4a11-8c3d-5f6e7a8b9c0d"
    static let header = "authorization_id,po_number,order_date,description,unspsc,quantity,unit_price_cents,list_price_cents"

    func file(_ rows: String...) -> String {
        ([Self.header] + rows).joined(separator: "\r\n") + "\r\n"
    }

    func issues(_ text: String) -> [UsageCSV.Issue] {
        do {
            _ = try UsageCSV.parse(text)
            return []
        } catch {
            return error.issues
        }
    }

    @Test func rowsWithTheSamePONumberFormOneOrder() throws {
        let parsed = try UsageCSV.parse(
            file(
                "\(Self.a),PO-1,2026-12-03,Laptop 14in,43211503,10,89900,129900",
                "\(Self.a),PO-1,2026-12-03,\"Dock, USB-C\",43211507,10,15000,",
                "\(Self.b),PO-2,2026-12-04,Support hours,81111811,2.5,12000,",
                "\(Self.a),PO-1,2026-12-03,Cables,43211507,3,999,1299"
            )
        )
        #expect(parsed.orders.count == 2)
        #expect(parsed.lineNumbers == [[2, 3, 5], [4]])
        #expect(parsed.lineCount == 4)
        let first = parsed.orders[0]
        #expect(first.authorizationId == UUID(uuidString: Self.a))
        #expect(first.poNumber == "PO-1")
        #expect(first.orderDate.description == "2026-12-03")
        #expect(first.lines.map(\.description) == ["Laptop 14in", "Dock, USB-C", "Cables"])
        #expect(first.lines.map(\.listPriceCents) == [129900, nil, 1299])
        #expect(first.amountCents == 899_000 + 150_000 + 2_997)
        #expect(first.issues.isEmpty)
        #expect(parsed.orders[1].amountCents == 30_000)
        #expect(parsed.orders[1].lines[0].quantity == 2.5)
    }

    @Test func columnsMayComeInAnyOrderAndListPriceIsOptional() throws {
        let text = """
            Unit_Price_Cents,quantity,unspsc,description,order_date,po_number,authorization_id
            100,1,43211507,Mouse,2026-12-01,PO-9,\(Self.a)
            """
        let parsed = try UsageCSV.parse(text)
        #expect(parsed.orders.count == 1)
        #expect(parsed.orders[0].amountCents == 100)
        #expect(parsed.orders[0].lines[0].listPriceCents == nil)
    }

    @Test func fourDecimalQuantitiesAreAccepted() throws {
        let parsed = try UsageCSV.parse(file("\(Self.a),PO-1,2026-12-03,Cable by the foot,43211507,2.0003,10000,"))
        #expect(parsed.orders[0].amountCents == 20_003)
    }

    @Test func missingUnknownAndRepeatedColumnsAreReportedOnTheHeaderLine() {
        let found = issues("po_number,authorization_id,order_date,description,colour,quantity,quantity\nPO-1\n")
        #expect(found.map(\.pointer) == ["/lines/1/colour", "/lines/1/quantity", "/lines/1/unspsc", "/lines/1/unit_price_cents"])
        #expect(found.allSatisfy { $0.line == 1 })
        #expect(found[0].detail.hasPrefix("line 1: colour: is not a known column"))
        #expect(issues("a/b\n").first?.pointer == "/lines/1/a~1b")
    }

    @Test func anEmptyFileOrAHeaderWithoutRowsIsRefused() {
        #expect(issues("").map(\.line) == [1])
        #expect(issues(Self.header + "\n").first?.detail == "line 1: the file has a header row but no order lines")
    }

    @Test func everyBadValueIsReportedWithItsLineAndColumn() {
        let found = issues(
            file(
                "\(Self.a),PO-1,2026-12-03,Laptop,43211503,1,100,",
                "not-a-uuid,PO-2,2026-12-03,Laptop,43211503,1,100,",
                "\(Self.a),PO-3,2026/12/05,Laptop,43211503,1,100,",
                "\(Self.a),PO-4,2026-12-03,Laptop,43211503,1.00001,12.5,",
                "\(Self.a),PO-5,2026-12-03,Laptop,4321,-1,-3,abc",
                "\(Self.a),PO-6,2026-12-03,,43211503,1,100,",
                "\(Self.a),,2026-12-03,Laptop,43211503,1,100,",
                "\(Self.a),PO-8,2026-12-03,Laptop,43211503,1"
            )
        )
        let located = found.map { "\($0.line) \($0.column ?? "-")" }
        #expect(
            located == [
                "3 authorization_id", "4 order_date", "5 quantity", "5 unit_price_cents", "6 quantity", "6 unit_price_cents",
                "6 list_price_cents", "6 unspsc", "7 description", "8 po_number", "9 -",
            ]
        )
        #expect(
            found.first { $0.line == 4 }?.detail == "line 4: order_date: must be a date written yyyy-MM-dd, not \"2026/12/05\""
        )
        #expect(found.first { $0.line == 7 }?.pointer == "/lines/7/description")
        #expect(found.last?.detail == "line 9: has 6 fields, the header row has 8")
    }

    @Test func aBadUNSPSCIsReportedOnItsOwnRowOfAMultiLineOrder() {
        let found = issues(
            file(
                "\(Self.a),PO-1,2026-12-03,Laptop,43211503,1,100,",
                "\(Self.a),PO-1,2026-12-03,Dock,4321150,1,100,",
                "\(Self.a),PO-1,2026-12-03,Cable,43211507,1,100,"
            )
        )
        #expect(found.map(\.pointer) == ["/lines/3/unspsc"])
        #expect(found[0].detail == "line 3: unspsc: must be an 8-digit UNSPSC code")
    }

    @Test func rowsOfAnOrderMustAgreeOnAuthorizationAndDate() {
        let found = issues(
            file(
                "\(Self.a),PO-1,2026-12-03,Laptop,43211503,1,100,",
                "\(Self.b),PO-1,2026-12-03,Dock,43211507,1,100,",
                "\(Self.a),PO-1,2026-12-04,Cable,43211507,1,100,"
            )
        )
        #expect(found.map(\.pointer) == ["/lines/3/authorization_id", "/lines/4/order_date"])
        #expect(found[1].detail.contains("dated 2026-12-03 on line 2"))
    }

    @Test func anOrderAddingUpToNothingIsRefusedOnItsFirstRow() {
        let found = issues(file("\(Self.a),PO-1,2026-12-03,Free sample,43211503,1,0,"))
        #expect(found.map(\.pointer) == ["/lines/2"])
        #expect(found[0].detail.contains("PO-1 adds up to $0.00"))
    }

    @Test func absurdAmountsAreRefusedWithoutOverflowing() {
        let found = issues(file("\(Self.a),PO-1,2026-12-03,Jet,43211503,1000000,9000000000000000,9000000000000000"))
        #expect(found.map(\.pointer) == ["/lines/2/unit_price_cents", "/lines/2/list_price_cents"])
        #expect(
            issues(file("\(Self.a),PO-1,2026-12-03,Jet,43211503,1,99999999999999999999,")).map(\.pointer) == [
                "/lines/2/unit_price_cents"
            ]
        )
    }

    @Test func lineNumbersFollowQuotedLineBreaks() {
        let found = issues(
            file(
                "\(Self.a),PO-1,2026-12-03,\"Laptop\nwith a two-line\ndescription\",43211503,1,100,",
                "\(Self.a),PO-2,2026-12-32,Laptop,43211503,1,100,"
            )
        )
        #expect(found.map(\.pointer) == ["/lines/5/order_date"])
    }

    @Test func malformedCSVIsReportedWithItsLine() {
        let found = issues(file("\(Self.a),PO-1,2026-12-03,\"Laptop\"14,43211503,1,100,"))
        #expect(found.map(\.line) == [2])
        #expect(found[0].column == nil)
    }

    /// The header row is read first, but what is wrong with it is reported only for a file that is CSV; a
    /// byte order mark and blank lines around it change nothing.
    @Test func aFileThatIsNotCSVIsReportedBeforeWhatItsHeaderLacks() {
        let badHeader = "authorization_id,po_number,colour\r\n"
        #expect(
            issues(badHeader + "\(Self.a),\"PO-1,red\r\n").map(\.detail) == [
                "line 2: a quoted field opened on line 2 is never closed"
            ]
        )
        #expect(issues(badHeader).map(\.column).contains("colour"))
        #expect(issues(badHeader + "\r\n\r\n").map(\.column).contains("order_date"))
        let parsed = try? UsageCSV.parse(
            "\u{FEFF}\r\n" + Self.header + "\r\n\r\n\(Self.a),PO-1,2026-12-03,Laptop,43211503,1,100,\r\n"
        )
        #expect(parsed?.lineNumbers == [[4]])
    }

    @Test func databaseRefusalsAreLocatedOnTheOrdersFirstRow() throws {
        let parsed = try UsageCSV.parse(
            file(
                "\(Self.a),PO-1,2026-12-03,Laptop,43211503,1,100,",
                "\(Self.a),PO-2,2026-12-03,Laptop,43211503,1,100,",
                "\(Self.a),PO-2,2026-12-03,Dock,43211507,1,100,"
            )
        )
        let amount = parsed.issue(
            order: 1,
            pointer: "/amountCents",
            detail: "$2.00 exceeds the $1.00 the authorization still allows"
        )
        #expect(amount.pointer == "/lines/3")
        #expect(amount.detail == "line 3: purchase order PO-2: $2.00 exceeds the $1.00 the authorization still allows")
        let authorization = parsed.issue(
            order: 0,
            pointer: "/authorizationId",
            detail: "no authorization of this agency has this id"
        )
        #expect(authorization.pointer == "/lines/2/authorization_id")
        #expect(authorization.detail == "line 2: authorization_id: no authorization of this agency has this id")
        #expect(parsed.issue(order: 1, pointer: "/lines/1/unspsc", detail: "x").pointer == "/lines/4/unspsc")
        #expect(parsed.issue(order: 1, pointer: "/poNumber", detail: "x").pointer == "/lines/3/po_number")
    }

    /// A file read in pieces gives the same orders, or the same issues, as read in one: orders whose rows
    /// fall in different pieces, issues in every piece.
    @Test func aFileReadInPiecesGivesTheSameOrdersAndIssues() throws {
        var random = SplitMix64(seed: 0x5EED)
        var outcomes = (parsed: 0, refused: 0)
        for round in 0..<200 {
            // Every other file has a few bad values; the others none.
            let faulty = round % 2 == 0
            func pick(_ good: String, _ bad: [String]) -> String { faulty && random.chance(3) ? random.element(of: bad) : good }
            var rows: [String] = []
            for n in 0..<random.int(in: 1...60) {
                let po = "PO-\(random.int(in: 1...15))"
                let authorization = random.chance(80) ? Self.a : pick(Self.b, ["not-a-uuid"])
                let date = pick("2026-12-03", ["2026-12-04", "2026-13-01"])
                let description = random.element(of: ["Laptop", "\"Dock, USB-C\"", "\"Two\nlines\"", "Cable"])
                let quantity = random.element(of: ["1", "2.5", "3"])
                rows.append(
                    "\(authorization),\(po),\(date),\(pick(description, [""])),\(pick("43211503", ["4321"])),"
                        + "\(pick(quantity, ["0", "x"])),\(pick("100", ["-5", ""])),\(n % 3 == 0 ? "150" : "")"
                )
            }
            let text = file(rows.joined(separator: "\r\n"))
            let whole = Result { () throws(UsageCSV.Failure) -> UsageCSV.Parsed in try UsageCSV.parse(text, parts: 1) }
            if case .success = whole { outcomes.parsed += 1 } else { outcomes.refused += 1 }
            for parts in [2, 3, 5] {
                let pieces = Result { () throws(UsageCSV.Failure) -> UsageCSV.Parsed in try UsageCSV.parse(text, parts: parts) }
                #expect(pieces == whole, "round \(round), \(parts) parts")
            }
        }
        // Both outcomes are compared, and a file of this size is cut.
        #expect(outcomes.parsed > 20 && outcomes.refused > 20, "\(outcomes)")
        #expect(
            try CSVReader.recordParts(in: Array(file("\(Self.a),PO-1,2026-12-03,Laptop,43211503,1,100,").utf8), parts: 2).count
                == 2
        )
    }
}
