import SwitchyardCore
import SwitchyardHTTP1
import Testing

/// Parser behaviour that the fixtures cannot show: state between feeds, limits at their exact
/// edges, slow clients, the upgrade hand-over and failure finality.
@Suite struct HTTP1RequestParserTests {
    /// Feeds `text` and returns the events, or the error.
    private func feed(_ parser: inout HTTP1RequestParser, _ text: String) -> Result<[HTTP1ParseEvent], HTTP1ParseError> {
        feed(&parser, Array(text.utf8))
    }

    private func feed(_ parser: inout HTTP1RequestParser, _ bytes: [UInt8]) -> Result<[HTTP1ParseEvent], HTTP1ParseError> {
        var events: [HTTP1ParseEvent] = []
        let failure: HTTP1ParseError? = bytes.withUnsafeBytes { raw in
            do throws(HTTP1ParseError) { try parser.feed(raw, into: &events); return nil } catch { return error }
        }
        if let failure { return .failure(failure) }
        return .success(events)
    }

    private func requests(_ result: Result<[HTTP1ParseEvent], HTTP1ParseError>) -> [(HTTPRequest, Bool)] {
        guard case .success(let events) = result else { return [] }
        return events.compactMap { if case .request(let r, let k) = $0 { return (r, k) } else { return nil } }
    }

    private func error(_ result: Result<[HTTP1ParseEvent], HTTP1ParseError>) -> HTTP1ParseError? {
        if case .failure(let e) = result { return e }
        return nil
    }

    @Test func partialRequestStates() {
        var parser = HTTP1RequestParser()
        #expect(!parser.hasPartialRequest && !parser.isReadingHead)
        _ = feed(&parser, "\r\n")                       // a tolerated empty line is not a request yet
        #expect(!parser.hasPartialRequest)
        _ = feed(&parser, "POST /x HT")
        #expect(parser.hasPartialRequest && parser.isReadingHead)
        _ = feed(&parser, "TP/1.1\r\nHost: a\r\nContent-Length: 4\r\n")
        #expect(parser.hasPartialRequest && parser.isReadingHead)
        _ = feed(&parser, "\r\nab")
        #expect(parser.hasPartialRequest && !parser.isReadingHead)
        let done = requests(feed(&parser, "cd"))
        #expect(done.count == 1 && done.first?.0.body == Array("abcd".utf8))
        #expect(!parser.hasPartialRequest && !parser.isReadingHead)
    }

    @Test func manyPipelinedRequestsFromOneFeed() {
        var parser = HTTP1RequestParser()
        var text = ""
        for i in 0..<100 { text += "GET /r\(i) HTTP/1.1\r\nHost: a\r\n\r\n" }
        let got = requests(feed(&parser, text))
        #expect(got.map(\.0.head.target) == (0..<100).map { "/r\($0)" })
        #expect(!parser.hasPartialRequest)
    }

    @Test func extraEmptyLineAfterABodyIsTolerated() {
        var parser = HTTP1RequestParser()
        let got = requests(feed(&parser, "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(got.map(\.0.head.target) == ["/a", "/b"])
    }

    @Test func headAtExactlyTheLimitPassesOneMoreByteFails() {
        let head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
        var ok = HTTP1RequestParser(limits: HTTP1Limits(maxHeaderBytes: head.utf8.count))
        #expect(requests(feed(&ok, head)).count == 1)
        var tight = HTTP1RequestParser(limits: HTTP1Limits(maxHeaderBytes: head.utf8.count - 1))
        #expect(error(feed(&tight, head))?.status == .headerFieldsTooLarge)
    }

    /// A slowloris trickling a header line without end is cut off as soon as the buffered head
    /// passes the limit, long before any timeout.
    @Test func slowHeadIsCutOffAtTheLimit() {
        var parser = HTTP1RequestParser()   // 16 KiB
        var fed = 0
        var failure: HTTP1ParseError?
        if case .failure(let e) = feed(&parser, "GET / HTTP/1.1\r\nX-Slow: ") { failure = e }
        fed += 24
        while failure == nil && fed < 1_000_000 {
            if case .failure(let e) = feed(&parser, [UInt8](repeating: 97, count: 100)) { failure = e }
            fed += 100
        }
        #expect(failure == HTTP1ParseError(status: .headerFieldsTooLarge, message: "request head exceeds the limit of 16384 bytes"))
        #expect(fed > 16 * 1024 && fed <= 16 * 1024 + 100)
    }

    @Test func failureIsFinal() {
        var parser = HTTP1RequestParser()
        let first = error(feed(&parser, "GET / HTTP/1.1\r\n\r\n"))
        #expect(first == HTTP1ParseError(status: .badRequest, message: "missing Host header"))
        #expect(error(feed(&parser, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")) == first)
        #expect(!parser.hasPartialRequest)
    }

    @Test func bodyLimitEdges() {
        let limits = HTTP1Limits(maxHeaderBytes: 1024, maxBodyBytes: 10)
        var exact = HTTP1RequestParser(limits: limits)
        #expect(requests(feed(&exact, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789")).count == 1)
        var over = HTTP1RequestParser(limits: limits)
        #expect(error(feed(&over, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n"))
            == HTTP1ParseError(status: .payloadTooLarge, message: "Content-Length 11 exceeds the limit of 10 bytes"))
        var chunkedExact = HTTP1RequestParser(limits: limits)
        let got = requests(feed(&chunkedExact, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n6\r\nefghij\r\n0\r\n\r\n"))
        #expect(got.first?.0.body == Array("abcdefghij".utf8))
        var chunkedOver = HTTP1RequestParser(limits: limits)
        // The 413 comes at the size line of the chunk that would pass the limit, before its data.
        #expect(error(feed(&chunkedOver, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n7\r\n"))?.status == .payloadTooLarge)
    }

    @Test func largeBodyInManyPieces() {
        var parser = HTTP1RequestParser()
        let body = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var collected: [(HTTPRequest, Bool)] = []
        collected += requests(feed(&parser, "PUT /blob HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n"))
        var offset = 0
        while offset < body.count {
            let end = min(offset + 1_460, body.count)
            collected += requests(feed(&parser, Array(body[offset..<end])))
            offset = end
        }
        #expect(collected.count == 1)
        #expect(collected.first?.0.body == body)
    }

    @Test func trailerAndChunkLineLimits() {
        var trailers = HTTP1RequestParser(limits: HTTP1Limits(maxHeaderBytes: 64))
        let big = "X-T: " + String(repeating: "t", count: 80) + "\r\n"
        #expect(error(feed(&trailers, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + big + "\r\n"))
            == HTTP1ParseError(status: .headerFieldsTooLarge, message: "trailer section exceeds the limit of 64 bytes"))
        var longLine = HTTP1RequestParser()
        let ext = "1;" + String(repeating: "e", count: 5000) + "\r\nx\r\n0\r\n\r\n"
        #expect(error(feed(&longLine, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + ext))
            == HTTP1ParseError(status: .badRequest, message: "chunk size line exceeds 4096 bytes"))
        var badTrailer = HTTP1RequestParser()
        #expect(error(feed(&badTrailer, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nBad Trailer: x\r\n\r\n"))
            == HTTP1ParseError(status: .badRequest, message: "invalid character 0x20 in trailer name"))
    }

    @Test func upgradeHandsOverTheFollowingBytes() {
        var parser = HTTP1RequestParser()
        let upgrade = "POST /echo HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Upgrade, HTTP2-Settings\r\nUpgrade: websocket, H2C\r\n"
            + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\nContent-Length: 3\r\n\r\nab"
        #expect(requests(feed(&parser, upgrade)).isEmpty)
        #expect(!parser.isPausedForUpgrade)
        let got = requests(feed(&parser, "cPRI * HTTP/2.0\r\n"))
        #expect(got.count == 1 && got.first?.0.body == Array("abc".utf8))
        #expect(parser.isPausedForUpgrade && !parser.hasPartialRequest)
        #expect(requests(feed(&parser, "\r\nSM\r\n\r\n")).isEmpty)     // buffered, not parsed
        #expect(parser.takeBufferedBytes() == Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8))
        #expect(parser.takeBufferedBytes().isEmpty)
    }

    @Test(arguments: [
        "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n",                                   // no HTTP2-Settings
        "Connection: Upgrade\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABk\r\n",                        // not nominated
        "Connection: HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABk\r\n",
        "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: websocket\r\nHTTP2-Settings: AAMAAABk\r\n",
    ])
    func incompleteUpgradeRequestsAreOrdinary(_ headers: String) {
        var parser = HTTP1RequestParser()
        let got = requests(feed(&parser, "GET / HTTP/1.1\r\nHost: a\r\n" + headers + "\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(got.map(\.0.head.target) == ["/", "/next"])
        #expect(!parser.isPausedForUpgrade)
    }

    @Test func expectContinueOnlyWhenTheBodyIsMissing() {
        var parser = HTTP1RequestParser()
        guard case .success(let events) = feed(&parser, "POST /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n") else {
            Issue.record("unexpected failure")
            return
        }
        guard events.count == 1, case .expectContinue(let head) = events[0] else {
            Issue.record("expected one .expectContinue, got \(events)")
            return
        }
        #expect(head.target == "/x" && head.headers["expect"] == "100-continue")
        #expect(requests(feed(&parser, "o")).isEmpty)          // no second .expectContinue
        guard case .success(let rest) = feed(&parser, "k") else { Issue.record("unexpected failure"); return }
        #expect(rest.count == 1)
        #expect(requests(.success(rest)).first?.0.body == Array("ok".utf8))

        // HTTP/1.0 clients do not get a 100 Continue (RFC 9110 §10.1.1).
        var old = HTTP1RequestParser()
        guard case .success(let oldEvents) = feed(&old, "POST /x HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n") else {
            Issue.record("unexpected failure")
            return
        }
        #expect(oldEvents.isEmpty)
    }

    @Test(arguments: [
        ("HTTP/1.1", "", true), ("HTTP/1.1", "Connection: close\r\n", false),
        ("HTTP/1.1", "Connection: Upgrade,Close\r\n", false), ("HTTP/1.1", "Connection: keep-alive\r\n", true),
        ("HTTP/1.0", "", false), ("HTTP/1.0", "Connection: KEEP-ALIVE\r\n", true),
        ("HTTP/1.0", "Connection: keep-alive, close\r\n", false),
        ("HTTP/1.0", "Connection: keep-alive-ish\r\n", false),
        ("HTTP/1.1", "Connection: x\r\nConnection: close\r\n", false),
    ])
    func keepAliveRules(_ version: String, _ connection: String, _ keepAlive: Bool) {
        var parser = HTTP1RequestParser()
        let got = requests(feed(&parser, "GET / \(version)\r\nHost: a\r\n\(connection)\r\n"))
        #expect(got.count == 1 && got.first?.1 == keepAlive)
    }

    @Test func targetsAndMethods() {
        var parser = HTTP1RequestParser()
        let got = requests(feed(&parser,
            "GET https://h.example/a/b?c=d HTTP/1.1\r\nHost: h.example\r\n\r\n"
            + "DELETE http://h.example?q=1 HTTP/1.1\r\nHost: h.example\r\n\r\n"
            + "GET /p HTTP/1.1\r\nHost:\r\n\r\n"))
        #expect(got.map(\.0.head.target) == ["/a/b?c=d", "/?q=1", "/p"])
        #expect(got.map(\.0.method) == [.GET, .DELETE, .GET])
        #expect(got.last?.0.headers["host"] == "")
        #expect(got.first?.0.head.path == "/a/b" && got.first?.0.head.query == "c=d")
    }

    @Test func contentLengthSyntax() {
        for (value, message) in [("", "empty Content-Length"), ("1 2", "invalid Content-Length \"1 2\""),
                                 ("+5", "invalid Content-Length \"+5\""), ("5,", "invalid Content-Length \"5,\""),
                                 ("0x10", "invalid Content-Length \"0x10\"")] {
            var parser = HTTP1RequestParser()
            #expect(error(feed(&parser, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \(value)\r\n\r\n"))
                == HTTP1ParseError(status: .badRequest, message: message), "Content-Length: \(value)")
        }
        var parser = HTTP1RequestParser()
        #expect(error(feed(&parser, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 000000000000000000000000000001\r\n\r\nx")) == nil)
    }

    @Test func transferEncodingLists() {
        var trailingComma = HTTP1RequestParser()
        let got = requests(feed(&trailingComma, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: , chunked ,\r\n\r\n1\r\nz\r\n0\r\n\r\n"))
        #expect(got.first?.0.body == Array("z".utf8))
        for (value, expected) in [(",", HTTP1ParseError(status: .badRequest, message: "empty Transfer-Encoding")),
                                  ("chunked, chunked", HTTP1ParseError(status: .badRequest, message: "chunked transfer-coding applied more than once")),
                                  ("CHUNKED, x-custom", HTTP1ParseError(status: .badRequest, message: "chunked is not the final transfer-coding")),
                                  ("deflate", HTTP1ParseError(status: .notImplemented, message: "unsupported transfer-coding \"deflate\""))] {
            var parser = HTTP1RequestParser()
            #expect(error(feed(&parser, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \(value)\r\n\r\n")) == expected, "\(value)")
        }
        // Codings accumulate over repeated fields.
        var split = HTTP1RequestParser()
        #expect(error(feed(&split, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"))?.status == .notImplemented)
    }
}

@Suite struct HTTP2PrefaceDetectorTests {
    private func classify(_ bytes: [UInt8]) -> HTTP2PrefaceDetector.Verdict {
        bytes.withUnsafeBytes { HTTP2PrefaceDetector.classify($0) }
    }

    @Test func verdicts() {
        let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
        #expect(classify(preface) == .http2)
        #expect(classify(preface + [0, 0, 0, 4, 0, 0, 0, 0, 0]) == .http2)
        #expect(classify([]) == .needMoreBytes)
        #expect(classify(Array(preface.prefix(23))) == .needMoreBytes)
        #expect(classify(Array("PRI * HTTP/2.0\r\n\r\nXX".utf8)) == .http1)
        #expect(classify(Array("GET / HTTP/1.1\r\n".utf8)) == .http1)
        #expect(classify(Array("P".utf8)) == .needMoreBytes)
        #expect(classify(Array("POST".utf8)) == .http1)
    }
}
