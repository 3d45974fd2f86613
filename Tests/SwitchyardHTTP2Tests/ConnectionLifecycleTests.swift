import Testing
import SwitchyardCore
import SwitchyardHTTP2

@Suite struct ConnectionLifecycleTests {
    @Test func badPrefaceThrowsAndFlushYieldsGoaway() throws {
        let recorder = Recorder()
        let server = try HTTP2ServerSession(settings: HTTP2Settings(), delegate: recorder)
        let http1 = Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        #expect(throws: HTTP2Error.self) { try server.feed(http1) }
        var out: [UInt8] = []
        while server.flush(into: &out, limit: 1 << 20) {}
        let goaway = try #require(Frame.parse(out).first { $0.type == Frame.goaway })
        #expect(goaway.errorCode == 1)  // PROTOCOL_ERROR
        #expect(server.isFinished)
        // The session stays failed: later input is refused the same way.
        #expect(throws: HTTP2Error.self) { try server.feed(Array("PRI".utf8)) }
    }

    @Test func dataAfterEndStreamIsAConnectionErrorStreamClosed() throws {
        let h = try Harness()
        let id = h.client.request("GET", "/slow")
        try h.pump()
        #expect(h.recorder.request(on: id) != nil)
        // The stream is half-closed (remote): DATA on it violates RFC 9113 §5.1.
        let rogue = Frame.raw(type: Frame.data, flags: 0, streamID: id, payload: Array("late".utf8))
        #expect(throws: HTTP2Error.self) { try h.server.feed(rogue) }
        let goaway = try #require(Frame.parse(h.sendServer()).first { $0.type == Frame.goaway })
        #expect(goaway.errorCode == 5)  // STREAM_CLOSED
        #expect(h.client.goawayErrorCode == 5)
        // The delivered request can no longer be answered: the application is told to drop it.
        #expect(h.recorder.cancelled == [id])
        h.server.respond(to: id, with: HTTPResponse(status: .ok))
        #expect(h.server.openStreamCount == 0)
        #expect(h.server.isFinished)
    }

    @Test func dataOnAFullyClosedStreamIsIgnored() throws {
        let h = try Harness()
        h.recorder.autoRespond = { _ in HTTPResponse(status: .ok, body: Array("done".utf8)) }
        let id = h.client.request("GET", "/")
        try h.pump()
        #expect(h.client.stream(id).closed)
        // Closed in both directions and forgotten: RFC 9113 §5.1 lets the frame be ignored.
        try h.server.feed(Frame.raw(type: Frame.data, flags: 0, streamID: id, payload: [1, 2, 3]))
        let next = h.client.request("GET", "/again")
        try h.pump()
        #expect(h.client.stream(next).bodyText == "done")
        #expect(!Frame.parse(h.serverBytes).contains { $0.type == Frame.goaway })
    }

    @Test func dataOnIdleStreamIsProtocolError() throws {
        let h = try Harness()
        try h.pump()
        #expect(throws: HTTP2Error.self) {
            try h.server.feed(Frame.raw(type: Frame.data, flags: 0, streamID: 41, payload: [0]))
        }
        #expect(Frame.parse(h.sendServer()).first { $0.type == Frame.goaway }?.errorCode == 1)
    }

    @Test func oversizedFrameIsFrameSizeError() throws {
        let h = try Harness()
        try h.pump()
        let frame = Frame.raw(type: Frame.data, flags: 0, streamID: 1, payload: [UInt8](repeating: 0, count: 16_385))
        #expect(throws: HTTP2Error.self) { try h.server.feed(frame) }
        #expect(Frame.parse(h.sendServer()).first { $0.type == Frame.goaway }?.errorCode == 6)  // FRAME_SIZE_ERROR
    }

    @Test func malformedRequestIsResetWithoutKillingTheConnection() throws {
        let recorder = Recorder()
        let server = try HTTP2ServerSession(settings: HTTP2Settings(), delegate: recorder)
        // Literal-without-indexing HPACK fields (the nghttp2 client would lower-case names itself).
        func literal(_ name: String, _ value: String) -> [UInt8] {
            [0x00, UInt8(name.utf8.count)] + Array(name.utf8) + [UInt8(value.utf8.count)] + Array(value.utf8)
        }
        let head = literal(":method", "GET") + literal(":scheme", "http") + literal(":path", "/") + literal(":authority", "x")
        var bytes = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8) + Frame.raw(type: Frame.settings, flags: 0, streamID: 0, payload: [])
        // Upper-case field names are malformed in HTTP/2 (RFC 9113 §8.2.1): a stream error only.
        bytes += Frame.raw(type: Frame.headers, flags: 0x5, streamID: 1, payload: head + literal("X-Upper", "1"))
        bytes += Frame.raw(type: Frame.headers, flags: 0x5, streamID: 3, payload: head + literal("x-lower", "1"))
        try server.feed(bytes)
        #expect(recorder.requests.map(\.streamID) == [3])
        #expect(recorder.request(on: 3)?.headers["x-lower"] == "1")
        var out: [UInt8] = []
        while server.flush(into: &out, limit: 1 << 20) {}
        let rst = Frame.parse(out).first { $0.type == Frame.rstStream }
        #expect(rst?.streamID == 1)
        #expect(rst?.errorCode == 1)  // PROTOCOL_ERROR
        #expect(!Frame.parse(out).contains { $0.type == Frame.goaway })
    }

    @Test func clientResetBeforeResponseCancelsAndLaterRespondIsIgnored() throws {
        let h = try Harness()
        let id = h.client.request("POST", "/infer", body: Array("{}".utf8))
        let other = h.client.request("GET", "/other")
        try h.pump()
        #expect(h.server.openStreamCount == 2)
        h.client.reset(id)
        try h.pump()
        #expect(h.recorder.cancelled == [id])
        #expect(h.server.openStreamCount == 1)
        let before = h.serverBytes.count
        h.server.respond(to: id, with: HTTPResponse(status: .ok, body: Array("too late".utf8)))
        #expect(!h.server.wantsWrite)
        try h.pump()
        #expect(h.serverBytes.count == before)
        #expect(h.client.stream(id).status == nil)
        // The other stream is unaffected and completes normally (no cancellation for it).
        h.server.respond(to: other, with: HTTPResponse(status: .ok))
        try h.pump()
        #expect(h.client.stream(other).status == 200)
        #expect(h.recorder.cancelled == [id])
    }

    @Test func resetDuringLargeResponseClosesTheStreamWithoutCancellingAnsweredWork() throws {
        let h = try Harness(clientWindow: 1_000)
        let id = h.client.request("GET", "/big")
        try h.pump()
        h.server.respond(to: id, with: HTTPResponse(status: .ok, body: [UInt8](repeating: 9, count: 50_000)))
        _ = h.sendServer()  // HEADERS + first 1,000 bytes; the rest waits for WINDOW_UPDATE
        h.client.reset(id)
        try h.pump()
        // The application already answered: there is no work left to drop, so no cancellation.
        #expect(h.recorder.cancelled.isEmpty)
        #expect(h.server.openStreamCount == 0)
        #expect(!h.server.wantsWrite)   // the rest of the body is discarded with the stream
    }

    @Test func gracefulShutdownSendsGoawayAndLetsInFlightStreamsFinish() throws {
        let h = try Harness()
        let a = h.client.request("GET", "/a")
        let b = h.client.request("GET", "/b")
        try h.pump()
        #expect(h.recorder.requests.count == 2)
        h.server.startGracefulShutdown()
        try h.pump()
        let goaways = Frame.parse(h.serverBytes).filter { $0.type == Frame.goaway }
        #expect(goaways.count == 1)
        #expect(goaways.first?.errorCode == 0)
        #expect(goaways.first?.word(at: 0) == UInt32(b))  // last processed stream
        #expect(h.client.goawayLastStreamID == b)
        #expect(!h.server.isFinished)

        h.server.respond(to: a, with: HTTPResponse(status: .ok, body: Array("A".utf8)))
        try h.pump()
        #expect(!h.server.isFinished)
        h.server.respond(to: b, with: HTTPResponse(status: .ok, body: Array("B".utf8)))
        try h.pump()
        #expect(h.client.stream(a).bodyText == "A")
        #expect(h.client.stream(b).bodyText == "B")
        #expect(h.recorder.cancelled.isEmpty)
        #expect(h.server.isFinished)
    }

    @Test func streamsAboveGoawayLastStreamIDAreNotProcessed() throws {
        let h = try Harness()
        let a = h.client.request("GET", "/a")
        try h.pump()
        h.server.startGracefulShutdown()
        _ = h.sendServer(deliver: false)  // GOAWAY written; the client has not seen it yet
        let late = h.client.request("GET", "/late")
        try h.sendClient()
        #expect(h.recorder.request(on: late) == nil)
        #expect(h.recorder.requests.count == 1)
        h.server.respond(to: a, with: HTTPResponse(status: .ok))
        _ = h.sendServer(deliver: false)
        #expect(h.server.isFinished)
    }
}
