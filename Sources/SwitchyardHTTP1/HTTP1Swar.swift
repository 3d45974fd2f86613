/// Eight-bytes-at-a-time scans (SWAR: SIMD within a register) for the two loops that touch every
/// byte of a request head: finding line feeds and validating field values. Each word is loaded
/// unaligned; the per-byte code handles the tail and pinpoints the byte a word test flagged.
enum HTTP1Swar {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Non-zero iff some byte of `x` is zero (exact for the first zero byte, which is all we use).
    @inline(__always)
    private static func hasZeroByte(_ x: UInt64) -> Bool {
        (x &- ones) & ~x & highs != 0
    }

    /// Non-zero iff some byte of `x` is below `n` (n <= 128; bytes >= 0x80 never match).
    @inline(__always)
    private static func hasByteLess(than n: UInt8, _ x: UInt64) -> Bool {
        (x &- ones &* UInt64(n)) & ~x & highs != 0
    }

    /// Offset of the first LF in `start..<end`, or `end`.
    @inline(__always)
    static func firstLF(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int {
        var i = start
        let lfs = ones &* 0x0A
        while i + 8 <= end {
            if hasZeroByte(p.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ lfs) { break }
            i += 8
        }
        while i < end && p[i] != HTTP1ByteClass.lf { i += 1 }
        return i
    }

    /// Offset of the first byte in `start..<end` that may not appear in a field value (a control
    /// character other than HTAB, or DEL), or `end`.
    @inline(__always)
    static func firstInvalidFieldByte(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int {
        var i = start
        let dels = ones &* 0x7F
        while i + 8 <= end {
            let x = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if hasByteLess(than: 0x20, x) || hasZeroByte(x ^ dels) { break }
            i += 8
        }
        while i < end && HTTP1ByteClass.isFieldValue(p[i]) { i += 1 }
        return i
    }
}
