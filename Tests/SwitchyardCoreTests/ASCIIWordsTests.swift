import SwitchyardCore
import Testing

/// The word-at-a-time byte classes against their byte-at-a-time definitions: every byte value in
/// every position of a word, among neighbours that would expose a carry or borrow across bytes.
@Suite struct ASCIIWordsTests {
    static func word(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { ASCIIWords.load($0.baseAddress!, 0) }
    }

    /// Neighbour bytes around the byte under test: the edges of the ranges, 0x00, 0x7F, 0x80, 0xFF.
    static let neighbours: [UInt8] = [0x00, 0x2C, 0x2D, 0x2E, 0x40, 0x41, 0x5A, 0x5B, 0x7F, 0x80, 0xFF, 0x61, 0x7A]

    @Test func inRangeFlagsExactlyTheBytesInTheRange() {
        let ranges: [(UInt8, UInt8)] = [(0x41, 0x5A), (0x61, 0x7A), (0x30, 0x39), (0x2D, 0x2D), (0x00, 0x1F), (0x00, 0x7F), (0x7F, 0x7F)]
        for (lo, hi) in ranges {
            for neighbour in Self.neighbours {
                for lane in 0..<8 {
                    for value in 0...255 {
                        var bytes = [UInt8](repeating: neighbour, count: 8)
                        bytes[lane] = UInt8(value)
                        let expected = Self.word(bytes.map { $0 >= lo && $0 <= hi ? 0x80 : 0 })
                        if ASCIIWords.inRange(Self.word(bytes), lo, hi) != expected {
                            Issue.record("range \(lo)...\(hi): \(bytes)")
                            return
                        }
                    }
                }
            }
        }
    }

    @Test func lowercasedChangesOnlyCapitalLetters() {
        for neighbour in Self.neighbours {
            for lane in 0..<8 {
                for value in 0...255 {
                    var bytes = [UInt8](repeating: neighbour, count: 8)
                    bytes[lane] = UInt8(value)
                    let expected = Self.word(bytes.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 })
                    if ASCIIWords.lowercased(Self.word(bytes)) != expected {
                        Issue.record("lower-cased \(bytes)")
                        return
                    }
                }
            }
        }
    }

    @Test func copyLowercasedMatchesAByteLoopAndWritesNothingPastTheEnd() {
        var rng = SystemRandomNumberGenerator()
        for count in 0...40 {
            for _ in 0..<20 {
                let source = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
                var target = [UInt8](repeating: 0xEE, count: count + 8)
                source.withUnsafeBytes { s in
                    target.withUnsafeMutableBytes { t in
                        ASCIIWords.copyLowercased(t.baseAddress!, s.baseAddress ?? UnsafeRawPointer(t.baseAddress!), count)
                    }
                }
                let expected = source.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }
                #expect(Array(target[0..<count]) == expected, "count \(count)")
                #expect(target[count...].allSatisfy { $0 == 0xEE }, "wrote past \(count) bytes")
            }
        }
    }
}
