import SwitchyardCore

/// The HTTP/1.1 server-side request parser: bytes in, complete requests out (RFC 9112).
///
/// The common case — one or more whole requests in one read — is parsed straight from the caller's
/// buffer; only the bytes of an incomplete request are copied into an internal buffer and parsed from
/// there once more bytes arrive. Bodies are assembled whole (up to `HTTP1Limits.maxBodyBytes`)
/// because the gateway's protocols need whole bodies.
///
/// Errors are final: after `feed` throws, the parser stays failed and throws the same error again.
/// Events produced before the failure (earlier pipelined requests) are still appended to `events`.
public struct HTTP1RequestParser: Sendable {
    /// Kept payload-free so that switching on it in the hot loop copies nothing.
    private enum State: Sendable {
        case head
        case body
        case paused
        case failed
    }

    public let limits: HTTP1Limits
    private var state = State.head
    private var failure: HTTP1ParseError?
    /// Unparsed bytes: the front of an incomplete request (or, once paused, bytes for HTTP/2).
    private var buffer: [UInt8] = []

    // Head progress.
    private var headParser = HTTP1HeadParser()
    private var headLines = HTTP1LineScanner()
    /// Bytes of complete head lines of the current request consumed so far.
    private var headBytes = 0
    private var sawLeadingEmptyLine = false

    // Body progress.
    private var pending: HTTP1ParsedHead?
    private var body: [UInt8] = []
    private var remaining = 0
    private var isChunked = false
    private var chunks = HTTP1ChunkedDecoder()
    private var expectContinuePending = false

    public init(limits: HTTP1Limits = HTTP1Limits()) {
        self.limits = limits
    }

    /// True once a complete request asked to upgrade to h2c (`Upgrade: h2c` + `HTTP2-Settings` +
    /// `Connection: Upgrade, HTTP2-Settings`): parsing stops after that request; bytes after it stay buffered.
    public var isPausedForUpgrade: Bool {
        if case .paused = state { return true }
        return false
    }

    /// True while a request is partially received (part of a head or of a body); false when idle
    /// between requests (a tolerated empty line before a request line does not count).
    public var hasPartialRequest: Bool {
        switch state {
        case .head: return headParser.hasRequestLine || !buffer.isEmpty
        case .body: return true
        case .paused, .failed: return false
        }
    }

    /// True while the partial request is still in its head (header timeout) rather than its body.
    public var isReadingHead: Bool {
        if case .head = state { return hasPartialRequest }
        return false
    }

    /// Returns and clears the bytes buffered but not parsed (after an upgrade request they belong to HTTP/2).
    public mutating func takeBufferedBytes() -> [UInt8] {
        var out: [UInt8] = []
        swap(&out, &buffer)
        headLines = HTTP1LineScanner()
        return out
    }

    /// Parses as much of `bytes` as possible, appending zero or more events; bytes of an incomplete
    /// request are kept internally. After a throw the parser is dead (the server answers the error and closes).
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, into events: inout [HTTP1ParseEvent]) throws(HTTP1ParseError) {
        switch state {
        case .failed: throw failure ?? .badRequest("parser failed")
        case .paused:
            buffer.append(contentsOf: bytes)
            return
        case .head, .body:
            break
        }
        if buffer.isEmpty {
            let consumed: Int
            do throws(HTTP1ParseError) {
                consumed = try parse(bytes, into: &events)
            } catch {
                fail(error)
                throw error
            }
            if consumed < bytes.count {
                buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[consumed...]))
            }
        } else {
            // Take the buffer out of `self` so that parsing (which mutates `self`) does not overlap
            // with the access that keeps the buffer's storage pinned.
            var pendingBytes: [UInt8] = []
            swap(&pendingBytes, &buffer)
            pendingBytes.append(contentsOf: bytes)
            let result: Result<Int, HTTP1ParseError> = pendingBytes.withUnsafeBytes { raw in
                do throws(HTTP1ParseError) {
                    return .success(try parse(raw, into: &events))
                } catch {
                    return .failure(error)
                }
            }
            switch result {
            case .success(let consumed):
                pendingBytes.removeSubrange(0..<consumed)
                swap(&pendingBytes, &buffer)
            case .failure(let error):
                fail(error)
                throw error
            }
        }
    }

    private mutating func fail(_ error: HTTP1ParseError) {
        state = .failed
        failure = error
        buffer = []
        body = []
        pending = nil
    }

    /// Parses whole requests from `p`, returning how many bytes were consumed. A partial line at the end
    /// is left unconsumed (the scanner remembers how much of it was searched); partial bodies are consumed.
    private mutating func parse(_ p: UnsafeRawBufferPointer, into events: inout [HTTP1ParseEvent]) throws(HTTP1ParseError) -> Int {
        var i = 0
        while true {
            switch state {
            case .head:
                guard let bodyStart = try parseHead(p, from: i) else { return p.count - headLines.scanned }
                i = bodyStart
                if try startBody(p, at: &i, into: &events) { return i }
            case .body:
                let done: Bool
                if isChunked {
                    let (next, complete) = try chunks.decode(p, from: i, limits: limits, into: &body)
                    i = next
                    done = complete
                } else {
                    let n = min(remaining, p.count - i)
                    if n > 0 { body.append(contentsOf: UnsafeRawBufferPointer(rebasing: p[i..<(i + n)])) }
                    remaining -= n
                    i += n
                    done = remaining == 0
                }
                if !done {
                    if expectContinuePending, let parsed = pending {
                        expectContinuePending = false
                        events.append(.expectContinue(parsed.head))
                    }
                    return i
                }
                var whole: [UInt8] = []
                swap(&whole, &body)
                guard var parsed = pending.take() else { return i }
                if complete(&parsed, body: whole, into: &events) { return i }
            case .paused, .failed:
                return i
            }
        }
    }

    /// Consumes complete head lines. Returns the offset after the blank line that ends the head, or
    /// nil when more bytes are needed (the partial line stays unconsumed).
    private mutating func parseHead(_ p: UnsafeRawBufferPointer, from start: Int) throws(HTTP1ParseError) -> Int? {
        var i = start
        while true {
            switch headLines.next(p, from: i, budget: limits.maxHeaderBytes - headBytes) {
            case .needMore:
                return nil
            case .tooLong:
                throw .headTooLarge(limits.maxHeaderBytes)
            case .line(let contentEnd, let next):
                if !headParser.hasRequestLine {
                    if contentEnd == i {
                        // RFC 9112 §2.2: tolerate one empty line before the request line.
                        if sawLeadingEmptyLine { throw .badRequest("more than one empty line before the request line") }
                        sawLeadingEmptyLine = true
                        i = next
                        continue
                    }
                    try headParser.requestLine(p, i, contentEnd)
                } else if contentEnd == i {
                    return next
                } else {
                    try headParser.headerLine(p, i, contentEnd)
                }
                headBytes += next - i
                i = next
            }
        }
    }

    /// Sets up body reading for the head just completed. Whole fixed-length bodies already in `p` are
    /// copied in one piece. Returns true when parsing must stop (after an upgrade request).
    private mutating func startBody(_ p: UnsafeRawBufferPointer, at i: inout Int,
                                    into events: inout [HTTP1ParseEvent]) throws(HTTP1ParseError) -> Bool {
        var parsed = try headParser.finish(limits: limits)
        headParser.reset()
        headBytes = 0
        sawLeadingEmptyLine = false
        switch parsed.framing {
        case .none:
            return complete(&parsed, body: [], into: &events)
        case .length(let n):
            if p.count - i >= n {
                let whole = [UInt8](UnsafeRawBufferPointer(rebasing: p[i..<(i + n)]))
                i += n
                return complete(&parsed, body: whole, into: &events)
            }
            isChunked = false
            remaining = n
            body.reserveCapacity(min(n, 1 << 20))   // a claimed length alone must not make us reserve 64 MiB
        case .chunked:
            isChunked = true
            chunks.reset()
        }
        expectContinuePending = parsed.expectsContinue
        pending = parsed
        state = .body
        return false
    }

    /// Emits the pending request. Returns true when parsing must stop (after an upgrade request).
    /// The head is moved out of `parsed` (which is done with): copying it and destroying the
    /// original cost a retain and a release per buffer it holds, atomic operations. Neither
    /// `consuming` nor `(consume parsed).head` got the optimizer to move it.
    private mutating func complete(_ parsed: inout HTTP1ParsedHead, body: consuming [UInt8],
                                   into events: inout [HTTP1ParseEvent]) -> Bool {
        expectContinuePending = false
        events.append(.request(HTTPRequest(head: parsed.takeHead(), body: body), keepAlive: parsed.keepAlive))
        if parsed.upgradeToH2C {
            state = .paused
            return true
        }
        state = .head
        return false
    }
}
