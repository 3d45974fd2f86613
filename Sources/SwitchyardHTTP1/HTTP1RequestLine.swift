import SwitchyardCore

/// The request line (RFC 9112 §3): `method SP request-target SP HTTP-version`, parsed from one line
/// of the input buffer without its line ending.
struct HTTP1RequestLine {
    var method: HTTPMethod
    var target: String
    var version: HTTPVersion

    static func parse(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int) throws(HTTP1ParseError) -> HTTP1RequestLine {
        // Method: one or more token characters up to the first SP.
        var i = start
        while i < end && HTTP1ByteClass.isToken(p[i]) { i += 1 }
        if i == end { throw .badRequest("malformed request line: no request target") }
        if p[i] != HTTP1ByteClass.sp { throw .invalidCharacter(p[i], in: "method") }
        if i == start { throw .badRequest("malformed request line: empty method") }
        let method = HTTP1RequestLine.method(p, start, i)

        // Target: visible ASCII up to the next SP.
        let targetStart = i + 1
        var j = targetStart
        while j < end && HTTP1ByteClass.isTargetChar(p[j]) { j += 1 }
        if j == end { throw .badRequest("malformed request line: no HTTP version") }
        if p[j] != HTTP1ByteClass.sp { throw .invalidCharacter(p[j], in: "request target") }
        if j == targetStart { throw .badRequest("malformed request line: empty request target") }

        let version = try HTTP1RequestLine.version(p, j + 1, end)
        let target = try HTTP1RequestLine.target(p, targetStart, j, method: method)
        return HTTP1RequestLine(method: method, target: target, version: version)
    }

    /// Common methods come back as the shared constants (their Strings are literals, not decoded).
    @inline(__always)
    private static func method(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> HTTPMethod {
        HTTPMethod(bytes: UnsafeRawBufferPointer(rebasing: p[start..<end]))
    }

    /// `HTTP/1.1` and `HTTP/1.0` are served; any other well-formed `HTTP/<digits>[.<digits>]` is 505;
    /// anything else is a malformed request line (400).
    private static func version(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int) throws(HTTP1ParseError) -> HTTPVersion {
        for k in start..<end where !HTTP1ByteClass.isTargetChar(p[k]) {
            throw .invalidCharacter(p[k], in: "HTTP version")
        }
        let prefix: StaticString = "HTTP/"
        let plen = prefix.utf8CodeUnitCount
        var wellFormedPrefix = end - start > plen
        if wellFormedPrefix {
            for k in 0..<plen where p[start + k] != prefix.utf8Start[k] { wellFormedPrefix = false; break }
        }
        guard wellFormedPrefix else {
            throw .badRequest("malformed request line: invalid HTTP version \"\(HTTP1Bytes.string(p, start, end))\"")
        }
        let v = start + plen
        if end - v == 3 && p[v] == 49 && p[v + 1] == 46 && (p[v + 2] == 49 || p[v + 2] == 48) {
            return p[v + 2] == 49 ? .http1_1 : .http1_0
        }
        // Well-formed but unsupported (HTTP/2.0, HTTP/3, HTTP/1.2, ...) -> 505; otherwise 400.
        var k = v
        var majorDigits = 0
        while k < end && p[k] &- 48 < 10 { k += 1; majorDigits += 1 }
        var minorOK = true
        if k < end {
            if p[k] == 46 {
                k += 1
                let minorStart = k
                while k < end && p[k] &- 48 < 10 { k += 1 }
                minorOK = k > minorStart
            } else {
                minorOK = false
            }
        }
        let text = HTTP1Bytes.string(p, start, end)
        if majorDigits > 0 && minorOK && k == end {
            throw HTTP1ParseError(status: .httpVersionNotSupported, message: "HTTP version \"\(text)\" is not supported")
        }
        throw .badRequest("malformed request line: invalid HTTP version \"\(text)\"")
    }

    /// Origin form as is; absolute form (`http://host/path?q`) reduced to its origin form; `*` only
    /// for OPTIONS. Authority form (CONNECT) is not served by this gateway.
    private static func target(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int,
                               method: HTTPMethod) throws(HTTP1ParseError) -> String {
        let first = p[start]
        if first == 47 { return HTTP1Bytes.string(p, start, end) }   // "/"
        if first == 42 && end - start == 1 {                          // "*"
            if method == .OPTIONS { return "*" }
            throw .badRequest("request target \"*\" is only allowed with OPTIONS")
        }
        var afterScheme = -1
        if end - start > 7 && HTTP1Bytes.equalsIgnoringCase(p, start, start + 7, "http://") {
            afterScheme = start + 7
        } else if end - start > 8 && HTTP1Bytes.equalsIgnoringCase(p, start, start + 8, "https://") {
            afterScheme = start + 8
        }
        guard afterScheme >= 0 else {
            throw .badRequest("invalid request target \"\(HTTP1Bytes.string(p, start, end))\"")
        }
        var k = afterScheme
        while k < end && p[k] != 47 && p[k] != 63 && p[k] != 35 { k += 1 }   // up to "/", "?" or "#"
        if k == afterScheme {
            throw .badRequest("absolute request target without a host \"\(HTTP1Bytes.string(p, start, end))\"")
        }
        if k == end || p[k] == 35 { return "/" }
        if p[k] == 63 { return "/" + HTTP1Bytes.string(p, k, end) }
        return HTTP1Bytes.string(p, k, end)
    }
}
