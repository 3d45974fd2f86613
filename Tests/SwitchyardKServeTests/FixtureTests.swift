import Foundation
import Testing
@testable import SwitchyardKServe

/// The shared fixtures' V2 requests (../shared/fixtures/models/*.inputs.json, found from this
/// file's path) must decode to tensors whose byte counts match their shapes. Skipped when the
/// fixtures are not present (e.g. in a fresh clone outside the team machine).
@Suite struct FixtureTests {
    static let directory: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }  // Tests/SwitchyardKServeTests/File.swift → worktree's parent
        return url.appendingPathComponent("shared/fixtures/models")
    }()

    static var inputFiles: [URL] {
        let files = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
        return files.filter { $0.lastPathComponent.hasSuffix(".inputs.json") }.sorted { $0.path < $1.path }
    }

    @Test(.enabled(if: !FixtureTests.inputFiles.isEmpty, "shared fixtures not present"))
    func everyFixtureRequestDecodes() throws {
        let decoder = KServeJSONDecoder()
        var decoded = 0
        for file in Self.inputFiles {
            let root = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as! [String: Any]
            let requests = root["requests"] as! [[String: Any]]
            #expect(!requests.isEmpty, "\(file.lastPathComponent)")
            for r in requests {
                let body = try JSONSerialization.data(withJSONObject: r)
                let request = try decoder.decodeInferRequest(body: Array(body))
                #expect(request.id == r["id"] as? String)
                for t in request.inputs {
                    let count = InferTensor.elementCount(of: t.shape)!
                    #expect(t.serializedByteCount == count * (t.datatype.byteSize ?? 0), "\(file.lastPathComponent) \(t.name)")
                    try t.validate(role: "input")
                }
                // Re-encoding as a response and decoding again is lossless.
                let again = try decoder.decodeInferResponse(body: KServeJSONEncoder.encode(InferResponse(modelName: "m", outputs: request.inputs), binaryOutput: { _ in false }).bytes)
                #expect(again.outputs == request.inputs)
                decoded += 1
            }
        }
        #expect(Self.inputFiles.count == 8)
        #expect(decoded >= 8)
    }
}
