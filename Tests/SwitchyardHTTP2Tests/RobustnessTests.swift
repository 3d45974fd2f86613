import Testing
import SwitchyardCore
import SwitchyardHTTP2

/// Arbitrary bytes must never crash the session: every outcome is "accepted" or a thrown
/// HTTP2Error with a GOAWAY to flush.
@Suite struct RobustnessTests {
    /// Deterministic xorshift so failures reproduce.
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }
        mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    @Test(arguments: 0..<4)
    func randomFramesAfterAValidPrefaceNeverCrash(seed: Int) throws {
        var rng = Rng(state: 0x9E37_79B9_7F4A_7C15 &+ UInt64(seed) &* 0x1000_0001)
        var failures = 0
        for _ in 0..<150 {
            let recorder = Recorder()
            recorder.autoRespond = { _ in HTTPResponse(status: .ok, body: [1, 2, 3], trailers: ["grpc-status": "0"]) }
            let server = try HTTP2ServerSession(settings: HTTP2Settings(), delegate: recorder)
            var input = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8) + Frame.raw(type: Frame.settings, flags: 0, streamID: 0, payload: [])
            for _ in 0..<(1 + rng.below(6)) {
                let type = UInt8(rng.below(11))
                let flags = rng.byte()
                let stream = Int32(rng.below(8))
                let payload = (0..<rng.below(40)).map { _ in rng.byte() }
                input += Frame.raw(type: type, flags: flags, streamID: stream, payload: payload)
            }
            // Feed in random slices to exercise partial-frame handling too.
            var offset = 0
            var failed = false
            while offset < input.count && !failed {
                let n = min(input.count - offset, 1 + rng.below(64))
                do { try server.feed(Array(input[offset..<offset + n])) } catch { failed = true }
                offset += n
                var out: [UInt8] = []
                while server.flush(into: &out, limit: 4096) { out.removeAll(keepingCapacity: true) }
            }
            if failed {
                failures += 1
                #expect(server.isFinished)
            }
        }
        // Random frames are mostly invalid: the session must have refused many connections.
        #expect(failures > 0)
    }

    @Test func headerBlockGarbageIsACompressionError() throws {
        let h = try Harness()
        try h.pump()
        // 0x3f 0xff... is an HPACK dynamic table size update far beyond the limit.
        let garbage = Frame.raw(type: Frame.headers, flags: 0x5, streamID: 1, payload: [0x3f, 0xff, 0xff, 0xff, 0xff, 0x0f])
        #expect(throws: HTTP2Error.self) { try h.server.feed(garbage) }
        #expect(Frame.parse(h.sendServer()).first { $0.type == Frame.goaway }?.errorCode == 9)  // COMPRESSION_ERROR
    }

    @Test func settingsFloodIsCut() throws {
        let h = try Harness()
        try h.pump()
        // Thousands of SETTINGS without reading the ACKs: nghttp2's outbound-ACK limit trips.
        var flood: [UInt8] = []
        for _ in 0..<2_000 { flood += Frame.raw(type: Frame.settings, flags: 0, streamID: 0, payload: []) }
        #expect(throws: HTTP2Error.self) { try h.server.feed(flood) }
        #expect(Frame.parse(h.sendServer(deliver: false)).contains { $0.type == Frame.goaway })
    }
}
