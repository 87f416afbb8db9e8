import CooperageCore
import Testing

@Suite struct CSVReaderTests {
    func read(_ text: String) throws -> [CSVRecord] {
        try CSVReader.records(in: text)
    }

    func failure(_ text: String) -> CSVError? {
        do {
            _ = try CSVReader.records(in: text)
            return nil
        } catch {
            return error
        }
    }

    @Test func plainFieldsWithCRLFAndLF() throws {
        #expect(
            try read("a,b,c\r\n1,2,3\n4,5,6") == [
                CSVRecord(line: 1, fields: ["a", "b", "c"]),
                CSVRecord(line: 2, fields: ["1", "2", "3"]),
                CSVRecord(line: 3, fields: ["4", "5", "6"]),
            ]
        )
    }

    @Test func aTrailingLineEndAddsNoRecord() throws {
        #expect(try read("a,b\r\n1,2\r\n").count == 2)
        #expect(try read("a,b\n1,2\n").count == 2)
        #expect(try read("").isEmpty)
        #expect(try read("\r\n").isEmpty)
    }

    @Test func emptyFieldsAreKept() throws {
        #expect(
            try read("a,,c\n,,\n") == [
                CSVRecord(line: 1, fields: ["a", "", "c"]),
                CSVRecord(line: 2, fields: ["", "", ""]),
            ]
        )
        #expect(try read("a,b,") == [CSVRecord(line: 1, fields: ["a", "b", ""])])
        #expect(try read("\"\",x") == [CSVRecord(line: 1, fields: ["", "x"])])
    }

    @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
        let text = "name,note\r\n\"Smith, J.\",\"said \"\"hi\"\"\"\r\n\"multi\r\nline\",\"lf\nonly\"\r\nlast,\"\"\"\"\r\n"
        #expect(
            try read(text) == [
                CSVRecord(line: 1, fields: ["name", "note"]),
                CSVRecord(line: 2, fields: ["Smith, J.", "said \"hi\""]),
                CSVRecord(line: 3, fields: ["multi\r\nline", "lf\nonly"]),
                // The record above spans lines 3 to 5.
                CSVRecord(line: 6, fields: ["last", "\""]),
            ]
        )
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        let records = try CSVReader.records(in: [0xEF, 0xBB, 0xBF] + Array("a,b\n1,2\n".utf8))
        #expect(records.first == CSVRecord(line: 1, fields: ["a", "b"]))
        #expect(records.count == 2)
    }

    @Test(arguments: [[0x00], [0x07], [0x7F], [0xC2, 0x85]])
    func controlCharactersAreRefusedNamingTheirLine(_ control: [UInt8]) {
        let bytes = Array("a,b\n1,x".utf8) + control + Array("y\n".utf8)
        #expect(throws: CSVError.self) { try CSVReader.records(in: bytes) }
        do {
            _ = try CSVReader.records(in: bytes)
        } catch {
            #expect(error.line == 2)
        }
        // Tabs and line breaks inside quotes are data.
        #expect((try? CSVReader.records(in: Array("a\n\"x\ty\r\nz\"\n".utf8)))?.count == 2)
    }

    @Test func blankLinesAreSkippedButCounted() throws {
        #expect(
            try read("a\n\n\nb\r\n\r\nc\n\n") == [
                CSVRecord(line: 1, fields: ["a"]),
                CSVRecord(line: 4, fields: ["b"]),
                CSVRecord(line: 6, fields: ["c"]),
            ]
        )
    }

    @Test func unicodeTextIsRead() throws {
        #expect(try read("café,\"naïve, ünïcode\",日本\n") == [CSVRecord(line: 1, fields: ["café", "naïve, ünïcode", "日本"])])
    }

    @Test func anUnclosedQuoteIsAnErrorOnTheLineItOpens() {
        let error = failure("a,b\n1,2\n3,\"open\nstill open\n")
        #expect(error?.line == 3)
        #expect(error?.description.hasPrefix("line 3: a quoted field opened on line 3 is never closed") == true)
    }

    @Test func textAfterAClosingQuoteIsAnError() {
        let error = failure("a,b\n\"x\"y,2\n")
        #expect(error?.line == 2)
        #expect(error?.reason.contains("closing quote") == true)
    }

    @Test func aQuoteInsideAnUnquotedFieldIsAnError() {
        #expect(failure("a,b\n1,2\nab\"c,3\n")?.line == 3)
        // A space before the opening quote makes the field unquoted.
        #expect(failure("a, \"b\"\n")?.line == 1)
    }

    @Test func errorsAfterMultiLineFieldsNameThePhysicalLine() {
        #expect(failure("a,b\n\"one\ntwo\nthree\",x\n4,\"5\"6\n")?.line == 5)
    }

    @Test func invalidUTF8IsAnErrorWithItsLine() {
        let bytes = Array("a,b\n1,".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        #expect(throws: CSVError(line: 2, reason: "the text is not valid UTF-8; save the file as UTF-8")) {
            try CSVReader.records(in: bytes)
        }
    }
}
