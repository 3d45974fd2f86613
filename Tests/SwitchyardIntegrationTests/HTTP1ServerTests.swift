import Foundation
import Testing
import SwitchyardCore
import SwitchyardServer
import SwitchyardTestSupport

/// HTTP/1.1 over real loopback sockets: curl for what real clients do, raw bytes for what they don't.
@Suite struct HTTP1ServerTests {
    @Test func curlGetsHealth() throws {
        let s = try TestServer(); defer { s.stop() }
        let r = try curl(["-i", "\(s.base)/v2/health/live"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(r.stdout.contains("content-type: application/json"))
        #expect(r.stdout.lowercased().contains("date: "))
        #expect(r.stdout.hasSuffix(#"{"live":true}"#))
    }

    @Test func headAnswersWithoutBody() throws {
        let s = try TestServer(); defer { s.stop() }
        let c = try LoopbackClient(port: s.port)
        try c.send("HEAD /v2/health/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let text = String(decoding: c.receiveUntilClose(), as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(text.contains("content-length: 14\r\n"))
        #expect(text.hasSuffix("\r\n\r\n"))
    }

    @Test func echoesLargeChunkedBodyWithExpectContinue() throws {
        let s = try TestServer(); defer { s.stop() }
        let body = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let r = try curl(["-H", "Transfer-Encoding: chunked", "-H", "Expect: 100-continue",
                          "-H", "Content-Type: application/octet-stream", "--data-binary", "@-", "\(s.base)/echo"], stdin: body)
        #expect(r.status == 0)
        #expect(r.stdoutBytes == body)
    }

    @Test func pipelinedRequestsAnswerInOrder() throws {
        let s = try TestServer(); defer { s.stop() }
        let c = try LoopbackClient(port: s.port)
        var batch = ""
        for i in 0..<20 { batch += "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: \(String(i).count)\r\n\r\n\(i)" }
        batch += "GET /v2/health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        try c.send(batch)
        let text = String(decoding: c.receiveUntilClose(), as: UTF8.self)
        let bodies = text.components(separatedBy: "HTTP/1.1 200 OK\r\n").dropFirst().map { $0.components(separatedBy: "\r\n\r\n").last ?? "" }
        #expect(bodies.count == 21)
        #expect(Array(bodies.prefix(20)) == (0..<20).map(String.init))
        #expect(bodies.last == #"{"live":true}"#)
    }

    @Test func http10ClosesUnlessKeepAlive() throws {
        let s = try TestServer(); defer { s.stop() }
        let c = try LoopbackClient(port: s.port)
        try c.send("GET /v2/health/live HTTP/1.0\r\n\r\n")
        let text = String(decoding: c.receiveUntilClose(), as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200 OK"))
        #expect(text.contains("connection: close"))
    }

    @Test(arguments: [
        ("GET /v2/health/live HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n", 400),
        ("GET /v2/health/live HTTP/2.0\r\nHost: x\r\n\r\n", 505),
        ("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
        ("GARBAGE\r\n\r\n", 400),
    ])
    func malformedRequestsGetPreciseErrors(request: String, status: Int) throws {
        let s = try TestServer(); defer { s.stop() }
        let c = try LoopbackClient(port: s.port)
        try c.send(request)
        let text = String(decoding: c.receiveUntilClose(), as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 \(status) "), "got: \(text.prefix(80))")
        #expect(text.contains(#"{"error":"#))
        // The server keeps serving others.
        let r = try curl(["-o", "/dev/null", "-w", "%{http_code}", "\(s.base)/v2/health/live"])
        #expect(r.stdout == "200")
    }

    @Test func oversizedHeadersGet431AndBodiesGet413() throws {
        let s = try TestServer(configure: { $0.maxBodyBytes = 1 << 20 }); defer { s.stop() }
        let big = try curl(["-o", "/dev/null", "-w", "%{http_code}", "-H", "X-Big: \(String(repeating: "a", count: 20_000))", "\(s.base)/v2/health/live"])
        #expect(big.stdout == "431")
        let body = Data(count: 2 << 20)
        let tooLarge = try curl(["-w", "\n%{http_code}", "--data-binary", "@-", "\(s.base)/echo"], stdin: body)
        #expect(tooLarge.stdout.hasSuffix("\n413"))
        #expect(tooLarge.stdout.contains("exceeds"))
    }

    @Test func unknownPathIs404WithJSONError() throws {
        let s = try TestServer(); defer { s.stop() }
        let r = try curl(["-w", "\n%{http_code}", "\(s.base)/nope"])
        #expect(r.stdout == "{\"error\":\"no route for GET /nope\"}\n404")
    }
}
