/// Small helpers over ranges of the raw input buffer. The parser works on `(start, end)` offsets into
/// one `UnsafeRawBufferPointer` and makes a `String` only for the target and error messages, so
/// recognizing framing headers and list tokens costs no allocation.
enum HTTP1Bytes {
    /// The bytes `start..<end` as a String (invalid UTF-8 in obs-text becomes U+FFFD).
    @inline(__always)
    static func string(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: p[start..<end]), as: UTF8.self)
    }

    /// Narrows `start..<end` past optional whitespace (SP / HTAB) on both sides.
    @inline(__always)
    static func trimOWS(_ p: UnsafeRawBufferPointer, _ start: inout Int, _ end: inout Int) {
        while start < end && HTTP1ByteClass.isOWS(p[start]) { start += 1 }
        while end > start && HTTP1ByteClass.isOWS(p[end - 1]) { end -= 1 }
    }

    /// Whether `start..<end` equals `lowercaseLiteral` ignoring ASCII case.
    @inline(__always)
    static func equalsIgnoringCase(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int,
                                   _ lowercaseLiteral: StaticString) -> Bool {
        guard end - start == lowercaseLiteral.utf8CodeUnitCount else { return false }
        let lit = lowercaseLiteral.utf8Start
        for k in 0..<(end - start) where HTTP1ByteClass.lower(p[start + k]) != lit[k] {
            return false
        }
        return true
    }

    /// The next element of a comma-separated list (`#element` of RFC 9110 §5.6.1) starting at `pos`,
    /// trimmed of OWS; advances `pos` past the comma. Returns nil once the list is exhausted (`pos`
    /// past `end`). Empty elements, including one after a trailing comma, come back as empty ranges
    /// (the list grammar tolerates them; Content-Length does not: callers decide).
    @inline(__always)
    static func nextListElement(_ p: UnsafeRawBufferPointer, _ pos: inout Int, _ end: Int) -> (Int, Int)? {
        guard pos <= end else { return nil }
        var s = pos
        var e = pos
        while e < end && p[e] != HTTP1ByteClass.comma { e += 1 }
        pos = e + 1
        trimOWS(p, &s, &e)
        return (s, e)
    }
}
