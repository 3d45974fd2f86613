import Testing
import SwitchyardCore
import SwitchyardHTTP2

@Suite struct UpgradeTests {
    @Test func decodesSettingsHeader() {
        let payload = TestClient.settingsPayload(initialWindowSize: 1 << 20)
        #expect(payload.count == 12)
        #expect(HTTP2ServerSession.decodeSettingsHeader(base64url(payload)) == payload)
        // curl sends "AAMAAABkAAQAoAAAAAIAAAAA" (three settings, no padding).
        #expect(HTTP2ServerSession.decodeSettingsHeader("AAMAAABkAAQAoAAAAAIAAAAA") ==
                [0, 3, 0, 0, 0, 100, 0, 4, 0, 160, 0, 0, 0, 2, 0, 0, 0, 0])
        #expect(HTTP2ServerSession.decodeSettingsHeader("") == [])
        #expect(HTTP2ServerSession.decodeSettingsHeader(" AAMAAABk ") == [0, 3, 0, 0, 0, 100])
    }

    @Test func rejectsInvalidSettingsHeader() {
        #expect(HTTP2ServerSession.decodeSettingsHeader("AAMAAABk!") == nil)       // not base64url
        #expect(HTTP2ServerSession.decodeSettingsHeader("AAMAAAB+") == nil)        // '+' is base64, not base64url
        #expect(HTTP2ServerSession.decodeSettingsHeader("AAMA") == nil)            // 3 bytes: not whole settings
        #expect(HTTP2ServerSession.decodeSettingsHeader("AAMAAABkA") == nil)       // dangling sextet
        #expect(HTTP2ServerSession.decodeSettingsHeader("AAMA AABk") == nil)       // inner whitespace
        #expect(HTTP2ServerSession.decodeSettingsHeader("AAMAAA==Bk") == nil)      // data after padding
    }

    private func upgradeRequest(_ method: HTTPMethod = .GET, settings: String) -> HTTPRequest {
        HTTPRequest(head: HTTPRequestHead(method: method, target: "/v2/health/live", version: .http1_1, headers: [
            "Host": "gw.test", "Connection": "Upgrade, HTTP2-Settings", "Upgrade": "h2c",
            "HTTP2-Settings": settings, "User-Agent": "test/1",
        ]))
    }

    private func upgradedHarness(method: HTTPMethod = .GET, clientWindow: UInt32 = 65_535) throws -> Harness {
        let payload = TestClient.settingsPayload(initialWindowSize: clientWindow)
        let header = base64url(payload)
        let decoded = try #require(HTTP2ServerSession.decodeSettingsHeader(header))
        let request = upgradeRequest(method, settings: header)
        let client = TestClient(initialWindowSize: clientWindow, upgradePayload: payload, upgradeIsHead: method == .HEAD)
        return try Harness(client: client) {
            try HTTP2ServerSession(upgrading: request, settingsPayload: decoded, settings: HTTP2Settings(), delegate: $0)
        }
    }

    @Test func upgradedRequestIsStreamOneDeliveredOnFirstReceive() throws {
        let h = try upgradedHarness(clientWindow: 2_000)
        #expect(h.recorder.requests.isEmpty)
        #expect(h.server.openStreamCount == 1)
        // Server preface first, then the client's preface; delivery happens inside that receive.
        h.sendServer()
        try h.sendClient()
        let req = try #require(h.recorder.request(on: 1))
        #expect(h.recorder.requests.count == 1)
        #expect(req.head.version == .http2)
        #expect(req.method == .GET)
        #expect(req.head.target == "/v2/health/live")
        #expect(req.headers["host"] == "gw.test")
        #expect(req.headers["user-agent"] == "test/1")
        for name in ["connection", "upgrade", "http2-settings"] { #expect(req.headers[name] == nil) }

        // The client's HTTP2-Settings apply: a 2,000-byte stream window governs the response.
        h.server.respond(to: 1, with: HTTPResponse(status: .ok, body: [UInt8](repeating: 7, count: 10_000)))
        try h.pump()
        let resp = h.client.stream(1)
        #expect(resp.status == 200)
        #expect(resp.body.count == 10_000)
        #expect(resp.closed && resp.closeErrorCode == 0)
        #expect(h.recorder.requests.count == 1)

        // The connection continues as ordinary HTTP/2.
        let next = h.client.request("GET", "/next")
        try h.pump()
        #expect(next == 3)
        #expect(h.recorder.request(on: 3)?.head.target == "/next")
    }

    @Test func deliverUpgradedRequestDeliversOnceImmediately() throws {
        let h = try upgradedHarness()
        h.server.deliverUpgradedRequest()
        #expect(h.recorder.requests.map(\.streamID) == [1])
        h.server.deliverUpgradedRequest()
        h.server.respond(to: 1, with: .json(.ok, "{\"live\":true}"))
        try h.pump()
        #expect(h.recorder.requests.count == 1)
        #expect(h.client.stream(1).bodyText == "{\"live\":true}")
    }

    @Test func upgradedHeadRequestGetsNoBody() throws {
        let h = try upgradedHarness(method: .HEAD)
        h.server.deliverUpgradedRequest()
        h.server.respond(to: 1, with: HTTPResponse(status: .ok, body: Array("hidden".utf8)))
        try h.pump()
        #expect(h.client.stream(1).status == 200)
        #expect(h.client.stream(1).body.isEmpty)
        #expect(h.client.stream(1).header("content-length") == "6")
    }

    @Test func invalidUpgradePayloadThrows() {
        #expect(throws: HTTP2Error.self) {
            try HTTP2ServerSession(upgrading: upgradeRequest(settings: "x"), settingsPayload: [0, 4, 0xff, 0xff],
                                   settings: HTTP2Settings(), delegate: Recorder())
        }
        // A syntactically fine payload with an illegal value (INITIAL_WINDOW_SIZE > 2^31-1).
        #expect(throws: HTTP2Error.self) {
            try HTTP2ServerSession(upgrading: upgradeRequest(settings: "x"), settingsPayload: [0, 4, 0x80, 0, 0, 0],
                                   settings: HTTP2Settings(), delegate: Recorder())
        }
    }
}
