import Foundation
import Testing
import SwitchyardGateway
import SwitchyardKServe

/// The model bridge shares its batch-1 shapes (declared shapes with dynamic dimensions 1) with
/// the requests that have them and converts every other shape: batches 1, 3 and 17 in turn, each
/// twice, must give onnxruntime's output shapes and values every time.
@Suite struct ServableModelShapeTests {
    static let fixture = Paths.root.appendingPathComponent("Tests/Fixtures/models/classifier")

    @Test func batchesOfEverySizeInTurnKeepTheirShapes() throws {
        let model = try ONNXServableModel(bytes: Array(try Data(contentsOf: Self.fixture.appendingPathExtension("onnx"))),
                                          name: "classifier", version: "1", maxBatchSize: 0)
        #expect(model.inputs[0].shape == [-1, 6])
        let requests = try Self.json("inputs")["requests"] as! [[String: Any]]
        let responses = try Self.json("expected")["responses"] as! [[String: Any]]
        #expect(requests.count == 3)
        for k in [0, 1, 2, 0, 2, 1, 0] {
            let input = (requests[k]["inputs"] as! [[String: Any]])[0]
            let values = (input["data"] as! [NSNumber]).map(\.floatValue)
            let tensor = InferTensor(name: "input", shape: (input["shape"] as! [Int]).map(Int64.init), values: values)
            let outputs = try model.infer(inputs: [tensor], outputs: nil)
            for expected in responses[k]["outputs"] as! [[String: Any]] {
                let name = expected["name"] as! String
                let got = try #require(outputs.first { $0.name == name })
                #expect(got.shape == (expected["shape"] as! [Int]).map(Int64.init), "batch \(values.count / 6), \(name)")
                let want = (expected["data"] as! [NSNumber]).map(\.doubleValue)
                let have: [Double] = got.datatype == .int64 ? got.values(as: Int64.self)!.map(Double.init)
                                                             : got.values(as: Float.self)!.map(Double.init)
                #expect(have.count == want.count)
                #expect(zip(have, want).allSatisfy { abs($0 - $1) <= 1e-5 + 1e-4 * abs($1) }, "batch \(values.count / 6), \(name)")
            }
        }
    }

    static func json(_ kind: String) throws -> [String: Any] {
        let url = fixture.deletingLastPathComponent().appendingPathComponent("classifier.\(kind).json")
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }
}
