/// A request line and header block, as either codec delivers it.
public struct HTTPRequestHead: Sendable {
    public var method: HTTPMethod
    /// The request target exactly as sent (origin form: path plus optional `?query`).
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders

    public init(method: HTTPMethod, target: String, version: HTTPVersion, headers: HTTPHeaders) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
    }

    /// The path part of the target (before `?`), not percent-decoded.
    public var path: Substring {
        if let q = queryMark { return target[..<q] }
        return target[...]
    }

    /// The query part of the target (after `?`), or nil.
    public var query: Substring? {
        guard let q = queryMark else { return nil }
        return target[target.index(after: q)...]
    }

    /// Where the `?` is. Read on every gRPC call: scanning the contiguous UTF-8 bytes, not the
    /// `String.UTF8View` (generic index-checked iteration, 0.8 % of a ModelInfer call in perf).
    private var queryMark: String.Index? {
        target.withUTF8Bytes { $0.firstIndex(of: UInt8(ascii: "?")) }.map { target.utf8.index(target.startIndex, offsetBy: $0) }
    }
}

/// A complete request: head and the whole body. The gateway's protocols (OIP v2 REST and gRPC
/// unary calls) need whole bodies, so codecs assemble them up to the configured size limit.
public struct HTTPRequest: Sendable {
    public var head: HTTPRequestHead
    public var body: [UInt8]
    /// HTTP/2 request trailers (gRPC clients do not send them, but the protocol allows them).
    public var trailers: HTTPHeaders?

    public init(head: HTTPRequestHead, body: [UInt8] = [], trailers: HTTPHeaders? = nil) {
        self.head = head
        self.body = body
        self.trailers = trailers
    }

    public var method: HTTPMethod { head.method }
    public var headers: HTTPHeaders { head.headers }
    public var path: Substring { head.path }
}
