import Foundation
import Testing
import SwitchyardGateway
import SwitchyardTestSupport

/// The Open Inference Protocol end to end with the real clients: tritonclient over HTTP (JSON and
/// binary tensors) and gRPC, grpcio raw calls, and plain HTTP for the error paths; every fixture
/// model, every batch, compared with onnxruntime's outputs.
@Suite struct OpenInferenceProtocolTests {
    static var ready: Bool { Paths.python != nil && !FixtureRepository.fixtureDirectories.isEmpty }

    @Test(.enabled(if: ready)) func tritonClientsAgainstEveryFixture() throws {
        let (root, dirs) = try FixtureRepository.make()
        defer { try? FileManager.default.removeItem(at: root) }
        let s = try TestServer(modelRoot: root); defer { s.stop() }
        let script = Paths.scripts.appendingPathComponent("triton_e2e.py").path
        let r = try run(Paths.python!, [script, String(s.port)] + dirs.map(\.path), timeout: 300)
        let line = r.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let result = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        try #require(result != nil, "no result line; stderr: \(r.stderr.suffix(2000))")
        let failures = result?["failures"] as? [String] ?? ["missing failures"]
        let models = result?["models"] as? [String] ?? []
        #expect(failures.isEmpty, "\(failures.prefix(20))")
        #expect(models.count >= 8, "models checked: \(models)")
        #expect((result?["checks"] as? Int ?? 0) > 100)
    }

    @Test(.enabled(if: !FixtureRepository.fixtureDirectories.isEmpty)) func curlInferAndOversizedBody() throws {
        let (root, _) = try FixtureRepository.make()
        defer { try? FileManager.default.removeItem(at: root) }
        let s = try TestServer(configure: { $0.maxBodyBytes = 64 * 1024 }, modelRoot: root); defer { s.stop() }
        let model = try #require(s.gateway.repository.loadedModels.first { $0.inputs.count == 1 && $0.inputs[0].datatype == .fp32 && $0.inputs[0].shape.count == 2 })
        let width = Int(model.inputs[0].shape.last!)
        let row = (0..<width).map { _ in "0.5" }.joined(separator: ",")
        let body = #"{"id":"q1","inputs":[{"name":"\#(model.inputs[0].name)","shape":[1,\#(width)],"datatype":"FP32","data":[\#(row)]}]}"#
        for flag in ["--http1.1", "--http2-prior-knowledge"] {
            let r = try curl([flag, "-w", "\n%{http_code}", "-H", "content-type: application/json", "-d", body, "\(s.base)/v2/models/\(model.name)/infer"])
            #expect(r.stdout.hasSuffix("\n200"), "\(r.stdout)")
            #expect(r.stdout.contains(#""id":"q1""#))
            #expect(r.stdout.contains(#""model_name":"\#(model.name)""#))
        }
        let huge = Data(count: 100 * 1024)
        let r = try curl(["-w", "\n%{http_code}", "--data-binary", "@-", "\(s.base)/v2/models/\(model.name)/infer"], stdin: huge)
        #expect(r.stdout.hasSuffix("\n413"), "\(r.stdout)")
    }
}
