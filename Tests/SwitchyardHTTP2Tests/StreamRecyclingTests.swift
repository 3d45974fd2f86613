import SwitchyardCore
import Testing
@testable import SwitchyardHTTP2

/// Closed streams are reused by the session; a reused stream must be indistinguishable from a new one.
@Suite struct StreamRecyclingTests {
    /// Every stored property, as text (Mirror sees properties added later without this test changing).
    private func fields(_ s: HTTP2Stream) -> [String] {
        Mirror(reflecting: s).children.map { "\($0.label ?? "?")=\(String(describing: $0.value))" }
    }

    @Test func recycledStreamEqualsAFreshOne() {
        let used = HTTP2Stream(id: 7)
        let name = Array(":authority".utf8), value = Array("gw.test".utf8)
        name.withUnsafeBytes { n in value.withUnsafeBytes { v in used.addField(name: n, value: v, maxHeaderListSize: 1 << 16) } }
        used.method = .POST
        used.path = "/v2/models/m/infer"
        used.displacedAuthority = "x"
        used.contentLength = 3
        used.trailers = ["grpc-status": "0"]
        used.body = [1, 2, 3]
        used.receivingTrailers = true
        used.remoteClosed = true
        used.delivered = true
        used.rejected = true
        used.responseSubmitted = true
        used.responseComplete = true
        used.responseBody = [9]
        used.responseOffset = 1
        used.responseTrailers = ["a": "b"]
        used.headerListTooLarge = true
        #expect(fields(used) != fields(HTTP2Stream(id: 0)))
        used.recycle()
        #expect(fields(used) == fields(HTTP2Stream(id: 0)))
        #expect(fields(used).count >= 20)
    }

    @Test func sessionReusesClosedStreams() throws {
        let h = try Harness()
        let first = h.client.request("GET", "/a")
        try h.pump()
        let a = try #require(h.recorder.request(on: first))
        #expect(a.path == "/a")
        h.server.respond(to: first, with: HTTPResponse(status: .ok, body: Array("ok".utf8)))
        try h.pump()
        #expect(h.client.stream(first).status == 200)
        #expect(h.server.spareStreams.count == 1)
        let second = h.client.request("POST", "/b", headers: [("x-k", "v")], body: [1, 2])
        try h.pump()
        #expect(h.server.spareStreams.isEmpty)
        let b = try #require(h.recorder.request(on: second))
        #expect(b.method == .POST && b.path == "/b" && b.body == [1, 2] && b.headers["x-k"] == "v")
        #expect(b.headers["host"] == "example.test")
    }
}
