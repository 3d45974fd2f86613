#if canImport(Glibc)
import Glibc
#endif

/// Request field names and values common enough to be returned as string literals.
///
/// nghttp2 hands every field over as bytes; making a `String` of each means a UTF-8 validation
/// pass and, past 15 bytes, an allocation. The names below (already lower-case on the HTTP/2 wire)
/// and the values clients send on nearly every request come back as literals instead: immortal,
/// never validated or reference-counted. (HTTP/1.1 has its own table, `HTTP1KnownHeader`, which also
/// classifies framing headers and matches case-insensitively.)
enum HTTP2KnownField {
    static func name(_ b: UnsafeRawBufferPointer) -> String? {
        switch b.count {
        case 2: return eq(b, "te") ? "te" : nil
        case 4: return eq(b, "host") ? "host" : nil
        case 6:
            if eq(b, "accept") { return "accept" }
            return eq(b, "cookie") ? "cookie" : nil
        case 10: return eq(b, "user-agent") ? "user-agent" : nil
        case 12:
            if eq(b, "content-type") { return "content-type" }
            if eq(b, "grpc-timeout") { return "grpc-timeout" }
            return eq(b, "x-request-id") ? "x-request-id" : nil
        case 13:
            if eq(b, "authorization") { return "authorization" }
            return eq(b, "grpc-encoding") ? "grpc-encoding" : nil
        case 14: return eq(b, "content-length") ? "content-length" : nil
        case 15: return eq(b, "accept-encoding") ? "accept-encoding" : nil
        case 20: return eq(b, "grpc-accept-encoding") ? "grpc-accept-encoding" : nil
        case 31: return eq(b, "inference-header-content-length") ? "inference-header-content-length" : nil
        default: return nil
        }
    }

    static func value(_ b: UnsafeRawBufferPointer) -> String? {
        switch b.count {
        case 3: return eq(b, "*/*") ? "*/*" : nil
        case 8: return eq(b, "trailers") ? "trailers" : nil
        case 13: return eq(b, "gzip, deflate") ? "gzip, deflate" : nil
        case 16:
            if eq(b, "application/json") { return "application/json" }
            return eq(b, "application/grpc") ? "application/grpc" : nil
        case 24: return eq(b, "application/octet-stream") ? "application/octet-stream" : nil
        default: return nil
        }
    }

    /// The request method as a literal for the common ones.
    static func method(_ b: UnsafeRawBufferPointer) -> String? {
        switch b.count {
        case 3: return eq(b, "GET") ? "GET" : nil
        case 4:
            if eq(b, "POST") { return "POST" }
            return eq(b, "HEAD") ? "HEAD" : nil
        default: return nil
        }
    }

    @inline(__always)
    private static func eq(_ b: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        b.count == literal.utf8CodeUnitCount && memcmp(b.baseAddress!, literal.utf8Start, b.count) == 0
    }
}
