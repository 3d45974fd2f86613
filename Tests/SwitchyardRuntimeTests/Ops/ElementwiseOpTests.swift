import Foundation
@testable import SwitchyardRuntime
import Testing

@Suite struct ElementwiseOpTests {
    @Test(arguments: ["Add", "Sub", "Mul", "Div"])
    func binaryBroadcastsLikeNumPy(op: String) throws {
        // [2,1,3] ⊕ [4,1] → [2,4,3]: exercises the general odometer path.
        let a = floats([2, 1, 3], seed: 3), b = floats([4, 1], seed: 4, range: 0.5...2)
        var t = OpTester(op)
        t.input("A", a); t.input("B", b)
        let y = try t.run()[0]
        #expect(y.shape == [2, 4, 3])
        var want: [Float] = []
        for i in 0..<2 { for j in 0..<4 { for k in 0..<3 {
            let x = a.f[i * 3 + k], z = b.f[j]
            want.append(op == "Add" ? x + z : op == "Sub" ? x - z : op == "Mul" ? x * z : x / z)
        } } }
        expectClose(y.f, want)
    }

    @Test func addRowVectorFastPathMatchesGeneral() throws {
        let a = floats([5, 19], seed: 7), b = floats([19], seed: 8)
        var t = OpTester("Add")
        t.input("A", a); t.constant("B", b)
        let y = try t.run()[0]
        expectClose(y.f, (0..<95).map { a.f[$0] + b.f[$0 % 19] })
    }

    @Test func integerArithmeticAndDivisionByZero() throws {
        var t = OpTester("Div")
        t.input("A", try Tensor(shape: [3], values: [Int64(7), -7, 9]))
        t.input("B", try Tensor(shape: [3], values: [Int64(2), 2, 3]))
        #expect(try t.run()[0].i64 == [3, -3, 3])
        var z = OpTester("Div")
        z.input("A", try Tensor(shape: [1], values: [Int64(1)]))
        z.input("B", try Tensor(shape: [1], values: [Int64(0)]))
        #expect(throws: InferenceError.self) { try z.run() }
    }

    @Test(arguments: ["Relu", "LeakyRelu", "Sigmoid", "Tanh", "Exp", "Log", "Sqrt", "Neg", "Abs"])
    func unaryMatchesFoundation(op: String) throws {
        let positiveOnly = op == "Log" || op == "Sqrt"
        let x = floats([3, 11], seed: 5, range: positiveOnly ? 0.01...5 : -30...30)
        var t = OpTester(op)
        if op == "LeakyRelu" { t.attributes["alpha"] = .float(0.2) }
        t.input("X", x)
        let y = try t.run()[0]
        let want: [Float] = x.f.map { v in
            switch op {
            case "Relu": return max(v, 0)
            case "LeakyRelu": return v >= 0 ? v : 0.2 * v
            case "Sigmoid": return Float(1 / (1 + Foundation.exp(-Double(v))))
            case "Tanh": return tanhf(v)
            case "Exp": return expf(v)
            case "Log": return logf(v)
            case "Sqrt": return v.squareRoot()
            case "Neg": return -v
            default: return abs(v)
            }
        }
        expectClose(y.f, want, rtol: 1e-5, atol: 1e-7)
    }

    @Test func clipBoundsFromInputsAndAttributes() throws {
        let x = floats([10], seed: 9, range: -5...5)
        var t = OpTester("Clip", opset: 13)
        t.input("X", x); t.constant("min", try Tensor(shape: [], values: [Float(-1)])); t.constant("max", try Tensor(shape: [], values: [Float(2)]))
        expectClose(try t.run()[0].f, x.f.map { min(max($0, -1), 2) })
        var legacy = OpTester("Clip", opset: 6)
        legacy.attributes = ["min": .float(0), "max": .float(1)]
        legacy.input("X", x)
        expectClose(try legacy.run()[0].f, x.f.map { min(max($0, 0), 1) })
        var onlyMax = OpTester("Clip", opset: 13)
        onlyMax.input("X", x); onlyMax.omitted(); onlyMax.constant("max", try Tensor(shape: [], values: [Float(0)]))
        expectClose(try onlyMax.run()[0].f, x.f.map { min($0, 0) })
    }

    @Test func castBetweenTypes() throws {
        var t = OpTester("Cast")
        t.attributes["to"] = .int(ElementType.int64.rawValue)
        t.input("X", try Tensor(shape: [4], values: [Float(1.9), -1.9, 0, 3]))
        #expect(try t.run(outputTypes: [.int64])[0].i64 == [1, -1, 0, 3])
        var s = OpTester("Cast")
        s.attributes["to"] = .int(ElementType.string.rawValue)
        s.input("X", try Tensor(shape: [2], values: [Int64(5), -2]))
        #expect(try s.run(outputTypes: [.string])[0].strings == ["5", "-2"])
        var b = OpTester("Cast")
        b.attributes["to"] = .int(ElementType.bool.rawValue)
        b.input("X", try Tensor(shape: [3], values: [Float(0), 2, -0.5]))
        #expect(try b.run(outputTypes: [.bool])[0].scalars(as: Bool.self) == [false, true, true])
    }
}
