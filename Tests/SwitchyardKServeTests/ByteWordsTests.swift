import Testing
@testable import SwitchyardKServe

/// The word-at-a-time copies and scans give what a byte loop gives, for every length up to 40
/// and bytes of every class (plain, control, quote, backslash, 0x7F, high), at every position.
@Suite struct ByteWordsTests {
    static let classes: [[UInt8]] = [Array(0x20...0x7E).filter { $0 != 0x22 && $0 != 0x5C },
                                     Array(0x00...0x1F), [0x22], [0x5C], [0x7F], Array(0x80...0xFF)]

    static func sample(_ n: Int, _ rng: inout SystemRandomNumberGenerator) -> [UInt8] {
        (0..<n).map { _ in
            // Mostly plain bytes, so that the first special byte lands at every position.
            let cls = Int.random(in: 0..<12, using: &rng) < 10 ? classes[0] : classes.randomElement(using: &rng)!
            return cls.randomElement(using: &rng)!
        }
    }

    @Test func copyAndEscapeCheckAgreeWithAByteLoop() {
        var rng = SystemRandomNumberGenerator()
        for n in 0...40 {
            for _ in 0..<300 {
                let source = Self.sample(n, &rng)
                var target = [UInt8](repeating: 0xAA, count: n + 8)
                let clean = source.withUnsafeBufferPointer { s in
                    target.withUnsafeMutableBufferPointer { t in
                        ByteWords.copyCheckingEscapes(t.baseAddress!, s.baseAddress ?? UnsafePointer(t.baseAddress!), n)
                    }
                }
                #expect(Array(target[..<n]) == source, "length \(n)")
                #expect(target[n...].allSatisfy { $0 == 0xAA }, "wrote past \(n) bytes")
                #expect(clean == !source.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }, "\(source)")
            }
        }
    }

    @Test func firstNonPlainAgreesWithAByteLoop() {
        var rng = SystemRandomNumberGenerator()
        for n in 0...40 {
            for _ in 0..<300 {
                let bytes = Self.sample(n, &rng)
                let expected = bytes.firstIndex { $0 < 0x20 || $0 > 0x7E || $0 == 0x22 || $0 == 0x5C } ?? n
                // The scan is given exactly the n bytes of the array: bytes past them are never
                // looked at (an overlapping last word is not used here; only whole words and bytes).
                let found = bytes.withUnsafeBufferPointer { ByteWords.firstNonPlain($0.baseAddress ?? UnsafePointer(bitPattern: 8)!, n) }
                #expect(found == expected, "\(bytes)")
            }
        }
    }

    @Test func escapedStringsStillComeOutEscaped() {
        var out = JSONOutput(capacity: 8)
        JSONNumberFormatting.appendQuoted("plain name", to: &out)
        JSONNumberFormatting.appendQuoted("a \"quoted\"\\ tab\t and a long tail after it", to: &out)
        let text = String(decoding: out.finish(), as: UTF8.self)
        #expect(text == #""plain name""a \"quoted\"\\ tab\t and a long tail after it""#)
    }
}
