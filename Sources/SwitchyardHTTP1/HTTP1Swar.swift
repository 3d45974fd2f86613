import SwitchyardCore

/// Eight-bytes-at-a-time scans (SWAR: SIMD within a register) for the loops that touch every
/// byte of a request head: finding line feeds, checking header names and validating field
/// values. Each word is loaded unaligned; the per-byte code handles the tail and, where a word
/// test can flag a byte that is in fact allowed (HTAB among the control characters), the rest.
enum HTTP1Swar {
    /// The offset of the byte a word mask's lowest set bit flags.
    @inline(__always)
    private static func lowest(_ mask: UInt64) -> Int {
        mask.trailingZeroBitCount &>> 3
    }

    /// Offset of the first LF in `start..<end`, or `end`.
    @inline(__always)
    static func firstLF(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int {
        var i = start
        while i + 8 <= end {
            let found = ASCIIWords.equal(ASCIIWords.load(p.baseAddress!, i), HTTP1ByteClass.lf)
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
            let name = ASCIIWords.inRange(w | ASCIIWords.ones &* 0x20, 0x61, 0x7A)   // letters, either case
                | ASCIIWords.inRange(w, 0x30, 0x39) | ASCIIWords.inRange(w, 0x2D, 0x2D)
            let other = ~name & ASCIIWords.highs
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
        while i + 8 <= end {
            let x = ASCIIWords.load(p.baseAddress!, i)
            let flagged = ASCIIWords.below(0x20, x) | ASCIIWords.equal(x, 0x7F)
            if flagged != 0 { i += lowest(flagged); break }   // maybe an HTAB: the byte loop decides
            i += 8
        }
        while i < end && HTTP1ByteClass.isFieldValue(p[i]) { i += 1 }
        return i
    }
}
