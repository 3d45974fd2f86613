import Testing
@testable import SwitchyardTransport

/// Per-request cancellation on a live connection (what an HTTP/2 RST_STREAM records).
@Suite struct ConnectionLivenessTests {
    @Test func cancellingOneRequestAbandonsOnlyThatRequestUntilItCompletes() {
        let live = ConnectionLiveness()
        #expect(!live.isAbandoned(token: 1))
        live.markCancelled(token: 1)
        #expect(live.isAbandoned(token: 1))
        #expect(!live.isAbandoned(token: 3))
        #expect(!live.isClosed)
        live.requestCompleted(token: 3)    // another request's completion changes nothing
        #expect(live.isAbandoned(token: 1))
        live.requestCompleted(token: 1)    // the entry is gone once the request is completed
        #expect(!live.isAbandoned(token: 1))
    }

    @Test func closingTheConnectionAbandonsEveryRequest() {
        let live = ConnectionLiveness()
        live.markClosed()
        #expect(live.isAbandoned(token: 1))
        #expect(live.isAbandoned(token: 7))
        #expect(live.isClosed)
    }
}
