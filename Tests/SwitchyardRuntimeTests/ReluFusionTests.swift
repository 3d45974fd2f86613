import Foundation
@testable import SwitchyardRuntime
import Testing

/// The planner folds a Relu into the op producing its input (Conv, Gemm, Add) only when nothing
/// else reads the pre-activation value; results must be those of the unfused graph.
@Suite struct ReluFusionTests {
    /// A graph from (op, inputs, outputs, attributes) nodes over FP32 input `X`, constants as
    /// initializers, and the given FP32 outputs.
    func model(_ nodes: [(String, [String], [String], [String: Int])], x: [Int], constants: [String: Tensor],
               outputs: [String]) throws -> CompiledModel {
        var graph = Onnx_GraphProto()
        graph.name = "fusion"
        for (i, (op, ins, outs, attrs)) in nodes.enumerated() {
            var node = Onnx_NodeProto()
            node.opType = op
            node.name = "n\(i)"
            node.input = ins
            node.output = outs
            for (name, value) in attrs.sorted(by: { $0.key < $1.key }) {
                var a = Onnx_AttributeProto()
                a.name = name
                a.type = .int
                a.i = Int64(value)
                node.attribute.append(a)
            }
            graph.node.append(node)
        }
        for (name, t) in constants.sorted(by: { $0.key < $1.key }) { graph.initializer.append(OpTester.proto(t, name: name)) }
        graph.input = [OpTester.valueInfo("X", .float32, x)]
        graph.output = outputs.map { name in
            var v = Onnx_ValueInfoProto()
            v.name = name
            var t = Onnx_TypeProto.Tensor()
            t.elemType = Int32(ElementType.float32.rawValue)
            v.type.tensorType = t
            return v
        }
        var m = Onnx_ModelProto()
        m.irVersion = 8
        var opset = Onnx_OperatorSetIdProto()
        opset.version = 17
        m.opsetImport = [opset]
        m.graph = graph
        return try CompiledModel(bytes: try m.serializedBytes(), name: "fusion")
    }

    func stepCount(_ m: CompiledModel, _ shape: [Int]) throws -> Int {
        try Planner.plan(graph: m.graph, operators: m.operators, inputShapes: [shape]).steps.count
    }

    /// `x·W + b` rows, plain loops.
    func affine(_ x: [Float], _ w: [Float], _ b: [Float], rows: Int, k: Int, n: Int) -> [Float] {
        (0..<rows * n).map { i in
            let r = i / n, c = i % n
            return (0..<k).reduce(b[c]) { $0 + x[r * k + $1] * w[$1 * n + c] }
        }
    }

    @Test func matMulAddReluFusesIntoTheAdd() throws {
        let w = floats([3, 4], seed: 3), b = floats([4], seed: 4), x = floats([5, 3], seed: 5)
        let m = try model([("MatMul", ["X", "W"], ["mm"], [:]), ("Add", ["mm", "B"], ["pre"], [:]), ("Relu", ["pre"], ["Y"], [:])],
                          x: [5, 3], constants: ["W": w, "B": b], outputs: ["Y"])
        #expect(try stepCount(m, [5, 3]) == 2)
        let y = try m.run(positional: [x])[0]
        let want = affine(x.f, w.f, b.f, rows: 5, k: 3, n: 4).map { max($0, 0) }
        #expect(want.contains(0) && want.contains { $0 > 0 })  // the input exercises both sides
        expectClose(y.f, want, rtol: 1e-5, atol: 1e-6)
    }

    @Test func gemmReluFusesUnlessThePreActivationIsAlsoAnOutput() throws {
        let w = floats([3, 4], seed: 6), b = floats([4], seed: 7), x = floats([6, 3], seed: 8)
        let fused = try model([("Gemm", ["X", "W", "B"], ["pre"], [:]), ("Relu", ["pre"], ["Y"], [:])],
                              x: [6, 3], constants: ["W": w, "B": b], outputs: ["Y"])
        let unfused = try model([("Gemm", ["X", "W", "B"], ["pre"], [:]), ("Relu", ["pre"], ["Y"], [:])],
                                x: [6, 3], constants: ["W": w, "B": b], outputs: ["Y", "pre"])
        #expect(try stepCount(fused, [6, 3]) == 1)
        #expect(try stepCount(unfused, [6, 3]) == 2)
        let pre = affine(x.f, w.f, b.f, rows: 6, k: 3, n: 4)
        expectClose(try fused.run(positional: [x])[0].f, pre.map { max($0, 0) })
        let both = try unfused.run(positional: [x])
        expectClose(both[0].f, pre.map { max($0, 0) })
        expectClose(both[1].f, pre)  // still the raw Gemm output
    }

    @Test func convReluFusesAndASecondReaderBlocksIt() throws {
        let w = floats([2, 1, 3, 3], seed: 9), b = floats([2], seed: 10), x = floats([2, 1, 5, 5], seed: 11)
        let attrs = ["group": 1]
        let fused = try model([("Conv", ["X", "W", "B"], ["c"], attrs), ("Relu", ["c"], ["Y"], [:])],
                              x: [2, 1, 5, 5], constants: ["W": w, "B": b], outputs: ["Y"])
        // `c` read twice (Relu and Neg): no fusion.
        let shared = try model([("Conv", ["X", "W", "B"], ["c"], attrs), ("Relu", ["c"], ["Y"], [:]), ("Neg", ["c"], ["Z"], [:])],
                               x: [2, 1, 5, 5], constants: ["W": w, "B": b], outputs: ["Y", "Z"])
        #expect(try stepCount(fused, [2, 1, 5, 5]) == 1)
        #expect(try stepCount(shared, [2, 1, 5, 5]) == 3)
        let y = try fused.run(positional: [x])[0]
        let s = try shared.run(positional: [x])
        #expect(y.shape == [2, 2, 3, 3])
        expectClose(y.f, s[0].f)
        expectClose(s[0].f, s[1].f.map { max(-$0, 0) })
        #expect(y.f.contains(0) && y.f.contains { $0 > 0 })
    }
}
