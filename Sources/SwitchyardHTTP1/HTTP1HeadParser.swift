import SwitchyardCore

/// How the body of a request is delimited (RFC 9112 §6.3).
enum HTTP1Framing: Equatable {
    case none
    case length(Int)
    case chunked
}

/// A complete, validated request head and what the parser needs to read its body.
struct HTTP1ParsedHead {
    var head: HTTPRequestHead
    var framing: HTTP1Framing
    var keepAlive: Bool
    var expectsContinue: Bool
    var upgradeToH2C: Bool

    /// Moves the head out, leaving an empty one (see `HTTP1RequestParser.complete`).
    mutating func takeHead() -> HTTPRequestHead {
        var taken = HTTPRequestHead(method: .GET, target: "", version: .http1_1, headers: HTTPHeaders())
        swap(&taken, &head)
        return taken
    }
}

/// Accumulates one request head line by line (request line, then header fields) and validates it as a
/// whole once the blank line arrives. Framing headers are recognized while their lines go by, from the
/// raw bytes, so that `finish` never searches the header list again.
struct HTTP1HeadParser {
    private(set) var hasRequestLine = false
    private var requestLine = HTTP1RequestLine(method: .GET, target: "/", version: .http1_1)
    private var headers = HTTPHeaders()

    private var contentLength: Int?
    private var contentLengthText = ""
    private var transferEncodingSeen = false
    private var chunkedCount = 0
    private var lastCodingIsChunked = false
    private var unsupportedCoding: String?
    private var connectionClose = false
    private var connectionKeepAlive = false
    private var connectionUpgrade = false
    private var connectionHTTP2Settings = false
    private var upgradeH2C = false
    private var http2SettingsCount = 0
    private var expectsContinue = false
    private var hostCount = 0

    mutating func reset() {
        hasRequestLine = false
        headers = HTTPHeaders()
        contentLength = nil
        contentLengthText = ""
        transferEncodingSeen = false
        chunkedCount = 0
        lastCodingIsChunked = false
        unsupportedCoding = nil
        connectionClose = false
        connectionKeepAlive = false
        connectionUpgrade = false
        connectionHTTP2Settings = false
        upgradeH2C = false
        http2SettingsCount = 0
        expectsContinue = false
        hostCount = 0
    }

    mutating func requestLine(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int) throws(HTTP1ParseError) {
        requestLine = try HTTP1RequestLine.parse(p, start, end)
        hasRequestLine = true
    }

    /// One `field-name ":" OWS field-value OWS` line, without its line ending.
    mutating func headerLine(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int) throws(HTTP1ParseError) {
        let (nameEnd, valueStart, valueEnd) = try HTTP1HeadParser.splitField(p, start, end, in: .header)
        let name = UnsafeRawBufferPointer(rebasing: p[start..<nameEnd])
        if let kind = HTTP1KnownHeader.match(p, start, nameEnd) { try recognize(kind, p, valueStart, valueEnd) }
        if headers.isEmpty { headers.reserveCapacity(fields: 8, bytes: 256) }   // one allocation, not regrowth
        headers.append(lowercasing: name, value: UnsafeRawBufferPointer(rebasing: p[valueStart..<valueEnd]))
    }

    enum Section {
        case header
        case trailer
        var word: String { self == .header ? "header" : "trailer" }
    }

    /// Validates a field line and returns where its name ends and its trimmed value lies. Shared with
    /// the chunked trailer section, whose fields are checked the same way and then dropped.
    static func splitField(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int,
                           in section: Section) throws(HTTP1ParseError) -> (Int, Int, Int) {
        if HTTP1ByteClass.isOWS(p[start]) {
            throw .badRequest("obsolete line folding (a \(section.word) line starting with whitespace) is not allowed")
        }
        var i = HTTP1Swar.commonNameEnd(p, start, end)
        while i < end && HTTP1ByteClass.isToken(p[i]) { i += 1 }
        if i == end { throw .badRequest("\(section.word) line without a colon") }
        if p[i] != HTTP1ByteClass.colon { throw .invalidCharacter(p[i], in: "\(section.word) name") }
        if i == start { throw .badRequest("empty \(section.word) name") }
        let nameEnd = i
        var vs = i + 1
        var ve = end
        HTTP1Bytes.trimOWS(p, &vs, &ve)
        let bad = HTTP1Swar.firstInvalidFieldByte(p, vs, ve)
        if bad < ve {
            throw .invalidCharacter(p[bad], in: "value of \(section.word) \"\(HTTP1Bytes.string(p, start, nameEnd))\"")
        }
        return (nameEnd, vs, ve)
    }

    /// Notes the headers that decide framing, connection persistence, expectations and upgrades.
    private mutating func recognize(_ kind: HTTP1KnownHeader, _ p: UnsafeRawBufferPointer, _ vs: Int, _ ve: Int) throws(HTTP1ParseError) {
        switch kind {
        case .host:
            hostCount += 1
        case .expect:
            if HTTP1Bytes.equalsIgnoringCase(p, vs, ve, "100-continue") {
                expectsContinue = true
            } else {
                throw HTTP1ParseError(status: .expectationFailed,
                                      message: "unsupported expectation \"\(HTTP1Bytes.string(p, vs, ve))\"")
            }
        case .upgrade:
            var pos = vs
            while let (s, e) = HTTP1Bytes.nextListElement(p, &pos, ve) {
                if HTTP1Bytes.equalsIgnoringCase(p, s, e, "h2c") { upgradeH2C = true }
            }
        case .connection:
            var pos = vs
            while let (s, e) = HTTP1Bytes.nextListElement(p, &pos, ve) {
                if HTTP1Bytes.equalsIgnoringCase(p, s, e, "close") { connectionClose = true }
                else if HTTP1Bytes.equalsIgnoringCase(p, s, e, "keep-alive") { connectionKeepAlive = true }
                else if HTTP1Bytes.equalsIgnoringCase(p, s, e, "upgrade") { connectionUpgrade = true }
                else if HTTP1Bytes.equalsIgnoringCase(p, s, e, "http2-settings") { connectionHTTP2Settings = true }
            }
        case .contentLength:
            try contentLengthField(p, vs, ve)
        case .http2Settings:
            http2SettingsCount += 1
        case .transferEncoding:
            try transferEncodingField(p, vs, ve)
        }
    }

    /// Digits only; a list of equal values ("5, 5") and repeated equal fields are accepted (RFC 9110
    /// §8.6), any disagreement is a framing error.
    private mutating func contentLengthField(_ p: UnsafeRawBufferPointer, _ vs: Int, _ ve: Int) throws(HTTP1ParseError) {
        var pos = vs
        if vs == ve { throw .badRequest("empty Content-Length") }
        while let (s, e) = HTTP1Bytes.nextListElement(p, &pos, ve) {
            guard let value = HTTPCommonText.decimal(UnsafeRawBufferPointer(rebasing: p[s..<e])) else {
                throw .badRequest("invalid Content-Length \"\(HTTP1Bytes.string(p, vs, ve))\"")
            }
            if let previous = contentLength {
                if previous != value {
                    throw .badRequest("conflicting Content-Length values \(contentLengthText) and \(HTTP1Bytes.string(p, s, e))")
                }
            } else {
                contentLength = value
                contentLengthText = HTTP1Bytes.string(p, s, e)
            }
        }
    }

    /// Codings accumulate over repeated fields; only a lone, final `chunked` is decodable here.
    private mutating func transferEncodingField(_ p: UnsafeRawBufferPointer, _ vs: Int, _ ve: Int) throws(HTTP1ParseError) {
        transferEncodingSeen = true
        var pos = vs
        var codings = 0
        while let (s, e) = HTTP1Bytes.nextListElement(p, &pos, ve) {
            if s == e { continue }   // RFC 9110 §5.6.1.2: empty list elements are ignored
            codings += 1
            if HTTP1Bytes.equalsIgnoringCase(p, s, e, "chunked") {
                chunkedCount += 1
                lastCodingIsChunked = true
            } else {
                lastCodingIsChunked = false
                if unsupportedCoding == nil { unsupportedCoding = HTTP1Bytes.string(p, s, e) }
            }
        }
        if codings == 0 { throw .badRequest("empty Transfer-Encoding") }
    }

    /// Called at the blank line: applies the whole-head rules and builds the head.
    mutating func finish(limits: HTTP1Limits) throws(HTTP1ParseError) -> HTTP1ParsedHead {
        let version = requestLine.version
        if version == .http1_1 {
            if hostCount == 0 { throw .badRequest("missing Host header") }
        }
        if hostCount > 1 { throw .badRequest("multiple Host headers") }

        var framing = HTTP1Framing.none
        if transferEncodingSeen {
            if contentLength != nil {
                throw .badRequest("both Content-Length and Transfer-Encoding are present")
            }
            if !lastCodingIsChunked && chunkedCount > 0 {
                throw .badRequest("chunked is not the final transfer-coding")
            }
            if chunkedCount > 1 { throw .badRequest("chunked transfer-coding applied more than once") }
            if let coding = unsupportedCoding {
                throw HTTP1ParseError(status: .notImplemented, message: "unsupported transfer-coding \"\(coding)\"")
            }
            framing = .chunked
        } else if let length = contentLength {
            if length > limits.maxBodyBytes {
                throw HTTP1ParseError(status: .payloadTooLarge,
                                      message: "Content-Length \(contentLengthText) exceeds the limit of \(limits.maxBodyBytes) bytes")
            }
            framing = length > 0 ? .length(length) : .none
        }

        var keepAlive = version == .http1_1 ? !connectionClose : (connectionKeepAlive && !connectionClose)
        // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means the framing is suspect: answer, then close.
        if transferEncodingSeen && version == .http1_0 { keepAlive = false }

        let upgrade = version == .http1_1 && upgradeH2C && http2SettingsCount == 1
            && connectionUpgrade && connectionHTTP2Settings
        // Target and fields are moved out (the parser is reset next): copies would cost a retain
        // now and a release at the reset, atomic operations both.
        var target = "", fields = HTTPHeaders()
        swap(&target, &requestLine.target)
        swap(&fields, &headers)
        let head = HTTPRequestHead(method: requestLine.method, target: target, version: version, headers: fields)
        // RFC 9110 §10.1.1: a 100-continue expectation in an HTTP/1.0 request is ignored.
        return HTTP1ParsedHead(head: head, framing: framing, keepAlive: keepAlive,
                               expectsContinue: expectsContinue && version == .http1_1 && framing != .none,
                               upgradeToH2C: upgrade)
    }
}
