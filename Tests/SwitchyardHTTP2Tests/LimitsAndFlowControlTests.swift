import CNghttp2
import Testing
import SwitchyardCore
import SwitchyardHTTP2

@Suite struct LimitsAndFlowControlTests {
    @Test func responseLargerThanClientWindowCompletesThroughWindowUpdates() throws {
        let h = try Harness(clientWindow: 4_096)
        let id = h.client.request("GET", "/big")
        try h.pump()
        let body = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        h.server.respond(to: id, with: HTTPResponse(status: .ok, body: body))

        // Before the client acknowledges anything, the server may send at most the stream window.
        let firstBytes = h.sendServer(deliver: false)
        let first = Frame.parse(firstBytes)
        let sent = first.filter { $0.type == Frame.data && $0.streamID == id }.reduce(0) { $0 + $1.payload.count }
        #expect(sent == 4_096)
        var extra: [UInt8] = []
        #expect(!h.server.flush(into: &extra, limit: 1 << 20))  // blocked until a WINDOW_UPDATE arrives
        #expect(extra.isEmpty)
        h.client.input(firstBytes)

        try h.pump()
        let resp = h.client.stream(id)
        #expect(resp.status == 200)
        let sameBody = resp.body == body  // a Bool: a failing array comparison would build a huge diff
        #expect(sameBody)
        #expect(resp.closed && resp.closeErrorCode == 0)
        let updates = Frame.parse(h.clientBytes).filter { $0.type == Frame.windowUpdate && $0.streamID == id }
        #expect(updates.count >= 200_000 / 4_096)
    }

    @Test func bodyOverLimitGets413ThenResetAndConnectionServesNextStream() throws {
        var settings = HTTP2Settings()
        settings.maxBodyBytes = 1_000
        let h = try Harness(settings: settings)
        // No content-length and the client keeps the stream open: the limit trips on DATA.
        let big = h.client.request("POST", "/upload", body: [UInt8](repeating: 0x41, count: 5_000), endStream: false)
        try h.pump()
        #expect(h.recorder.requests.isEmpty)
        let resp = h.client.stream(big)
        #expect(resp.status == 413)
        #expect(resp.header("content-type") == "application/json")
        #expect(resp.bodyText.hasPrefix("{\"error\":"))
        #expect(resp.bodyText.contains("1000"))
        // Complete response, then RST_STREAM(NO_ERROR) asks the client to stop sending (RFC 9113 §8.1).
        #expect(h.client.receivedRstStream.contains { $0.streamID == big && $0.errorCode == 0 })
        #expect(resp.closed)
        #expect(h.recorder.cancelled.isEmpty)
        #expect(h.server.openStreamCount == 0)

        let next = h.client.request("POST", "/small", body: Array("ok".utf8))
        try h.pump()
        #expect(h.recorder.request(on: next)?.body == Array("ok".utf8))
        h.server.respond(to: next, with: HTTPResponse(status: .ok))
        try h.pump()
        #expect(h.client.stream(next).status == 200)
    }

    @Test func declaredContentLengthOverLimitIsRefusedBeforeTheBody() throws {
        var settings = HTTP2Settings()
        settings.maxBodyBytes = 1_000
        let h = try Harness(settings: settings)
        let id = h.client.request("POST", "/upload", headers: [("content-length", "5000")],
                                  body: [UInt8](repeating: 1, count: 5_000))
        try h.pump()
        #expect(h.recorder.requests.isEmpty)
        #expect(h.client.stream(id).status == 413)
        #expect(h.client.stream(id).bodyText.contains("5000"))
        #expect(h.server.openStreamCount == 0)
    }

    @Test func bodyExactlyAtLimitIsAccepted() throws {
        var settings = HTTP2Settings()
        settings.maxBodyBytes = 1_000
        let h = try Harness(settings: settings)
        let id = h.client.request("POST", "/upload", body: [UInt8](repeating: 2, count: 1_000))
        try h.pump()
        #expect(h.recorder.request(on: id)?.body.count == 1_000)
    }

    @Test func oversizedHeaderListGets431AndConnectionSurvives() throws {
        var settings = HTTP2Settings()
        settings.maxHeaderListSize = 1_024
        let h = try Harness(settings: settings)
        let id = h.client.request("GET", "/", headers: [("x-big", String(repeating: "v", count: 2_000))])
        try h.pump()
        #expect(h.recorder.requests.isEmpty)
        #expect(h.client.stream(id).status == 431)
        #expect(h.client.stream(id).closed)
        // Many small fields add up the same way (32 bytes of overhead each).
        let many = h.client.request("GET", "/", headers: (0..<40).map { ("x-h\($0)", "v") })
        try h.pump()
        #expect(h.client.stream(many).status == 431)

        let ok = h.client.request("GET", "/fine", headers: [("x-small", "v")])
        try h.pump()
        #expect(h.recorder.request(on: ok)?.headers["x-small"] == "v")
        h.server.respond(to: ok, with: HTTPResponse(status: .noContent))
        try h.pump()
        #expect(h.client.stream(ok).status == 204)
        #expect(!Frame.parse(h.serverBytes).contains { $0.type == Frame.goaway })
    }

    @Test func requestTrailersAreDelivered() throws {
        let h = try Harness()
        // Raw frames: HEADERS (no END_STREAM), DATA, trailing HEADERS with END_STREAM, all with
        // literal (never indexed) HPACK fields so no dynamic table state is involved.
        func literal(_ name: String, _ value: String) -> [UInt8] {
            [0x00, UInt8(name.utf8.count)] + Array(name.utf8) + [UInt8(value.utf8.count)] + Array(value.utf8)
        }
        let head = literal(":method", "POST") + literal(":scheme", "http") + literal(":path", "/t") + literal(":authority", "x")
        var bytes = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8) + Frame.raw(type: Frame.settings, flags: 0, streamID: 0, payload: [])
        bytes += Frame.raw(type: Frame.headers, flags: 0x4, streamID: 1, payload: head)
        bytes += Frame.raw(type: Frame.data, flags: 0, streamID: 1, payload: Array("abc".utf8))
        bytes += Frame.raw(type: Frame.headers, flags: 0x5, streamID: 1, payload: literal("x-checksum", "42"))
        try h.server.feed(bytes)
        let req = try #require(h.recorder.request(on: 1))
        #expect(req.body == Array("abc".utf8))
        #expect(req.trailers?["x-checksum"] == "42")
        #expect(req.headers["host"] == "x")
    }
}
