import Testing
@testable import SwitchyardCore

@Suite struct HTTPHeadersTests {
    @Test func namesAreLowercasedAndLookedUp() {
        var h = HTTPHeaders()
        h.add(name: "Content-Type", value: "application/json")
        h.add(name: "X-Multi", value: "a")
        h.add(name: "x-multi", value: "b")
        #expect(h["content-type"] == "application/json")
        #expect(h.values("x-multi") == ["a", "b"])
        h.replaceOrAdd(name: "X-MULTI", value: "c")
        #expect(h.values("x-multi") == ["c"])
        #expect(h["missing"] == nil)
    }

    @Test func errorBodyIsEscapedJSON() {
        let r = HTTPResponse.error(.badRequest, "bad \"input\"\n\u{1}")
        #expect(String(decoding: r.body, as: UTF8.self) == #"{"error":"bad \"input\"\n\u0001"}"#)
        #expect(r.headers["content-type"] == "application/json")
        #expect(r.status.code == 400)
    }

    @Test func requestTargetSplitsPathAndQuery() {
        let h = HTTPRequestHead(method: .GET, target: "/v2/models/a?x=1&y=2", version: .http1_1, headers: [:])
        #expect(h.path == "/v2/models/a")
        #expect(h.query == "x=1&y=2")
        let p = HTTPRequestHead(method: .GET, target: "/v2", version: .http1_1, headers: [:])
        #expect(p.query == nil)
    }
}
