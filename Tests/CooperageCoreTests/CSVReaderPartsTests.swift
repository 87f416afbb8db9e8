import CooperageCore
import Testing

/// A file read in pieces at once reads as it does in one piece: the same records or the same first error.
@Suite struct CSVReaderPartsTests {
    /// Random CSV made of the pieces that make cutting a file hard: quoted fields with commas, doubled
    /// quotes and line breaks, CRLF, LF and lone CR line ends, blank lines, a byte order mark, and now and
    /// then a malformed field or bytes that are not UTF-8.
    static func randomFile(_ random: inout SplitMix64, malformed: Bool) -> [UInt8] {
        var bytes: [UInt8] = random.chance(10) ? [0xEF, 0xBB, 0xBF] : []
        let cells = ["a", "", "12", "x y", "\"q,1\"", "\"two\nlines\"", "\"say \"\"hi\"\"\"", "\"\r\n\"", "\"\"", "é"]
        let ends = ["\n", "\r\n", "\r", "\n\n", "\r\n\r\n"]
        let faults: [[UInt8]] = [Array("\"open".utf8), Array("a\"b".utf8), Array("\"x\"y".utf8), [0xC3, 0x28]]
        for _ in 0..<random.int(in: 0...40) {
            let fields = (0..<random.int(in: 1...4)).map { _ -> [UInt8] in
                malformed && random.chance(2) ? random.element(of: faults) : Array(random.element(of: cells).utf8)
            }
            bytes += Array(fields.joined(separator: [UInt8(ascii: ",")]))
            bytes += Array(random.element(of: ends).utf8)
        }
        if random.chance(30), let last = bytes.last, last == UInt8(ascii: "\n") { bytes.removeLast() }
        return bytes
    }

    static func read(_ bytes: [UInt8], parts: Int) -> Result<[CSVRecord], CSVError> {
        Result { () throws(CSVError) -> [CSVRecord] in try CSVReader.records(in: bytes, parts: parts) }
    }

    @Test func piecesReadAsTheWholeFile() {
        var random = SplitMix64(seed: 0xC5F)
        var cut = 0
        var failed = 0
        for round in 0..<3_000 {
            let bytes = Self.randomFile(&random, malformed: round % 3 == 0)
            let whole = Self.read(bytes, parts: 1)
            if case .failure = whole { failed += 1 }
            for parts in 2...6 {
                #expect(Self.read(bytes, parts: parts) == whole, "round \(round), \(parts) parts")
                if (try? CSVReader.recordParts(in: bytes, parts: parts).count) ?? 0 > 1 { cut += 1 }
            }
        }
        // The comparison means something only if many files were cut and many were refused.
        #expect(cut > 5_000)
        #expect(failed > 300)
    }

    @Test func aFileIsCutOnlyAfterALineFeedOutsideQuotes() throws {
        let text = "a,\"1\n2\n3\n4\"\nb,2\nc,\"x\ny\"\n"
        let pieces = try CSVReader.recordParts(in: Array(text.utf8), parts: 4)
        #expect(pieces.count > 1)
        #expect(Array(pieces.joined()) == (try CSVReader.records(in: text)))
        #expect(pieces.joined().map(\.line) == [1, 5, 6])
    }

    @Test func aSmallFileIsReadInOnePieceByDefault() throws {
        #expect(try CSVReader.recordParts(in: Array("a\nb\nc\n".utf8)).count == 1)
    }
}
