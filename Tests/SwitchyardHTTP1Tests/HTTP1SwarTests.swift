@testable import SwitchyardHTTP1
import Testing

/// The head parser's word-at-a-time scans against byte loops: runs of 0-24 bytes (three words and every tail) with one special
/// byte (every value) at every position, and scans that start and end inside a larger buffer.
@Suite struct HTTP1SwarTests {
    typealias Scan = (UnsafeRawBufferPointer, Int, Int) -> Int

    /// Runs `scan` and `oracle` over `filler` runs with `value` planted at each position.
    static func compare(filler: UInt8, _ scan: Scan, _ oracle: (UInt8) -> Bool, _ what: String) {
        // Two bytes of context on each side: the scans must not look outside start..<end.
        var bytes = [UInt8](repeating: 0x0A, count: 24 + 4)
        for count in 0...24 {
            for i in 0..<bytes.count { bytes[i] = 2 <= i && i < 2 + count ? filler : 0x0A }
            for position in 0..<max(count, 1) {
                for value in 0...255 {
                    if count > 0 { bytes[2 + position] = UInt8(value) }
                    let found = bytes.withUnsafeBytes { scan($0, 2, 2 + count) }
                    let expected = (2..<(2 + count)).first { !oracle(bytes[$0]) } ?? 2 + count
                    if count > 0 { bytes[2 + position] = filler }
                    if found != expected {
                        Issue.record("\(what): \(count) bytes, \(value) at \(position): \(found) instead of \(expected)")
                        return
                    }
                }
            }
        }
    }

    @Test func firstLFFindsTheFirstLineFeed() {
        Self.compare(filler: 0x61, HTTP1Swar.firstLF, { $0 != 0x0A }, "firstLF")
    }

    @Test func commonNameEndStopsAtTheFirstByteOutsideLettersDigitsAndDash() {
        for filler in Array("aZ0-".utf8) {
            Self.compare(filler: filler, { p, s, e in
                // The scan may stop early only on a tail shorter than a word; it never passes a byte
                // outside the class.
                let stop = HTTP1Swar.commonNameEnd(p, s, e)
                var i = stop
                while i < e && (HTTP1ByteClass.isToken(p[i]) && (p[i] == 0x2D || p[i] & 0xDF >= 0x41 && p[i] & 0xDF <= 0x5A
                                                                 || p[i] >= 0x30 && p[i] <= 0x39)) { i += 1 }
                // A stop inside the words that the byte loop then passes is a wrong class test.
                return stop >= e - 7 || stop == i ? i : -1
            }, { $0 == 0x2D || ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) }, "commonNameEnd")
        }
    }

    @Test func firstInvalidFieldByteAdmitsHTABAndObsText() {
        Self.compare(filler: 0x20, HTTP1Swar.firstInvalidFieldByte, HTTP1ByteClass.isFieldValue, "firstInvalidFieldByte")
        Self.compare(filler: 0x09, HTTP1Swar.firstInvalidFieldByte, HTTP1ByteClass.isFieldValue, "firstInvalidFieldByte after tabs")
    }
}
