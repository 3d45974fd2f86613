import SwitchyardCore

/// Request field names common enough to be returned as string literals.
///
/// nghttp2 hands every field over as bytes (names already lower-case on the HTTP/2 wire); these
/// come back as immortal literals instead of decoded `String`s. Common values and methods are
/// shared with HTTP/1.1 (`HTTPCommonText`, `HTTPMethod(bytes:)`); HTTP/1.1 has its own name table,
/// `HTTP1KnownHeader`, because it matches case-insensitively and classifies framing headers.
enum HTTP2KnownField {
    static func name(_ b: UnsafeRawBufferPointer) -> String? {
        @inline(__always) func eq(_ literal: StaticString) -> Bool { HTTPCommonText.equals(b, literal) }
        switch b.count {
        case 2: return eq("te") ? "te" : nil
        case 4: return eq("host") ? "host" : nil
        case 6:
            if eq("accept") { return "accept" }
            return eq("cookie") ? "cookie" : nil
        case 10: return eq("user-agent") ? "user-agent" : nil
        case 12:
            if eq("content-type") { return "content-type" }
            if eq("grpc-timeout") { return "grpc-timeout" }
            return eq("x-request-id") ? "x-request-id" : nil
        case 13:
            if eq("authorization") { return "authorization" }
            return eq("grpc-encoding") ? "grpc-encoding" : nil
        case 14: return eq("content-length") ? "content-length" : nil
        case 15: return eq("accept-encoding") ? "accept-encoding" : nil
        case 20: return eq("grpc-accept-encoding") ? "grpc-accept-encoding" : nil
        case 31: return eq("inference-header-content-length") ? "inference-header-content-length" : nil
        default: return nil
        }
    }
}
