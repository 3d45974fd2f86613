import Foundation
import Testing
import SwitchyardServer
import SwitchyardTestSupport

/// HTTP/2 (h2c) over real loopback sockets with curl, nghttp and python `h2` for raw frames.
@Suite struct HTTP2ServerTests {
    @Test func curlWithPriorKnowledge() throws {
        let s = try TestServer(); defer { s.stop() }
        let r = try curl(["--http2-prior-knowledge", "-w", "\n%{http_version} %{http_code}", "\(s.base)/v2/health/live"])
        #expect(r.stdout == "{\"live\":true}\n2 200")
    }

    @Test func curlUpgradesFromHTTP1() throws {
        let s = try TestServer(); defer { s.stop() }
        let r = try curl(["--http2", "-w", "\n%{http_version} %{http_code}", "\(s.base)/v2/health/ready"])
        #expect(r.stdout == "{\"ready\":true}\n2 200")
        // An upgrade with a body: the upgraded stream 1 carries it.
        let post = try curl(["--http2", "--data-binary", "hello", "-w", "\n%{http_version}", "\(s.base)/echo"])
        #expect(post.stdout == "hello\n2")
    }

    @Test func curlPostsLargeBodyOverH2() throws {
        let s = try TestServer(); defer { s.stop() }
        let body = Data((0..<5_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let r = try curl(["--http2-prior-knowledge", "--data-binary", "@-", "\(s.base)/echo"], stdin: body)
        #expect(r.stdoutBytes == body)
    }

    @Test func nghttpMultiplexesStreams() throws {
        let s = try TestServer(); defer { s.stop() }
        // Distinct URLs: nghttp fetches a repeated URL only once.
        let urls = (0..<10).map { "\(s.base)/v2/health/live?i=\($0)" }
        let r = try run(Paths.tool("nghttp")!, ["-n", "--stat"] + urls)
        #expect(r.status == 0, "\(r.stderr)")
        // --stat prints one line per completed request with its status.
        let completed = r.stdout.split(separator: "\n").filter { $0.contains("/v2/health/live") && $0.contains(" 200 ") }
        #expect(completed.count == 10, "\(r.stdout)")
    }

    @Test func h2loadFinishesEveryRequest() throws {
        let s = try TestServer(); defer { s.stop() }
        let r = try run(Paths.tool("h2load")!, ["-n", "2000", "-c", "8", "-m", "16", "\(s.base)/v2/health/live"])
        #expect(r.stdout.contains("2000 succeeded, 0 failed, 0 errored"), "\(r.stdout)")
    }

    // Raw-frame probes with python h2 (installed in .build/venv by `make test`).
    static var hasH2: Bool { Paths.python != nil }

    func probe(_ server: TestServer, _ name: String) throws -> [String: Any] {
        let r = try run(Paths.python!, [Paths.scripts.appendingPathComponent("h2_probe.py").path, String(server.port), name])
        let line = r.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        return obj ?? ["stderr": r.stderr]
    }

    @Test(.enabled(if: hasH2)) func badPrefaceGetsGoaway() throws {
        let s = try TestServer(); defer { s.stop() }
        let r = try probe(s, "bad-preface")
        #expect(r["goaway"] as? Bool == true, "\(r)")
        #expect(r["error_code"] as? Int == 1, "\(r)")
    }

    @Test func mangledPrefaceMagicIsAnsweredAsHTTP1() throws {
        // Not the HTTP/2 magic, so the connection is HTTP/1.1, whose parser rejects the version.
        let s = try TestServer(); defer { s.stop() }
        let c = try LoopbackClient(port: s.port)
        try c.send("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n")
        let text = String(decoding: c.receiveUntilClose(), as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 505 "), "\(text)")
    }

    @Test(.enabled(if: hasH2)) func dataAfterEndStreamIsStreamClosed() throws {
        let s = try TestServer(); defer { s.stop() }
        let r = try probe(s, "data-after-end-stream")
        // RFC 9113 5.1: STREAM_CLOSED (0x5), as a stream or connection error.
        #expect((r["rst"] as? Bool == true) || (r["goaway"] as? Bool == true), "\(r)")
        #expect(r["error_code"] as? Int == 5, "\(r)")
    }

    @Test(.enabled(if: hasH2)) func oversizedHeaderListIsRefusedAndConnectionSurvives() throws {
        let s = try TestServer(); defer { s.stop() }
        let r = try probe(s, "oversized-headers")
        #expect((r["status"] as? String == "431") || (r["reset"] as? Bool == true), "\(r)")
        #expect(r["followup_status"] as? String == "200", "\(r)")
    }

    @Test(.enabled(if: hasH2)) func flowControlRespectsASmallClientWindow() throws {
        let s = try TestServer(); defer { s.stop() }
        let r = try probe(s, "window-exhaustion")
        #expect(r["ok"] as? Bool == true, "\(r)")
        #expect((r["max_data_frame"] as? Int ?? .max) <= 1024, "\(r)")
    }

    @Test(.enabled(if: hasH2)) func fiftyConcurrentStreams() throws {
        let s = try TestServer(); defer { s.stop() }
        let r = try probe(s, "multiplex")
        #expect(r["completed"] as? Int == 50)
        #expect(r["all_200"] as? Bool == true)
    }
}
