/// Header names the parser recognizes by their bytes. Recognized names come back as string literals
/// (immortal, never decoded, validated or reference-counted) and tell the head parser which fields
/// decide framing and connection handling, so the common request costs no name allocation at all.
enum HTTP1KnownHeader {
    case host
    case contentLength
    case transferEncoding
    case connection
    case expect
    case upgrade
    case http2Settings
    /// Recognized only to reuse the literal name.
    case other

    /// The lower-cased literal name and kind of `p[start..<end]` if it is a well-known name, matched
    /// case-insensitively; nil otherwise.
    @inline(__always)
    static func match(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> (String, HTTP1KnownHeader)? {
        @inline(__always)
        func eq(_ literal: StaticString) -> Bool {
            HTTP1Bytes.equalsIgnoringCase(p, start, end, literal)
        }
        switch end - start {
        case 2: if eq("te") { return ("te", .other) }
        case 4: if eq("host") { return ("host", .host) }
        case 6:
            if eq("accept") { return ("accept", .other) }
            if eq("expect") { return ("expect", .expect) }
            if eq("cookie") { return ("cookie", .other) }
        case 7: if eq("upgrade") { return ("upgrade", .upgrade) }
        case 10:
            if eq("connection") { return ("connection", .connection) }
            if eq("user-agent") { return ("user-agent", .other) }
        case 12:
            if eq("content-type") { return ("content-type", .other) }
            if eq("x-request-id") { return ("x-request-id", .other) }
        case 13:
            if eq("authorization") { return ("authorization", .other) }
            if eq("cache-control") { return ("cache-control", .other) }
        case 14:
            if eq("content-length") { return ("content-length", .contentLength) }
            if eq("http2-settings") { return ("http2-settings", .http2Settings) }
        case 15:
            if eq("accept-encoding") { return ("accept-encoding", .other) }
            if eq("x-forwarded-for") { return ("x-forwarded-for", .other) }
        case 16: if eq("content-encoding") { return ("content-encoding", .other) }
        case 17: if eq("transfer-encoding") { return ("transfer-encoding", .transferEncoding) }
        case 31: if eq("inference-header-content-length") { return ("inference-header-content-length", .other) }
        default: break
        }
        return nil
    }
}
