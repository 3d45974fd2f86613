import Foundation
import Testing
import SwitchyardCore
import SwitchyardServer
import SwitchyardTestSupport

/// A closed connection frees its driver, codec and nghttp2 session, and a response completed after
/// the client left (an offloaded model finishing late) is dropped without harm.
@Suite struct ConnectionCleanupTests {
    /// Waits up to 3 s for `condition`.
    private func eventually(_ condition: () -> Bool) -> Bool {
        for _ in 0..<300 {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }

    @Test func closedConnectionsFreeTheirDrivers() throws {
        let s = try TestServer(); defer { s.stop() }
        var clients: [LoopbackClient] = []
        for _ in 0..<40 {
            let c = try LoopbackClient(port: s.port)
            try c.send("GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(String(decoding: c.receive(count: 12), as: UTF8.self) == "HTTP/1.1 200")
            clients.append(c)
        }
        for _ in 0..<10 {
            let r = try curl(["--http2-prior-knowledge", "\(s.base)/v2/health/live"])
            #expect(r.stdout == #"{"live":true}"#)
        }
        #expect(s.server.liveDriverCount >= 40)
        clients.removeAll()
        #expect(eventually { s.server.connectionCount == 0 })
        // Before the fix every driver kept itself alive through its stored response sink.
        #expect(eventually { s.server.liveDriverCount == 0 }, "\(s.server.liveDriverCount) drivers still allocated")
    }

    @Test func responseCompletedAfterTheClientLeftIsDropped() throws {
        // Answers 300 ms later from another thread, like an offloaded model.
        let slow = ClosureResponder { request, _, writer in
            if request.head.path == "/v2/health/live" {
                return writer.complete(HTTPResponse(status: .ok, body: Array("alive".utf8)))
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(300)) {
                writer.complete(HTTPResponse(status: .ok, body: Array("late".utf8)))
            }
        }
        let s = try TestServer(responder: slow); defer { s.stop() }
        for _ in 0..<10 {
            let c = try LoopbackClient(port: s.port)
            try c.send("POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi")
        }   // each client is closed as it goes out of scope, before its answer exists
        for _ in 0..<5 {
            // curl gives up after 100 ms on an HTTP/2 stream that is answered at 300 ms.
            _ = try? curl(["--http2-prior-knowledge", "--max-time", "0.1", "--data-binary", "hi", "\(s.base)/slow"])
        }
        usleep(600_000)   // every late completion has run against a closed connection
        let r = try curl(["\(s.base)/v2/health/live"])
        #expect(r.stdout == "alive")
        let h2 = try curl(["--http2-prior-knowledge", "\(s.base)/v2/health/live"])
        #expect(h2.stdout == "alive")
        #expect(eventually { s.server.connectionCount == 0 })
        #expect(eventually { s.server.liveDriverCount == 0 }, "\(s.server.liveDriverCount) drivers still allocated")
    }
}
