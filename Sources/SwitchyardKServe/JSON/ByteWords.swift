import SwitchyardCore

/// Eight bytes at a time: the short strings of a JSON request or response (names, datatypes,
/// keys, ids) are copied and checked a word per step instead of a byte per step.
///
/// Why: names and keys are 4-20 bytes, and a byte loop costs 5-8 instructions a byte; the key
/// writer alone took ~130 instructions a key (`instructions.sh binary`, 13 keys a response).
/// A step here is one unaligned load (and store) and a few bitwise operations for eight bytes.
/// Reads never go past the given count: a tail shorter than eight is read as an overlapping last
/// word (at count − 8), or as two overlapping 4-byte words when the whole run is 4-7 bytes.
/// The byte tests are `ASCIIWords`' (exact for the lowest match, which is all they are asked).
enum ByteWords {
    /// The eight bytes at `p`, the first in the lowest byte.
    @inline(__always) static func load(_ p: UnsafePointer<UInt8>) -> UInt64 {
        ASCIIWords.load(UnsafeRawPointer(p), 0)
    }

    /// The bytes a JSON string must escape: control characters, `"` and `\`.
    @inline(__always) static func jsonEscaped(_ w: UInt64) -> UInt64 {
        ASCIIWords.below(0x20, w) | ASCIIWords.equal(w, 0x22) | ASCIIWords.equal(w, 0x5C)
    }

    /// How many bytes of `w`, from byte 0 (the first character), are ASCII digits: 0-8.
    /// A digit is 0x30-0x39: high nibble 3, and still 3 after adding 6. A carry out of a byte at
    /// or above 0xFA only disturbs later bytes, after the first non-digit.
    @inline(__always) static func leadingDigits(_ w: UInt64) -> Int {
        let nibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0, threes = ASCIIWords.ones &* 0x30
        let other = ((w & nibbles) ^ threes) | (((w &+ ASCIIWords.ones &* 6) & nibbles) ^ threes)
        return other.trailingZeroBitCount &>> 3   // 64 / 8 when all eight are digits
    }

    /// The number written by eight digit values (0-9, byte 0 the most significant): the word of
    /// eight ASCII digits minus `0x30…30`. Pairs, then fours, then all eight, in three
    /// multiplications.
    @inline(__always) static func eightDigits(_ digits: UInt64) -> UInt64 {
        let pairs = (digits &* 10) &+ (digits &>> 8)
        let low: UInt64 = 0x0000_00FF_0000_00FF
        return (((pairs & low) &* (100 &+ (1_000_000 &<< 32))) &+ (((pairs &>> 16) & low) &* (1 &+ (10_000 &<< 32)))) &>> 32
    }

    /// Copies `n` bytes from `source` to `target` (which do not overlap) and tells whether any
    /// of them is one a JSON string must escape.
    @inline(__always)
    static func copyCheckingEscapes(_ target: UnsafeMutablePointer<UInt8>, _ source: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        copy(target, source, n, checking: true)
    }

    /// Copies `n` bytes (no check): keys and literals known at compile time.
    @inline(__always)
    static func copy(_ target: UnsafeMutablePointer<UInt8>, _ source: UnsafePointer<UInt8>, _ n: Int) {
        _ = copy(target, source, n, checking: false)
    }

    /// The copy for both (`ASCIIWords.copy`): with `checking` a constant false at the call, the
    /// checks fold away.
    @inline(__always)
    private static func copy(_ target: UnsafeMutablePointer<UInt8>, _ source: UnsafePointer<UInt8>, _ n: Int,
                             checking: Bool) -> Bool {
        ASCIIWords.copy(UnsafeMutableRawPointer(target), UnsafeRawPointer(source), n, mapping: { $0 },
                        flagging: { checking ? jsonEscaped($0) : 0 }) == 0
    }

    /// The offset from `p` of the first byte that is not printable ASCII (0x20-0x7E) or is `"`
    /// or `\`, looking at most `n` bytes; `n` when there is none. The fast request reader's
    /// strings end at the first such byte (a `"`) or are left to the library.
    @inline(__always)
    static func firstNonPlain(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var k = 0
        while n &- k >= 8 {
            let w = load(p + k)
            // ≥ 0x7F: 0x7F itself, or the high bit set.
            let flags = jsonEscaped(w) | ASCIIWords.equal(w, 0x7F) | (w & ASCIIWords.highs)
            if flags != 0 { return k &+ flags.trailingZeroBitCount &>> 3 }
            k &+= 8
        }
        while k < n {
            let c = p[k]
            if c < 0x20 || c > 0x7E || c == 0x22 || c == 0x5C { return k }
            k &+= 1
        }
        return n
    }
}
