import Foundation
import Testing
import SwitchyardCore
@testable import SwitchyardGateway

/// `Content-Encoding: lz4` request bodies and `Accept-Encoding: lz4` responses over real sockets,
/// with curl and Debian's `lz4` command making and reading the frames.
@Suite struct ContentCodingTests {
    static let lz4 = "/usr/bin/lz4"
    static var ready: Bool { FileManager.default.isExecutableFile(atPath: lz4) && !FixtureRepository.fixtureDirectories.isEmpty }

    @Test func headerValuesAreReadAsRFC9110Lists() {
        func coding(_ fields: [(String, String)]) -> ContentCoding {
            var h = HTTPHeaders()
            for (n, v) in fields { h.addLowercased(name: n, value: v) }
            return ContentCoding(h)
        }
        #expect(coding([("content-encoding", "lz4")]).requestIsLZ4)
        #expect(coding([("content-encoding", " LZ4 ")]).requestIsLZ4)
        #expect(coding([("content-encoding", "identity, lz4")]).requestIsLZ4)
        #expect(!coding([("content-encoding", "identity")]).requestIsLZ4)
        #expect(coding([("content-encoding", "identity")]).unsupported == nil)
        #expect(coding([("content-encoding", "gzip")]).unsupported == "gzip")
        #expect(coding([("content-encoding", "lz4, lz4")]).unsupported == "lz4, lz4")   // applied twice: not decoded
        #expect(coding([("accept-encoding", "gzip, lz4")]).acceptsLZ4)
        #expect(coding([("accept-encoding", "lz4;q=0.5")]).acceptsLZ4)
        #expect(!coding([("accept-encoding", "lz4;q=0")]).acceptsLZ4)
        #expect(!coding([("accept-encoding", "gzip, deflate, br")]).acceptsLZ4)
        #expect(!coding([("accept-encoding", "*")]).acceptsLZ4)   // only clients that name it get it
        #expect(!coding([]).acceptsLZ4 && !coding([]).requestIsLZ4 && coding([]).unsupported == nil)
    }

    /// A batch request to the first FP32 model with a variable batch dimension, and its plain answer.
    private static func batchRequest(_ s: TestServer, rows: Int) throws -> (url: String, body: Data) {
        let model = try #require(s.gateway.repository.loadedModels.first {
            $0.inputs.count == 1 && $0.inputs[0].datatype == .fp32 && $0.inputs[0].shape.count == 2 && $0.inputs[0].shape[0] == -1
        })
        let width = Int(model.inputs[0].shape[1])
        let data = (0..<(rows * width)).map { String(Float($0 % 7) * 0.25) }.joined(separator: ",")
        let body = #"{"inputs":[{"name":"\#(model.inputs[0].name)","shape":[\#(rows),\#(width)],"datatype":"FP32","data":[\#(data)]}]}"#
        return ("\(s.base)/v2/models/\(model.name)/infer", Data(body.utf8))
    }

    private static func lz4(_ args: [String], _ input: Data) throws -> Data {
        let r = try run(lz4, ["-q"] + args, stdin: input)
        #expect(r.status == 0, "lz4 \(args): \(r.stderr)")
        return r.stdoutBytes
    }

    @Test(.enabled(if: ready)) func compressedRequestsAndResponsesOverHTTP1AndHTTP2() throws {
        let (root, _) = try FixtureRepository.make()
        defer { try? FileManager.default.removeItem(at: root) }
        let s = try TestServer(modelRoot: root); defer { s.stop() }
        let (url, body) = try Self.batchRequest(s, rows: 64)
        let plain = try curl(["-H", "content-type: application/json", "--data-binary", "@-", url], stdin: body)
        #expect(plain.stdout.contains(#""outputs""#), "\(plain.stdout.prefix(300))")
        let frame = try Self.lz4(["-c"], body)
        #expect(frame.count < body.count)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coding-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for flag in ["--http1.1", "--http2-prior-knowledge"] {
            // A compressed request body gets the same answer as the plain one.
            let r = try curl([flag, "-H", "content-type: application/json", "-H", "content-encoding: lz4", "--data-binary", "@-", url], stdin: frame)
            #expect(r.stdout == plain.stdout, "\(flag): \(r.stdout.prefix(300))")
            // A client that accepts lz4 gets a compressed answer that decodes to the plain one.
            let head = dir.appendingPathComponent("head"), out = dir.appendingPathComponent("out")
            let c = try curl([flag, "-D", head.path, "-o", out.path, "-H", "accept-encoding: gzip, lz4",
                              "-H", "content-encoding: lz4", "--data-binary", "@-", url], stdin: frame)
            #expect(c.status == 0)
            let headers = try String(contentsOf: head, encoding: .utf8).lowercased()
            #expect(headers.contains("content-encoding: lz4"), "\(headers)")
            #expect(headers.contains("vary: accept-encoding"))
            let compressed = try Data(contentsOf: out)
            #expect(compressed.count < plain.stdoutBytes.count)
            #expect(try Self.lz4(["-d", "-c"], compressed) == plain.stdoutBytes)
        }
        // Small answers are sent as they are, whatever the client accepts.
        let (_, small) = try Self.batchRequest(s, rows: 1)
        let head = dir.appendingPathComponent("small-head")
        let r = try curl(["-D", head.path, "-H", "accept-encoding: lz4", "--data-binary", "@-", url], stdin: small)
        #expect(r.stdout.contains(#""outputs""#))
        #expect(try !String(contentsOf: head, encoding: .utf8).lowercased().contains("content-encoding"))
    }

    @Test(.enabled(if: ready)) func badlyEncodedBodiesGetPreciseErrorsAndTheServerKeepsServing() throws {
        let (root, _) = try FixtureRepository.make()
        defer { try? FileManager.default.removeItem(at: root) }
        var options = GatewayOptions()
        options.maxDecodedBodyBytes = 16 * 1024
        let s = try TestServer(modelRoot: root, options: options); defer { s.stop() }
        let (url, body) = try Self.batchRequest(s, rows: 2)
        let frame = try Self.lz4(["-c"], body)
        func post(_ data: Data, _ encoding: String) throws -> (Int, String) {
            let r = try curl(["-w", "\n%{http_code}", "-H", "content-encoding: \(encoding)", "--data-binary", "@-", url], stdin: data)
            let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
        }
        var (status, text) = try post(body, "gzip")
        #expect(status == 415 && text.contains("Content-Encoding 'gzip' is not supported"), "\(status) \(text)")
        (status, text) = try post(Data("definitely not lz4".utf8), "lz4")
        #expect(status == 400 && text.contains("not valid LZ4"), "\(status) \(text)")
        (status, text) = try post(frame.prefix(frame.count - 5), "lz4")
        #expect(status == 400 && text.contains("truncated"), "\(status) \(text)")
        // A small frame that decodes beyond the limit is refused while decoding.
        let zeros = try Self.lz4(["-c"], Data(count: 1 << 20))
        #expect(zeros.count < 16 * 1024)
        (status, text) = try post(zeros, "lz4")
        #expect(status == 413 && text.contains("exceeds the limit of 16384 bytes"), "\(status) \(text)")
        (status, text) = try post(frame, "lz4")
        #expect(status == 200 && text.contains(#""outputs""#), "\(status) \(text)")
        #expect(try curl(["\(s.base)/v2/health/live"]).stdout == #"{"live":true}"#)
    }
}
