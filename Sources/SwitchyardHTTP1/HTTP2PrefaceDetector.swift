/// Tells HTTP/2 with prior knowledge (gRPC clients, `curl --http2-prior-knowledge`, h2load) apart from
/// HTTP/1.1 on a shared port by the first bytes of a connection, before any goes to the HTTP/1.1
/// parser (which would answer the preface's request line "PRI * HTTP/2.0" with 505).
public enum HTTP2PrefaceDetector {
    /// The client connection preface of RFC 9113 §3.4.
    public static let preface: [UInt8] = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    public enum Verdict: Sendable, Equatable {
        /// The bytes start with the whole preface: hand the connection (and these bytes) to HTTP/2.
        case http2
        /// The bytes cannot be the start of the preface: HTTP/1.1.
        case http1
        /// The bytes so far are a proper prefix of the preface: wait for more (at most 24 bytes).
        case needMoreBytes
    }

    public static func classify(_ bytes: UnsafeRawBufferPointer) -> Verdict {
        let n = min(bytes.count, preface.count)
        for i in 0..<n where bytes[i] != preface[i] { return .http1 }
        return n == preface.count ? .http2 : .needMoreBytes
    }
}
