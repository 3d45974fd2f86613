/// Byte classes of eight ASCII bytes at a time (SWAR: SIMD within a register), for the short runs
/// every request goes through: HTTP/1.1 header names are checked and lower-cased, lines and values
/// scanned, and JSON keys and strings copied and checked (`ByteWords`) a word per step.
///
/// Why: a byte loop costs 8-10 instructions a byte, and the five header names of a typical client
/// request (~76 bytes) took ~1,000 instructions to check and ~850 to lower-case
/// (`instructions.sh binary`). A step here is one unaligned load and about twenty bitwise
/// operations for eight bytes.
///
/// `zeroBytes`, `equal` and `below` use the classic "has a zero byte" trick: `(v − 0x01…01) & ~v &
/// 0x80…80` has the high bit of each zero byte of `v` set — and possibly of bytes *above* a match
/// (the borrow), never below one. Callers only ask whether any byte matches, or which is the
/// lowest, so those extra bits never change an answer.
///
/// `inRange` is exact in every byte: no carry or borrow crosses a byte boundary. Each byte is tested on its low seven
/// bits, where adding a constant of at most 0x80 cannot overflow the byte, and bytes at or above
/// 0x80 are excluded at the end. So the result can be used as a mask (to lower-case) and its lowest
/// set bit locates the first matching byte.
public enum ASCIIWords {
    public static let ones: UInt64 = 0x0101_0101_0101_0101
    public static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes at `p + offset`, the first in the lowest byte.
    @inlinable @inline(__always)
    public static func load(_ p: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        p.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian
    }

    @inlinable @inline(__always)
    public static func store(_ w: UInt64, _ p: UnsafeMutableRawPointer, _ offset: Int) {
        p.storeBytes(of: w.littleEndian, toByteOffset: offset, as: UInt64.self)
    }

    /// The high bit of each zero byte of `w` (exact for the lowest).
    @inlinable @inline(__always)
    public static func zeroBytes(_ w: UInt64) -> UInt64 {
        (w &- ones) & ~w & highs
    }

    /// The high bit of each byte of `w` equal to `byte` (exact for the lowest).
    @inlinable @inline(__always)
    public static func equal(_ w: UInt64, _ byte: UInt8) -> UInt64 {
        zeroBytes(w ^ (ones &* UInt64(byte)))
    }

    /// The high bit of each byte of `w` below `n` (n at most 0x80; bytes from 0x80 never match),
    /// exact for the lowest.
    @inlinable @inline(__always)
    public static func below(_ n: UInt8, _ w: UInt64) -> UInt64 {
        (w &- ones &* UInt64(n)) & ~w & highs
    }

    /// The high bit of each byte of `w` that lies in `lo...hi` (`hi` at most 0x7F), exactly.
    @inlinable @inline(__always)
    public static func inRange(_ w: UInt64, _ lo: UInt8, _ hi: UInt8) -> UInt64 {
        let low7 = w & ~highs
        let atLeastLo = low7 &+ ones &* UInt64(0x80 &- lo)   // high bit set iff byte >= lo
        let aboveHi = low7 &+ ones &* UInt64(0x7F &- hi)     // high bit set iff byte > hi
        return atLeastLo & ~aboveHi & ~w & highs
    }

    /// `w` with its ASCII capital letters lower-cased (0x20 added exactly where the byte is A-Z).
    @inlinable @inline(__always)
    public static func lowercased(_ w: UInt64) -> UInt64 {
        w | inRange(w, 0x41, 0x5A) &>> 2
    }

    /// Copies `count` bytes from `source` to `target` (not overlapping), lower-casing A-Z.
    @inlinable
    public static func copyLowercased(_ target: UnsafeMutableRawPointer, _ source: UnsafeRawPointer, _ count: Int) {
        _ = copy(target, source, count, mapping: lowercased, flagging: { _ in 0 })
    }

    /// Copies `count` bytes from `source` to `target` (not overlapping) a word at a time, each
    /// word through `map` (a per-byte mapping that may be applied twice: lower-casing, identity),
    /// and returns the union of `flag` over the words read (a per-byte test, `0` for none).
    ///
    /// Reads and writes never go past `count`: runs of eight or more end with an overlapping last
    /// word, runs of 4-7 are two overlapping 4-byte halves of one word, and each byte of a shorter
    /// run is tested repeated across a word (so a per-byte test sees only that byte).
    @inlinable @inline(__always)
    public static func copy(_ target: UnsafeMutableRawPointer, _ source: UnsafeRawPointer, _ count: Int,
                            mapping map: (UInt64) -> UInt64, flagging flag: (UInt64) -> UInt64) -> UInt64 {
        var flags: UInt64 = 0
        if count >= 8 {
            var k = 0
            while k &+ 8 < count {
                let w = load(source, k)
                store(map(w), target, k)
                flags |= flag(w)
                k &+= 8
            }
            let w = load(source, count &- 8)
            store(map(w), target, count &- 8)
            flags |= flag(w)
        } else if count >= 4 {
            let a = UInt32(littleEndian: source.loadUnaligned(as: UInt32.self))
            let b = UInt32(littleEndian: source.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self))
            let w = map(UInt64(a) | UInt64(b) << 32)
            target.storeBytes(of: UInt32(truncatingIfNeeded: w).littleEndian, as: UInt32.self)
            target.storeBytes(of: UInt32(truncatingIfNeeded: w &>> 32).littleEndian, toByteOffset: count &- 4, as: UInt32.self)
            flags = flag(UInt64(a) | UInt64(b) << 32)
        } else {
            for k in 0..<count {
                let w = UInt64(source.load(fromByteOffset: k, as: UInt8.self)) &* ones
                target.storeBytes(of: UInt8(truncatingIfNeeded: map(w)), toByteOffset: k, as: UInt8.self)
                flags |= flag(w)
            }
        }
        return flags
    }
}
