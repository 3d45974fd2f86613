import Testing
import SwitchyardCore

@Suite struct StringUTF8BytesTests {
    @Test(arguments: ["", "GET", "x-request-id", "h\u{e9}llo w\u{f6}rld, longer than fifteen bytes", String(repeating: "\u{1F600}", count: 40)])
    func stringsLendTheirUTF8(text: String) {
        #expect(text.withUTF8Bytes { Array($0) } == Array(text.utf8))
        let copy = String(text.dropFirst())   // a string made from a slice
        #expect(copy.withUTF8Bytes { Array($0) } == Array(copy.utf8))
    }

    @Test func resultAndErrorsPassThrough() throws {
        struct Stop: Error {}
        #expect("abc".withUTF8Bytes { $0.count } == 3)
        #expect(throws: Stop.self) { try "abc".withUTF8Bytes { _ -> Int in throw Stop() } }
    }
}
