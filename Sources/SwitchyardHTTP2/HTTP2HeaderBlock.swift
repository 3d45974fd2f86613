import SwitchyardCore

/// Response header fields as sent: a packed `HTTPHeaders` (names and values back to back in one
/// buffer) that an `nghttp2_nv` array points into for the duration of a submit call (nghttp2
/// copies them then).
///
/// The session keeps one block and reuses its buffer, so encoding a response allocates nothing
/// once the connection has warmed up.
struct HTTP2HeaderBlock {
    /// Values longer than this are sent without HPACK indexing. Long values are per-response
    /// (assignment tokens, ids): indexing them would evict the fields that do repeat (content-type,
    /// the experiment and variant names) from the 4 KiB dynamic table on every response, and make
    /// both ends search and grow the table for entries never used again.
    static let indexedValueLimit = 64
    /// The first long value of a name is indexed all the same, so that later ones can refer to
    /// the name in the table (see `indexesOnce`); for this many names per connection at most.
    static let onceIndexedNameLimit = 4

    var fields = HTTPHeaders()

    mutating func reset() {
        fields.removeAll(keepingCapacity: true)
    }

    /// Connection-specific fields HTTP/2 forbids (RFC 9113 §8.2.2); a peer treats them as malformed.
    static func isConnectionSpecific(_ name: UnsafeRawBufferPointer) -> Bool {
        // Most names have none of these lengths: no comparison at all for them.
        switch name.count {
        case 2: return HTTPCommonText.equals(name, "te")
        case 7: return HTTPCommonText.equals(name, "upgrade")
        case 10: return HTTPCommonText.equals(name, "connection") || HTTPCommonText.equals(name, "keep-alive")
        case 16: return HTTPCommonText.equals(name, "proxy-connection")
        case 17: return HTTPCommonText.equals(name, "transfer-encoding")
        default: return false
        }
    }

    /// Encodes `:status` and the response's fields: names lower-cased, pseudo-headers and
    /// connection-specific fields dropped. `content-length` is written by the codec from the real
    /// body size (a wrong declared length would make the peer reset the stream); only a HEAD or 304
    /// answer keeps the application's value, since it describes a body not sent. No length goes on
    /// 1xx/204 answers, nor on responses with trailers (gRPC servers send none).
    mutating func encodeResponseHead(_ response: HTTPResponse, isHeadRequest: Bool) {
        reset()
        let code = (100...999).contains(response.status.code) ? response.status.code : 500
        fields.append(name: ":status", decimal: code)
        let mayDeclare = code >= 200 && code != 204
        let keepDeclared = mayDeclare && (isHeadRequest || code == 304)
        var sawContentLength = false
        response.headers.forEachField { name, value in
            if name.first == UInt8(ascii: ":") || Self.isConnectionSpecific(name) { return }
            if HTTPCommonText.equals(name, "content-length") {
                if keepDeclared && !sawContentLength {
                    sawContentLength = true
                    fields.append(name: name, value: value)
                }
                return
            }
            fields.append(name: name, value: value)
        }
        if mayDeclare && code != 304 && response.trailers == nil && !sawContentLength {
            fields.append(name: "content-length", decimal: response.body.count)
        }
    }

    /// Encodes a trailer block (gRPC `grpc-status`, `grpc-message`); pseudo-headers and
    /// connection-specific fields are not allowed there either.
    mutating func encodeTrailers(_ trailers: HTTPHeaders) {
        reset()
        trailers.forEachField { name, value in
            if name.first == UInt8(ascii: ":") || Self.isConnectionSpecific(name)
                || HTTPCommonText.equals(name, "content-length") {
                return
            }
            fields.append(name: name, value: value)
        }
    }
}
