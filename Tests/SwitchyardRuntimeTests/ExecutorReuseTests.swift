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
}
