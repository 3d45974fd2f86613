import Foundation
@testable import SwitchyardRuntime
import Testing

/// The executor's steady-state shortcuts must never show through the API.
@Suite struct ExecutorReuseTests {
    func sigmoidModel() throws -> CompiledModel {
        var t = OpTester("Sigmoid")
        t.dynamicBatch = true
        t.input("X", floats([2, 5]))
        return try t.load()
    }

    @Test func heldOutputsAreNeverOverwritten() throws {
        let m = try sigmoidModel()
        let a = floats([2, 5], seed: 1), b = floats([2, 5], seed: 2)
        let first = try m.run(positional: [a])[0]
        let kept = first.f
        let second = try m.run(positional: [b])[0]  // `first` is still held: needs a new buffer
        #expect(first.f == kept)
        #expect(second.f != kept)
        expectClose(second.f, b.f.map { 1 / (1 + expf(-$0)) })
    }

    @Test func droppedOutputsAreReusedWithFreshValues() throws {
        let m = try sigmoidModel()
        for seed in 0..<20 {
            let x = floats([2, 5], seed: UInt64(seed))
            let y = try m.run(positional: [x])[0].f  // the tensor itself is dropped here
            expectClose(y, x.f.map { 1 / (1 + expf(-$0)) })
        }
    }

    @Test func fastPathStillRejectsWrongTypesAndShapes() throws {
        let m = try sigmoidModel()
        _ = try m.run(positional: [floats([3, 5])])  // caches a batch-3 plan
        #expect(throws: InferenceError.self) { try m.run(positional: [try Tensor(shape: [3, 5], values: [Double](repeating: 0, count: 15))]) }
        #expect(throws: InferenceError.self) { try m.run(positional: [floats([3, 4])]) }
        #expect(throws: InferenceError.self) { try m.run(positional: []) }
        #expect(throws: InferenceError.self) { try m.run(positional: [floats([3, 5]), floats([3, 5])]) }
    }

    /// The closure form hands over the same outputs as the array form, each once, in graph-output
    /// order with its index — on the cached plan and on a new one — and throws the same errors.
    @Test func outputsHandedOverMatchTheReturnedArray() throws {
        var t = OpTester("LinearClassifier", domain: "ai.onnx.ml", opset: 1)
        t.outputs = ["label", "scores"]
        t.attributes = ["coefficients": .floats([1, 0, 0, 1, -1, -1]), "intercepts": .floats([0, 0.5, 0]),
                        "classlabels_ints": .ints([10, 20, 30]), "post_transform": .string("SOFTMAX")]
        t.dynamicBatch = true
        t.input("X", floats([3, 2]))
        let m = try t.load(outputTypes: [.int64, .float32])
        for x in [floats([3, 2], seed: 4), floats([5, 2], seed: 5), floats([3, 2], seed: 6)] {
            let returned = try m.run(positional: [x])
            var handed: [(Int, Tensor)] = []
            try m.run(positional: [x]) { k, tensor in handed.append((k, tensor)) }
            #expect(handed.map(\.0) == [0, 1])
            #expect(handed[0].1.i64 == returned[0].i64)
            #expect(handed[1].1.f == returned[1].f)
            #expect(handed[1].1.shape == [x.shape[0], 3])
        }
        #expect(throws: InferenceError.self) { try m.run(positional: [floats([3, 4])]) { _, _ in Issue.record("no output expected") } }
    }
}
