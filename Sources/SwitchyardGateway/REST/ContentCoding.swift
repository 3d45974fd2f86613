import SwitchyardCore
import SwitchyardCompression

/// LZ4-compressed bodies on the REST data plane: a request body sent with `Content-Encoding: lz4`
/// (one or more LZ4 frames, as the `lz4` command writes them) is decoded before anything reads
/// it, and an inference response is sent LZ4-compressed, with `Content-Encoding: lz4`, to a
/// client whose `Accept-Encoding` names `lz4` (large responses only: framing a few hundred bytes
/// costs more than it saves). `Inference-Header-Content-Length` always counts the decoded body,
/// as Triton does for gzip. gRPC has its own `grpc-encoding`; these headers do not apply to it.
///
/// `lz4` is not one of HTTP's registered content codings; ClickHouse's HTTP interface uses the
/// same name for the same frame format, and clients that do not ask for it never get it.
struct ContentCoding {
    /// The request names `Content-Encoding: lz4`: its body must be decoded.
    var requestIsLZ4 = false
    /// The request names a content coding this server cannot decode (the header's value).
    var unsupported: String?
    /// The client accepts `lz4` responses.
    var acceptsLZ4 = false

    /// Responses smaller than this are sent as they are.
    static let minimumCompressedBody = 1024

    /// Neither coding: what a request without a body gets (nothing to decode, and only inference
    /// answers, which need a request body, are ever compressed).
    init() {}

    /// Reads both headers in one walk over the fields: most requests carry neither, and a walk
    /// comparing lengths first costs less than two lookups that miss.
    init(_ headers: HTTPHeaders) {
        headers.forEachField { name, value in
            if name.count == 16 && HTTPCommonText.equals(name, "content-encoding") {
                let codings = Self.codings(value).map(\.name).filter { $0 != "identity" }
                if codings == ["lz4"] {
                    requestIsLZ4 = true
                } else if !codings.isEmpty {
                    unsupported = String(decoding: value, as: UTF8.self)
                }
            } else if name.count == 15 && HTTPCommonText.equals(name, "accept-encoding") {
                // Most clients that send it list gzip and friends only (h2load, curl, browsers):
                // a byte scan rules lz4 out before any string is made.
                if Self.mentionsLZ4(value) {
                    acceptsLZ4 = acceptsLZ4 || Self.codings(value).contains { $0.name == "lz4" && $0.weight > 0 }
                }
            }
        }
    }

    /// Whether the bytes contain "lz4" in any case.
    static func mentionsLZ4(_ value: UnsafeRawBufferPointer) -> Bool {
        guard value.count >= 3 else { return false }
        for i in 0...(value.count - 3) where value[i] | 0x20 == UInt8(ascii: "l")
            && value[i + 1] | 0x20 == UInt8(ascii: "z") && value[i + 2] == UInt8(ascii: "4") {
            return true
        }
        return false
    }

    /// The comma-separated codings of a `Content-Encoding` or `Accept-Encoding` value, lowercased,
    /// each with its weight (`;q=`, 1 when absent; RFC 9110 §12.5.3). Empty items are skipped.
    static func codings(_ value: UnsafeRawBufferPointer) -> [(name: String, weight: Double)] {
        String(decoding: value, as: UTF8.self).lowercased().split(separator: ",").compactMap { item in
            let parts = item.split(separator: ";")
            guard let name = parts.first?.trimmingASCIIWhitespace(), !name.isEmpty else { return nil }
            var weight = 1.0
            for parameter in parts.dropFirst() {
                let p = parameter.trimmingASCIIWhitespace()
                if p.hasPrefix("q="), let q = Double(p.dropFirst(2)) { weight = q }
            }
            return (name, weight)
        }
    }

    /// A decoded request, or the answer that refuses it.
    enum Decoded {
        case request(HTTPRequest)
        case refused(HTTPResponse)
    }

    /// The request with its body decoded, or the error answer: 415 for a coding other than lz4,
    /// 400 for a body that is not valid LZ4, 413 when the decoded body would exceed `limit`.
    func decode(_ request: HTTPRequest, limit: Int) -> Decoded {
        if let unsupported {
            return .refused(.error(.unsupportedMediaType,
                                   "Content-Encoding '\(unsupported)' is not supported (supported: lz4, identity)"))
        }
        guard requestIsLZ4 else { return .request(request) }
        var decoded = request
        do throws(LZ4Frame.DecodeError) {
            decoded.body = try LZ4Frame.decompress(request.body, limit: limit)
        } catch {
            let reason: String
            switch error {
            case .malformed(let why): reason = why
            case .truncated: reason = "the frame is truncated"
            case .tooLarge(let limit):
                return .refused(.error(.payloadTooLarge, "decoded request body exceeds the limit of \(limit) bytes"))
            }
            return .refused(.error(.badRequest, "request body is not valid LZ4 (Content-Encoding: lz4): \(reason)"))
        }
        decoded.head.headers.remove(name: "content-encoding")
        return .request(decoded)
    }

    /// `response` compressed for a client that accepts lz4, when its body is large enough and
    /// compression makes it smaller.
    static func encode(_ response: consuming HTTPResponse) -> HTTPResponse {
        guard response.body.count >= Self.minimumCompressedBody else { return response }
        var r = response
        let compressed = LZ4Frame.compress(r.body)
        r.headers.addLowercased(name: "vary", value: "accept-encoding")
        guard compressed.count < r.body.count else { return r }
        r.body = compressed
        r.headers.addLowercased(name: "content-encoding", value: "lz4")
        return r
    }
}
