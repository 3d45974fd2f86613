/// Byte-level text helpers both codecs (HTTP/1.1 and HTTP/2) use on every request: matching a
/// field against a literal and reading a `Content-Length`, without making a `String`. Inlinable:
/// the codecs call these per header field from other modules, where a plain call measured a few
/// percent of an HTTP/2 request.
public enum HTTPCommonText {
    /// Decimal digits only, as `Content-Length` is written (both codecs parse it with this). Nil
    /// for an empty run or any other byte; values of more than 18 digits saturate to `Int.max`
    /// (they exceed any limit).
    @inlinable
    public static func decimal(_ b: UnsafeRawBufferPointer) -> Int? {
        guard !b.isEmpty else { return nil }
        var value = 0
        for byte in b {
            let d = byte &- 48
            guard d < 10 else { return nil }
            if value > (Int.max - 9) / 10 {
                value = Int.max
            } else if value != Int.max {
                value = value * 10 + Int(d)
            }
        }
        return value
    }

    /// True when `b` starts with the bytes of `literal`.
    @inlinable @inline(__always)
    public static func hasPrefix(_ b: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        return b.count >= n && equals(UnsafeRawBufferPointer(rebasing: b[..<n]), literal)
    }

    /// True when `b` holds exactly the bytes of `literal`.
    @inlinable @inline(__always)
    public static func equals(_ b: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        guard b.count == literal.utf8CodeUnitCount else { return false }
        let l = literal.utf8Start
        for i in 0..<b.count where b[i] != l[i] { return false }
        return true
    }
}

extension HTTPMethod {
    /// The method named by `bytes`: the shared constants for GET, POST and HEAD (no decoding),
    /// otherwise the decoded text.
    @inlinable
    public init(bytes b: UnsafeRawBufferPointer) {
        switch b.count {
        case 3 where HTTPCommonText.equals(b, "GET"): self = .GET
        case 4 where HTTPCommonText.equals(b, "POST"): self = .POST
        case 4 where HTTPCommonText.equals(b, "HEAD"): self = .HEAD
        default: self.init(String(decoding: b, as: UTF8.self))
        }
    }
}

extension StringProtocol {
    /// Without the spaces and tabs around it (HTTP's optional whitespace, RFC 9110 §5.6.3).
    public func trimmingASCIIWhitespace() -> String {
        let u = Array(utf8)
        var lo = 0, hi = u.count
        while lo < hi, u[lo] == 0x20 || u[lo] == 0x09 { lo += 1 }
        while hi > lo, u[hi - 1] == 0x20 || u[hi - 1] == 0x09 { hi -= 1 }
        return String(decoding: u[lo..<hi], as: UTF8.self)
    }
}
