import Testing
import SwitchyardCore
import SwitchyardHTTP2

@Suite struct RequestResponseTests {
    @Test func serverStartsWithSettingsAndConnectionWindowUpdate() throws {
        var settings = HTTP2Settings()
        settings.maxConcurrentStreams = 77
        settings.initialWindowSize = 123_456
        settings.maxHeaderListSize = 9_000
        settings.connectionWindowSize = 1 << 20
        let h = try Harness(settings: settings)
        let frames = Frame.parse(h.sendServer(deliver: false))
        #expect(frames.first?.type == Frame.settings)
        let settingsPayload = frames.first?.payload ?? []
        var values: [UInt16: UInt32] = [:]
        var i = 0
        while i + 6 <= settingsPayload.count {
            let id = UInt16(settingsPayload[i]) << 8 | UInt16(settingsPayload[i + 1])
            values[id] = Frame(type: 0, flags: 0, streamID: 0, payload: Array(settingsPayload[(i + 2)..<(i + 6)])).word(at: 0)
            i += 6
        }
        #expect(values[0x3] == 77)       // MAX_CONCURRENT_STREAMS
        #expect(values[0x4] == 123_456)  // INITIAL_WINDOW_SIZE
        #expect(values[0x5] == 16_384)   // MAX_FRAME_SIZE
        #expect(values[0x6] == 9_000)    // MAX_HEADER_LIST_SIZE
        let update = frames.first { $0.type == Frame.windowUpdate && $0.streamID == 0 }
        let increment = try #require(update).word(at: 0)
        #expect(increment == UInt32(1 << 20) - 65_535)
    }

    @Test func getIsDeliveredWithHeadAndAnswered() throws {
        let h = try Harness()
        let id = h.client.request("GET", "/v2/models/m/ready?verbose=1", authority: "gw.test:8080",
                                  headers: [("x-request-id", "abc"), ("accept", "application/json")])
        try h.pump()
        let req = try #require(h.recorder.request(on: id))
        #expect(req.method == .GET)
        #expect(req.head.target == "/v2/models/m/ready?verbose=1")
        #expect(req.path == "/v2/models/m/ready")
        #expect(req.head.version == .http2)
        #expect(req.headers["x-request-id"] == "abc")
        #expect(req.headers["host"] == "gw.test:8080")
        #expect(!req.headers.contains { $0.name.hasPrefix(":") })
        #expect(req.body.isEmpty)
        #expect(h.server.openStreamCount == 1)

        h.server.respond(to: id, with: .json(.ok, "{\"ready\":true}", headers: ["X-Variant": "blue"]))
        try h.pump()
        let resp = h.client.stream(id)
        #expect(resp.status == 200)
        #expect(resp.header("content-type") == "application/json")
        #expect(resp.header("x-variant") == "blue")
        #expect(resp.header("content-length") == "14")
        #expect(resp.bodyText == "{\"ready\":true}")
        #expect(resp.closed && resp.closeErrorCode == 0)
        #expect(h.server.openStreamCount == 0)
        // The termination probe after each receive must never put a GOAWAY on the wire.
        #expect(!Frame.parse(h.serverBytes).contains { $0.type == Frame.goaway })
        #expect(h.recorder.cancelled.isEmpty)
    }

    @Test func explicitHostHeaderIsKept() throws {
        let h = try Harness()
        let id = h.client.request("GET", "/", authority: "a.test", headers: [("host", "b.test")])
        try h.pump()
        let req = try #require(h.recorder.request(on: id))
        #expect(req.headers.values("host") == ["b.test"])
    }

    @Test func connectTargetsTheAuthorityWhateverTheHostField() throws {
        let h = try Harness()
        let plain = h.client.request(pseudoHeaders: [(":method", "CONNECT"), (":authority", "upstream.test:443")])
        let withHost = h.client.request(pseudoHeaders: [(":method", "CONNECT"), (":authority", "upstream.test:443")],
                                        headers: [("host", "other.test")])
        try h.pump()
        let a = try #require(h.recorder.request(on: plain))
        #expect(a.method.rawValue == "CONNECT" && a.head.target == "upstream.test:443")
        #expect(a.headers.values("host") == ["upstream.test:443"])
        let b = try #require(h.recorder.request(on: withHost))
        #expect(b.head.target == "upstream.test:443")
        #expect(b.headers.values("host") == ["other.test"])
    }

    @Test func postBodySpanningManyFramesIsAssembled() throws {
        let h = try Harness()
        let body = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let id = h.client.request("POST", "/v2/models/m/infer", headers: [("content-type", "application/octet-stream"),
                                                                           ("content-length", "100000")], body: body)
        try h.pump()
        let req = try #require(h.recorder.request(on: id))
        #expect(req.method == .POST)
        let sameBody = req.body == body
        #expect(sameBody)
        #expect(req.headers["content-length"] == "100000")
        #expect(req.trailers == nil)
    }

    @Test func responseTrailersArriveAfterBodyAndConnectionHeadersAreDropped() throws {
        let h = try Harness()
        let id = h.client.request("POST", "/inference.GRPCInferenceService/ModelInfer",
                                  headers: [("content-type", "application/grpc"), ("te", "trailers")], body: [0, 0, 0, 0, 0])
        try h.pump()
        #expect(h.recorder.request(on: id)?.headers["te"] == "trailers")
        let response = HTTPResponse(status: .ok,
                                    headers: ["content-type": "application/grpc", "Connection": "close",
                                              "transfer-encoding": "chunked", "keep-alive": "5", ":status": "999"],
                                    body: [0, 0, 0, 0, 2, 8, 1],
                                    trailers: ["grpc-status": "0", "grpc-message": "OK"])
        h.server.respond(to: id, with: response)
        try h.pump()
        let resp = h.client.stream(id)
        #expect(resp.status == 200)
        #expect(resp.body == [0, 0, 0, 0, 2, 8, 1])
        #expect(resp.trailer("grpc-status") == "0")
        #expect(resp.trailer("grpc-message") == "OK")
        #expect(resp.header("connection") == nil && resp.header("transfer-encoding") == nil && resp.header("keep-alive") == nil)
        #expect(resp.header("content-length") == nil)  // gRPC style: no length with trailers
        #expect(resp.closed && resp.closeErrorCode == 0)
        // Wire order: HEADERS, DATA (without END_STREAM), HEADERS with END_STREAM.
        let frames = Frame.parse(h.serverBytes).filter { $0.streamID == id }
        #expect(frames.map(\.type) == [Frame.headers, Frame.data, Frame.headers])
        #expect(frames.map(\.endStream) == [false, false, true])
    }

    @Test func trailersOnlyResponseWithEmptyBody() throws {
        let h = try Harness()
        let id = h.client.request("POST", "/svc/Method", body: [1])
        try h.pump()
        h.server.respond(to: id, with: HTTPResponse(status: .ok, headers: ["content-type": "application/grpc"],
                                                    trailers: ["grpc-status": "5", "grpc-message": "model not found"]))
        try h.pump()
        let resp = h.client.stream(id)
        #expect(resp.status == 200)
        #expect(resp.body.isEmpty)
        #expect(resp.trailer("grpc-status") == "5")
        #expect(resp.closed && resp.closeErrorCode == 0)
    }

    @Test func headRequestGetsNoData() throws {
        let h = try Harness()
        let id = h.client.request("HEAD", "/v2")
        try h.pump()
        #expect(h.recorder.request(on: id)?.method == .HEAD)
        h.server.respond(to: id, with: .json(.ok, "{\"name\":\"switchyard\"}"))
        try h.pump()
        let resp = h.client.stream(id)
        #expect(resp.status == 200)
        #expect(resp.header("content-length") == "21")
        #expect(resp.body.isEmpty)
        #expect(resp.closed && resp.closeErrorCode == 0)
        #expect(!Frame.parse(h.serverBytes).contains { $0.type == Frame.data && $0.streamID == id })
    }

    @Test func synchronousResponseFromInsideDidReceive() throws {
        let h = try Harness()
        h.recorder.autoRespond = { req in HTTPResponse(status: .ok, body: Array("echo \(req.head.target)".utf8)) }
        let a = h.client.request("GET", "/a")
        let b = h.client.request("GET", "/b")
        try h.pump()
        #expect(h.client.stream(a).bodyText == "echo /a")
        #expect(h.client.stream(b).bodyText == "echo /b")
        #expect(h.server.openStreamCount == 0)
    }

    @Test func reentrantReceiveAndFlushFromDelegateAreRefusedHarmlessly() throws {
        let h = try Harness()
        var flushResult: Bool?
        var receiveThrew = false
        var scratch: [UInt8] = []
        h.recorder.autoRespond = { [unowned server = h.server] _ in
            flushResult = server.flush(into: &scratch, limit: 1 << 16)
            do { try server.feed([0, 0, 0, 4, 0, 0, 0, 0, 0]) } catch { receiveThrew = true }
            return HTTPResponse(status: .ok, body: Array("fine".utf8))
        }
        let id = h.client.request("GET", "/")
        try h.pump()
        #expect(flushResult == false)
        #expect(scratch.isEmpty)
        #expect(receiveThrew)
        #expect(h.client.stream(id).bodyText == "fine")
    }

    @Test func contentLengthIsWrittenFromTheBody() throws {
        let h = try Harness()
        let ids = (0..<4).map { _ in h.client.request("GET", "/") }
        try h.pump()
        let sizes = [0, 9, 10, 1_000_000]
        for (id, size) in zip(ids, sizes) {
            // A wrong declared length from the application is replaced, not forwarded.
            h.server.respond(to: id, with: HTTPResponse(status: .ok, headers: ["content-length": "3"],
                                                        body: [UInt8](repeating: 1, count: size)))
        }
        try h.pump()
        for (id, size) in zip(ids, sizes) {
            #expect(h.client.stream(id).header("content-length") == String(size))
            #expect(h.client.stream(id).body.count == size)
            #expect(h.client.stream(id).closeErrorCode == 0)
        }
    }

    @Test func thirtyTwoConcurrentStreamsOnOneConnection() throws {
        let h = try Harness()
        var ids: [Int32] = []
        for i in 0..<32 {
            ids.append(h.client.request("POST", "/item/\(i)", body: Array("payload-\(i)".utf8)))
        }
        try h.pump()
        #expect(h.recorder.requests.count == 32)
        #expect(h.server.openStreamCount == 32)
        for (i, id) in ids.enumerated() {
            #expect(h.recorder.request(on: id)?.body == Array("payload-\(i)".utf8))
        }
        // Answer out of order, with bodies large enough to interleave DATA frames.
        for (i, id) in ids.enumerated().reversed() {
            h.server.respond(to: id, with: HTTPResponse(status: .ok, body: [UInt8](repeating: UInt8(i), count: 20_000 + i)))
        }
        try h.pump()
        for (i, id) in ids.enumerated() {
            let resp = h.client.stream(id)
            #expect(resp.status == 200)
            let sameBody = resp.body == [UInt8](repeating: UInt8(i), count: 20_000 + i)
            #expect(sameBody)
        }
        #expect(h.server.openStreamCount == 0)
        #expect(h.server.isFinished == false)  // still reading: the client may open more streams
    }

    @Test func respondTwiceOrToUnknownStreamIsIgnored() throws {
        let h = try Harness()
        let id = h.client.request("GET", "/")
        try h.pump()
        h.server.respond(to: id, with: HTTPResponse(status: .ok, body: Array("first".utf8)))
        h.server.respond(to: id, with: HTTPResponse(status: .internalServerError, body: Array("second".utf8)))
        h.server.respond(to: 99, with: HTTPResponse(status: .ok))
        try h.pump()
        #expect(h.client.stream(id).status == 200)
        #expect(h.client.stream(id).bodyText == "first")
        #expect(Frame.parse(h.serverBytes).filter { $0.type == Frame.headers }.count == 1)
    }

    @Test func invalidSettingsAreRejectedAtInit() {
        var s = HTTP2Settings()
        s.maxFrameSize = 1000
        #expect(throws: HTTP2Error.self) { try HTTP2ServerSession(settings: s, delegate: Recorder()) }
        s = HTTP2Settings()
        s.initialWindowSize = 1 << 31
        #expect(throws: HTTP2Error.self) { try HTTP2ServerSession(settings: s, delegate: Recorder()) }
    }
}
