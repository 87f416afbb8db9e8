import CooperageCore
import Foundation
import Testing

@Suite("money, JSON values and UNSPSC")
struct ValueFormattingTests {
    @Test(arguments: [
        (0, "$0.00"), (5, "$0.05"), (99, "$0.99"), (100, "$1.00"), (123_456, "$1,234.56"), (3_000_000, "$30,000.00"),
        (100_000_000_000, "$1,000,000,000.00"), (-5, "-$0.05"), (-123_456, "-$1,234.56"),
        (Int.min, "-$92,233,720,368,547,758.08"),
    ])
    func dollars(cents: Int, text: String) {
        #expect(MoneyFormatter.dollars(cents: cents) == text)
    }

    @Test func jsonValuesDecodeAndRoundTrip() throws {
        let json = #"{"a": null, "b": true, "c": 3000000, "d": 1.5, "e": "x", "f": [1, "two"], "g": {"h": false}}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        let expected: JSONValue = [
            "a": .null, "b": true, "c": 3_000_000, "d": 1.5, "e": "x", "f": [1, "two"], "g": ["h": false],
        ]
        #expect(value == expected)
        #expect(value["c"]?.intValue == 3_000_000)
        #expect(value["d"]?.intValue == nil)
        #expect(try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value)) == value)
    }

    @Test func unspscScopes() {
        #expect(UNSPSC.isCode("43211503"))
        #expect(!UNSPSC.isCode("4321150"))
        #expect(!UNSPSC.isCode("4321150a"))
        #expect(UNSPSC.significantPrefix(of: "43210000") == "4321")
        #expect(UNSPSC.significantPrefix(of: "43000000") == "43")
        #expect(UNSPSC.significantPrefix(of: "00000000") == "00")
        #expect(UNSPSC.code("43211503", isUnder: "43210000"))
        #expect(UNSPSC.code("43211503", isUnder: "432115"))
        #expect(!UNSPSC.code("43221503", isUnder: "43210000"))
        #expect(CategoryClass.goods.contains(category: "43211503"))
        #expect(!CategoryClass.goods.contains(category: "72121000"))
        #expect(CategoryClass.publicWorks.contains(category: "72121000"))
    }
}
