import Foundation
import Testing
import SwitchyardCore
import SwitchyardGateway
import SwitchyardServer
import SwitchyardTestSupport
import SwitchyardTransport

/// Timeouts, abusive clients, many connections and shutdown, over real sockets.
@Suite struct ServerLifecycleTests {
    @Test func slowHeaderClientIsCutOffWith408() throws {
        let s = try TestServer(configure: { $0.requestHeaderTimeout = .milliseconds(300) }); defer { s.stop() }
        let c = try LoopbackClient(port: s.port)
        // A slowloris: one header byte at a time, never finishing the head.
        // The server may cut it off before it has sent everything: a failed send ends the loop.
        for b in "GET /v2/health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8 {
            guard (try? c.send([b])) != nil else { break }
            usleep(20_000)
        }
        let text = String(decoding: c.receiveUntilClose(), as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 408 "), "\(text)")
        #expect(text.contains("request header timeout"))
    }

    @Test func stalledBodyIsCutOffWith408() throws {
        let s = try TestServer(configure: { $0.bodyReadTimeout = .milliseconds(200) }); defer { s.stop() }
        let c = try LoopbackClient(port: s.port)
        try c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly-a-little")
        let text = String(decoding: c.receiveUntilClose(), as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 408 "), "\(text)")
        #expect(text.contains("request body timeout"))
    }

    @Test func idleKeepAliveConnectionIsClosed() throws {
        let s = try TestServer(configure: { $0.idleTimeout = .milliseconds(200) }); defer { s.stop() }
        let c = try LoopbackClient(port: s.port)
        try c.send("GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n")
        let start = Date()
        let text = String(decoding: c.receiveUntilClose(), as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200 OK"))
        #expect(Date().timeIntervalSince(start) < 4.5)   // closed by the server, not the 5 s client timeout
        // The count drops just after the close the client saw.
        for _ in 0..<100 where s.server.connectionCount > 0 { usleep(10_000) }
        #expect(s.server.connectionCount == 0)
    }

    @Test func clientDisconnectingMidBodyDoesNotDisturbOthers() throws {
        let s = try TestServer(); defer { s.stop() }
        for _ in 0..<20 {
            let c = try LoopbackClient(port: s.port)
            try c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + String(repeating: "z", count: 5000))
        }
        let r = try curl(["--data-binary", "still here", "\(s.base)/echo"])
        #expect(r.stdout == "still here")
        // Every aborted connection is cleaned up.
        for _ in 0..<200 where s.server.connectionCount > 0 { usleep(10_000) }
        #expect(s.server.connectionCount == 0)
    }

    @Test func thousandConcurrentConnections() throws {
        let s = try TestServer(); defer { s.stop() }
        var clients: [LoopbackClient] = []
        for _ in 0..<1000 { clients.append(try LoopbackClient(port: s.port)) }
        let request = Array("GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        for c in clients { try c.send(request) }
        var ok = 0
        for c in clients {
            let got = c.receive(count: 1)
            var rest = got
            // Read the whole small response: head + 13-byte body.
            while !String(decoding: rest, as: UTF8.self).hasSuffix(#"{"live":true}"#) {
                let more = c.receive(count: 1)
                if more.isEmpty { break }
                rest += more
            }
            if String(decoding: rest, as: UTF8.self).hasPrefix("HTTP/1.1 200 OK") { ok += 1 }
        }
        #expect(ok == 1000)
        #expect(s.server.connectionCount == 1000)
        clients.removeAll()
        for _ in 0..<300 where s.server.connectionCount > 0 { usleep(10_000) }
        #expect(s.server.connectionCount == 0)
    }

    @Test func gracefulShutdownFinishesInFlightRequests() throws {
        // A responder that answers 300 ms later from another thread, like an offloaded model.
        let slow = ClosureResponder { request, _, writer in
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(300)) {
                writer.complete(HTTPResponse(status: .ok, body: Array("done:".utf8) + request.body))
            }
        }
        let s = try TestServer(responder: slow)
        let h1 = try LoopbackClient(port: s.port)
        try h1.send("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nh1")
        usleep(50_000)
        let started = Date()
        let forced = s.server.shutdownGracefully(deadline: .seconds(5))
        #expect(forced == 0)
        #expect(Date().timeIntervalSince(started) < 3)
        let text = String(decoding: h1.receiveUntilClose(), as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200 OK"))
        #expect(text.contains("connection: close"))
        #expect(text.hasSuffix("done:h1"))
        s.group.stopAndJoin()
    }

    @Test(.enabled(if: Paths.python != nil)) func http2ClientsGetGoawayOnShutdown() throws {
        let s = try TestServer()
        let script = Paths.scripts.appendingPathComponent("h2_probe.py").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Paths.python!)
        p.arguments = [script, String(s.port), "goaway-on-shutdown"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        // Wait until the probe is connected and has its response.
        for _ in 0..<500 where s.server.connectionCount == 0 { usleep(10_000) }
        usleep(200_000)
        s.server.shutdownGracefully(deadline: .seconds(3))
        p.waitUntilExit()
        let lines = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
        let last = try JSONSerialization.jsonObject(with: Data((lines.last ?? "").utf8)) as? [String: Any]
        #expect(last?["goaway"] as? Bool == true, "\(lines)")
        #expect(last?["error_code"] as? Int == 0)
        s.group.stopAndJoin()
    }

    @Test func sigtermStopsTheRealBinaryWithExitZero() throws {
        let binary = Paths.root.appendingPathComponent(".build/debug/switchyard").path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the switchyard product first")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        let repo = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-sigterm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: repo, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: repo) }
        p.arguments = ["serve", "--host", "127.0.0.1", "--port", "0", "--loops", "2", "--repository", repo.path,
                       "--admin-port", "0", "--state-dir", repo.appendingPathComponent("state").path]
        let err = Pipe()
        p.standardError = err
        try p.run()
        // The "listening on" line names the bound port.
        var text = ""
        while !text.contains("listening on") || !text.hasSuffix("\n") {
            let d = err.fileHandleForReading.availableData
            if d.isEmpty { break }
            text += String(decoding: d, as: UTF8.self)
        }
        let listening = text.split(separator: "\n").first { $0.contains("listening on") } ?? ""
        let port = listening.split(separator: " ").first { $0.hasPrefix("127.0.0.1:") }.map { Int($0.split(separator: ":")[1])! }
        try #require(port != nil, "no port in: \(text)")
        let r = try curl(["http://127.0.0.1:\(port!)/v2/health/live"])
        #expect(r.stdout == #"{"live":true}"#)
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(p.terminationReason == .exit)
    }
}
