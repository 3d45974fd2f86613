import SwitchyardCore

/// Response header fields flattened into one byte array plus offsets, ready to be pointed at by
/// an `nghttp2_nv` array for the duration of a submit call (nghttp2 copies them then).
///
/// The session keeps one block and reuses its capacity, so encoding a response allocates nothing
/// once the connection has warmed up.
struct HTTP2HeaderBlock {
    struct Field {
        var nameStart: Int
        var nameCount: Int
        var valueStart: Int
        var valueCount: Int
    }

    /// Values longer than this are sent without HPACK indexing. Long values are per-response
    /// (assignment tokens, ids): indexing them would evict the fields that do repeat (content-type,
    /// the experiment and variant names) from the 4 KiB dynamic table on every response, and make
    /// both ends search and grow the table for entries never used again.
    static let indexedValueLimit = 64

    var bytes: [UInt8] = []
    var fields: [Field] = []

    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        fields.removeAll(keepingCapacity: true)
    }

    /// Connection-specific fields HTTP/2 forbids (RFC 9113 §8.2.2); a peer treats them as malformed.
    static func isConnectionSpecific(_ name: String) -> Bool {
        // Most names have none of these lengths: no string comparison at all for them.
        switch name.utf8.count {
        case 2, 7, 10, 16, 17: break
        default: return false
        }
        switch name {
        case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te":
            return true
        default:
            return false
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
        appendField(name: ":status", decimal: code)
        let mayDeclare = code >= 200 && code != 204
        let keepDeclared = mayDeclare && (isHeadRequest || code == 304)
        var sawContentLength = false
        for (name, value) in response.headers {
            if name.utf8.first == UInt8(ascii: ":") || Self.isConnectionSpecific(name) { continue }
            if name == "content-length" {
                if keepDeclared && !sawContentLength {
                    sawContentLength = true
                    appendField(name: name, value: value)
                }
                continue
            }
            appendField(name: name, value: value)
        }
        if mayDeclare && code != 304 && response.trailers == nil && !sawContentLength {
            appendField(name: "content-length", decimal: response.body.count)
        }
    }

    /// Encodes a trailer block (gRPC `grpc-status`, `grpc-message`); pseudo-headers and
    /// connection-specific fields are not allowed there either.
    mutating func encodeTrailers(_ trailers: HTTPHeaders) {
        reset()
        for (name, value) in trailers {
            if name.utf8.first == UInt8(ascii: ":") || Self.isConnectionSpecific(name) || name == "content-length" {
                continue
            }
            appendField(name: name, value: value)
        }
    }

    /// Appends a field. Names come from `HTTPHeaders`, which stores them lower-cased (HTTP/2's
    /// rule), so both parts are copied as they are, through their contiguous UTF-8: iterating
    /// a String's UTF-8 view to fold case cost a routed response (three extra fields) ~0.4 µs.
    mutating func appendField(name: String, value: String) {
        assert(!name.utf8.contains { $0 >= 65 && $0 <= 90 }, "HTTPHeaders names are lower-case")
        let nameStart = bytes.count
        var name = name, value = value
        name.withUTF8 { bytes.append(contentsOf: $0) }
        let valueStart = bytes.count
        value.withUTF8 { bytes.append(contentsOf: $0) }
        fields.append(Field(nameStart: nameStart, nameCount: valueStart - nameStart,
                            valueStart: valueStart, valueCount: bytes.count - valueStart))
    }

    mutating func appendField(name: StaticString, decimal: Int) {
        let nameStart = bytes.count
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        let valueStart = bytes.count
        appendDecimal(decimal)
        fields.append(Field(nameStart: nameStart, nameCount: valueStart - nameStart,
                            valueStart: valueStart, valueCount: bytes.count - valueStart))
    }

    private mutating func appendDecimal(_ value: Int) {
        // Digits are produced right to left into a stack buffer, then appended in one call.
        var v = UInt(max(value, 0))
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var i = 20
            repeat {
                i -= 1
                digits[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
                v /= 10
            } while v > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[i...]))
        }
    }
}
