import SwitchyardCore

/// Decodes a `Transfer-Encoding: chunked` body (RFC 9112 §7.1) incrementally into the request's body
/// array: `chunk-size [ chunk-ext ] CRLF chunk-data CRLF`, repeated, then `0 CRLF`, trailer fields
/// and a blank line. Extensions are ignored; trailer fields are validated and dropped (the gateway's
/// protocols carry nothing in them).
struct HTTP1ChunkedDecoder {
    /// A chunk-size line with extensions longer than this is rejected (no legitimate client sends one).
    static let maxChunkLineBytes = 4096

    private enum Phase {
        case size
        case data(remaining: Int)
        case dataEnd
        case trailer
    }

    private var phase = Phase.size
    private var total = 0
    private var trailerBytes = 0
    private var lines = HTTP1LineScanner()

    mutating func reset() {
        phase = .size
        total = 0
        trailerBytes = 0
        lines = HTTP1LineScanner()
    }

    /// Consumes from `start` as far as possible. Returns the offset after what was consumed and whether
    /// the body (trailer section included) is complete.
    mutating func decode(_ p: UnsafeRawBufferPointer, from start: Int, limits: HTTP1Limits,
                         into body: inout [UInt8]) throws(HTTP1ParseError) -> (next: Int, done: Bool) {
        var i = start
        while true {
            switch phase {
            case .size:
                switch lines.next(p, from: i, budget: HTTP1ChunkedDecoder.maxChunkLineBytes) {
                case .needMore: return (i, false)
                case .tooLong:
                    throw .badRequest("chunk size line exceeds \(HTTP1ChunkedDecoder.maxChunkLineBytes) bytes")
                case .line(let contentEnd, let next):
                    let size = try chunkSize(p, i, contentEnd, limits: limits)
                    i = next
                    phase = size == 0 ? .trailer : .data(remaining: size)
                }
            case .data(let remaining):
                let available = p.count - i
                if available == 0 { return (i, false) }
                let n = min(remaining, available)
                body.append(contentsOf: UnsafeRawBufferPointer(rebasing: p[i..<(i + n)]))
                i += n
                phase = n == remaining ? .dataEnd : .data(remaining: remaining - n)
            case .dataEnd:
                guard i < p.count else { return (i, false) }
                if p[i] == HTTP1ByteClass.lf {
                    i += 1
                } else if p[i] == HTTP1ByteClass.cr {
                    guard i + 1 < p.count else { return (i, false) }
                    guard p[i + 1] == HTTP1ByteClass.lf else { throw .badRequest("missing CRLF after chunk data") }
                    i += 2
                } else {
                    throw .badRequest("missing CRLF after chunk data")
                }
                phase = .size
            case .trailer:
                switch lines.next(p, from: i, budget: limits.maxHeaderBytes - trailerBytes) {
                case .needMore: return (i, false)
                case .tooLong:
                    throw HTTP1ParseError(status: .headerFieldsTooLarge,
                                          message: "trailer section exceeds the limit of \(limits.maxHeaderBytes) bytes")
                case .line(let contentEnd, let next):
                    trailerBytes += next - i
                    if contentEnd == i { return (next, true) }
                    _ = try HTTP1HeadParser.splitField(p, i, contentEnd, in: .trailer)
                    i = next
                }
            }
        }
    }

    /// `1*HEXDIG [ BWS ";" extensions ]`; the declared size counts against the body limit at once, so an
    /// oversized chunk is refused before its data is read.
    private mutating func chunkSize(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int,
                                    limits: HTTP1Limits) throws(HTTP1ParseError) -> Int {
        var i = start
        var size = 0
        var overflow = false
        while i < end, let d = HTTP1ByteClass.hexValue(p[i]) {
            if size > (Int.max >> 4) { overflow = true } else { size = size << 4 | d }
            i += 1
        }
        if i == start { throw .badRequest("invalid chunk size \"\(HTTP1Bytes.string(p, start, end))\"") }
        var k = i
        while k < end && HTTP1ByteClass.isOWS(p[k]) { k += 1 }
        if k < end {
            guard p[k] == HTTP1ByteClass.semicolon else {
                throw .badRequest("invalid chunk size \"\(HTTP1Bytes.string(p, start, end))\"")
            }
            for x in k..<end where !HTTP1ByteClass.isFieldValue(p[x]) {
                throw .invalidCharacter(p[x], in: "chunk extension")
            }
        }
        if overflow || size > limits.maxBodyBytes - total {
            throw HTTP1ParseError(status: .payloadTooLarge,
                                  message: "chunked body exceeds the limit of \(limits.maxBodyBytes) bytes")
        }
        total += size
        return size
    }
}
