/// Byte classes of RFC 9110/9112 grammar, as branch-light bit tests the optimizer inlines into the
/// parser's loops (no table in memory, so no lazy-global check or bounds check per byte).
enum HTTP1ByteClass {
    static let cr: UInt8 = 13
    static let lf: UInt8 = 10
    static let sp: UInt8 = 32
    static let htab: UInt8 = 9
    static let colon: UInt8 = 58
    static let comma: UInt8 = 44
    static let semicolon: UInt8 = 59

    /// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
    /// / DIGIT / ALPHA, as a 128-bit bitmap split in two words (bytes 0–63 and 64–127).
    private static let tokenLow: UInt64 = 0x03FF_6CFA_0000_0000
    private static let tokenHigh: UInt64 = 0x57FF_FFFF_C7FF_FFFE

    @inline(__always)
    static func isToken(_ b: UInt8) -> Bool {
        let word = b < 64 ? tokenLow : (b < 128 ? tokenHigh : 0)
        return (word >> UInt64(b & 63)) & 1 == 1
    }

    /// ASCII lower-casing of one byte (token bytes only ever need A–Z folded).
    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 {
        b &- 65 < 26 ? b | 0x20 : b
    }

    /// field-vchar / SP / HTAB / obs-text: everything but the other control characters and DEL.
    @inline(__always)
    static func isFieldValue(_ b: UInt8) -> Bool {
        (b >= 0x20 && b != 0x7F) || b == htab
    }

    /// Visible ASCII, the characters a request target may contain on the wire.
    @inline(__always)
    static func isTargetChar(_ b: UInt8) -> Bool {
        b &- 0x21 < 0x5E
    }

    @inline(__always)
    static func isOWS(_ b: UInt8) -> Bool { b == sp || b == htab }

    @inline(__always)
    static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 48...57: return Int(b &- 48)
        case 65...70: return Int(b &- 55)
        case 97...102: return Int(b &- 87)
        default: return nil
        }
    }

    /// "0x0D": how error messages name an offending byte.
    static func hex(_ b: UInt8) -> String {
        let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C", "D", "E", "F"]
        return "0x" + String(digits[Int(b >> 4)]) + String(digits[Int(b & 15)])
    }
}
