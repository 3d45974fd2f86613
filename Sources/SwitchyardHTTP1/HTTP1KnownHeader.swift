/// The header names that decide framing and connection handling, recognized by their bytes
/// (case-insensitively) so the head parser can act on them as it copies the field.
enum HTTP1KnownHeader {
    case host
    case contentLength
    case transferEncoding
    case connection
    case expect
    case upgrade
    case http2Settings

    /// The kind of `p[start..<end]` if it is one of these names; nil otherwise.
    @inline(__always)
    static func match(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> HTTP1KnownHeader? {
        @inline(__always)
        func eq(_ literal: StaticString) -> Bool {
            HTTP1Bytes.equalsIgnoringCase(p, start, end, literal)
        }
        switch end - start {
        case 4: if eq("host") { return .host }
        case 6: if eq("expect") { return .expect }
        case 7: if eq("upgrade") { return .upgrade }
        case 10: if eq("connection") { return .connection }
        case 14:
            if eq("content-length") { return .contentLength }
            if eq("http2-settings") { return .http2Settings }
        case 17: if eq("transfer-encoding") { return .transferEncoding }
        default: break
        }
        return nil
    }
}
