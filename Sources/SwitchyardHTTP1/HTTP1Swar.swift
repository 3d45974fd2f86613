import SwitchyardCore

/// Eight-bytes-at-a-time scans (SWAR: SIMD within a register) for the loops that touch every
/// byte of a request head: finding line feeds, checking header names and validating field
/// values. Each word is loaded unaligned; the per-byte code handles the tail and, where a word
/// test can flag a byte that is in fact allowed (HTAB among the control characters), the rest.
enum HTTP1Swar {
    private static let ones = ASCIIWords.ones
    private static let highs = ASCIIWords.highs

    /// The high bit of each zero byte of `x`, exact for the lowest (a borrow can flag bytes above
    /// a zero byte, never below one), which is all the scans use.
    @inline(__always)
    private static func zeroBytes(_ x: UInt64) -> UInt64 {
        (x &- ones) & ~x & highs
    }

    /// The high bit of each byte of `x` below `n` (n <= 128; bytes >= 0x80 never match), exact
    /// for the lowest.
    @inline(__always)
    private static func bytesLess(than n: UInt8, _ x: UInt64) -> UInt64 {
        (x &- ones &* UInt64(n)) & ~x & highs
    }

    /// The offset of the byte a word mask's lowest set bit flags.
    @inline(__always)
    private static func lowest(_ mask: UInt64) -> Int {
        mask.trailingZeroBitCount &>> 3
    }

    /// Offset of the first LF in `start..<end`, or `end`.
    @inline(__always)
    static func firstLF(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int {
        var i = start
        let lfs = ones &* 0x0A
        while i + 8 <= end {
            let found = zeroBytes(ASCIIWords.load(p.baseAddress!, i) ^ lfs)
            if found != 0 { return i + lowest(found) }
            i += 8
        }
        while i < end && p[i] != HTTP1ByteClass.lf { i += 1 }
        return i
    }

    /// Offset of the first byte in `start..<end` that is not a letter, a digit or `-`, or `end`:
    /// the characters nearly every header name is made of. The caller goes on byte by byte from
    /// there with the full `tchar` class (which also admits `!#$%&'*+.^_`|~`).
    @inline(__always)
    static func commonNameEnd(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int {
        var i = start
        while i + 8 <= end {
            let w = ASCIIWords.load(p.baseAddress!, i)
            let name = ASCIIWords.inRange(w | ones &* 0x20, 0x61, 0x7A)   // letters, either case
                | ASCIIWords.inRange(w, 0x30, 0x39) | ASCIIWords.inRange(w, 0x2D, 0x2D)
            let other = ~name & highs
            if other != 0 { return i + lowest(other) }
            i += 8
        }
        return i
    }

    /// Offset of the first byte in `start..<end` that may not appear in a field value (a control
    /// character other than HTAB, or DEL), or `end`.
    @inline(__always)
    static func firstInvalidFieldByte(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int {
        var i = start
        let dels = ones &* 0x7F
        while i + 8 <= end {
            let x = ASCIIWords.load(p.baseAddress!, i)
            let flagged = bytesLess(than: 0x20, x) | zeroBytes(x ^ dels)
            if flagged != 0 { i += lowest(flagged); break }   // maybe an HTAB: the byte loop decides
            i += 8
        }
        while i < end && HTTP1ByteClass.isFieldValue(p[i]) { i += 1 }
        return i
    }
}
